/**
 * mutation/retest.mjs: bad input is a one-line error (exit 2) before any build; a mutant that
 * loops forever inside a protocol step is reported hung at the CPU cap, not waited on forever.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
    [[], 'usage: node mutation/retest.mjs LISTING ID... [--keep] [--json] [--cpu-cap S]'],
    [['x.json', '1', '--cpu-cap', '0'], '--cpu-cap needs a whole number of CPU seconds'],
    [['x.json', '1', '--cpu-cap'], '--cpu-cap needs a whole number of CPU seconds'],
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

describe('retest.mjs stops a campaign that hangs', () => {
  it('an endless loop in OPB\'s init is a kill of its own kind, hung, at the cap', () => {
    const path = 'protocol/optimistic/index.ts';
    const source = readFileSync(join(root, path), 'utf8');
    const lines = source.split('\n');
    const line = lines.findIndex((l) => l.includes('const params = readParams(config);')) + 1;
    expect(line).toBeGreaterThan(0);
    const column = lines[line - 1]!.indexOf('readParams(config)') + 1;
    const file = join(dir, 'hang.json');
    writeFileSync(file, JSON.stringify({ files: { [path]: { source, mutants: [{ id: '3',
      mutatorName: 'Hang', replacement: '(() => { for (;;); })()', location: {
        start: { line, column }, end: { line, column: column + 'readParams(config)'.length },
      } }] } } }));
    const r = spawnSync(process.execPath, ['mutation/retest.mjs', file, '3', '--json',
      '--cpu-cap', '2'], { cwd: root, encoding: 'utf8', timeout: 240_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ killed: 1, results: [{ id: '3', protocol: 'opb',
      killed: true, hung: true, cpuCap: 2 }] });
  }, 300_000);
});
