import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const DIR = new URL('../../../protocol/smart/', import.meta.url);

/** Value imports between SMART's own files (type-only imports vanish at run time). */
function graph(): Map<string, string[]> {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));
  const IMPORT = /^import (type )?[^;]*? from '\.\/([\w-]+)\.js';/gms;
  return new Map(files.map((f) => [f, [...readFileSync(new URL(f, DIR), 'utf8').matchAll(IMPORT)]
    .filter((m) => m[1] === undefined).map((m) => `${m[2]}.ts`)]));
}

function cycles(g: ReadonlyMap<string, readonly string[]>): string[] {
  const found: string[] = [];
  const visit = (path: readonly string[]): void => {
    for (const next of g.get(path[path.length - 1]!) ?? []) {
      if (next === path[0]) found.push([...path, next].join(' -> '));
      else if (!path.includes(next)) visit([...path, next]);
    }
  };
  for (const f of [...g.keys()].sort()) visit([f]);
  return found;
}

describe('protocol/smart imports', () => {
  it('form no cycle (each file can be read knowing only what it imports)', () => {
    expect(cycles(graph())).toEqual([]);
  });

  it('the cycle finder sees a cycle when there is one', () => {
    const g = new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']]]);
    expect(cycles(g)).toContain('a.ts -> b.ts -> c.ts -> a.ts');
    expect(graph().get('migration.ts')).toContain('roles.ts');
  });
});
