/** mutation/retest.mjs: bad input is a one-line error (exit 2) before any build. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'retest-'));

function retest(...args: string[]): { code: number | null; err: string } {
  const r = spawnSync(process.execPath, ['mutation/retest.mjs', ...args],
    { cwd: root, encoding: 'utf8' });
  return { code: r.status, err: r.stderr };
}

function listing(source: string): string {
  const file = join(dir, `listing-${source.length}.json`);
  const mutants = [{ id: '7', mutatorName: 'BooleanLiteral', replacement: 'false',
    location: { start: { line: 2, column: 11 }, end: { line: 2, column: 15 } } }];
  writeFileSync(file, JSON.stringify({ files: { 'protocol/smart/util.ts': { source, mutants },
    'README.md': { source: 'x', mutants: [{ ...mutants[0], id: '8' }] } } }));
  return file;
}

describe('retest.mjs rejects bad input in one line', () => {
  it.each([
    [[], 'usage: node mutation/retest.mjs LISTING ID... [--keep] [--json]'],
    [['x.json', '1', '--json', '--fast'], 'unknown option --fast'],
    [['x.json', 'abc'], 'mutant id "abc" is not a non-negative integer'],
    [['x.json', '1', '--fast'], 'unknown option --fast'],
    [['x.json', '1', '2', '--keep'], '--keep takes exactly one mutant id'],
    [[join(dir, 'missing.json'), '1'], 'cannot read'],
    [['package.json', '1'], 'package.json is not a Stryker JSON report'],
  ])('%j', (args, says) => {
    const r = retest(...args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(says);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('an unknown id, a file outside the protocols, a source line that changed', () => {
    const file = listing('// a\nconst x = true;\n');
    expect(retest(file, '99').err).toContain(`no mutant #99 in ${file}`);
    expect(retest(file, '8').err).toContain('#8 mutates README.md, outside protocol/');
    const changed = retest(file, '7');
    expect(changed.code).toBe(2);
    expect(changed.err).toContain('protocol/smart/util.ts:2 no longer holds `true` (its line ' +
      'changed)');
  });
});
