/**
 * What `npm pack` ships: the build (JavaScript and the .d.ts declarations of the library API),
 * the command, the built-in scenarios and the example; every `exports` target is in it. The
 * tests, sources and node_modules are not.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers/cli.js';

interface Pack { files: { path: string }[] }
type Exports = Record<string, string | { types: string; default: string }>;

describe('npm pack', () => {
  it('ships dist with declarations, bin, scenarios and the example; exports resolve', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'],
      { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const files = new Set((JSON.parse(r.stdout) as Pack[])[0]!.files.map((f) => f.path));
    for (const f of ['dist/api/index.js', 'dist/api/index.d.ts', 'dist/api/vitest.js',
      'dist/api/vitest.d.ts', 'dist/cli/main.js', 'dist/protocol/types.d.ts', 'bin/replisim.js',
      'scenarios/builtin/example-steady.json', 'examples/single-copy/single-copy.js',
      'README.md', 'package.json']) expect(files, f).toContain(f);
    expect([...files].filter((f) => /^(test|node_modules|api|cli)\/|\.ts$/.test(f)
      && !f.endsWith('.d.ts'))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as
      { exports: Exports; main: string; types: string };
    const targets = Object.values(pkg.exports).flatMap((t) => (typeof t === 'string' ? [t]
      : [t.types, t.default]));
    for (const t of [...targets, pkg.main, pkg.types]) {
      expect(files, t).toContain(t.replace(/^\.\//, ''));
    }
  });
});
