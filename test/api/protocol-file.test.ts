/**
 * A user protocol from its own file (examples/single-copy), through the built CLI run in the
 * example's folder as a user would: `run`, `sweep`, `explore` (a counted number of trials, in
 * worker threads that must load the file too), `check`, `campaign`, `replay` and `compare
 * --protocols`; the mutant is caught by each; bad files are one-line errors.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers/cli.js';

const example = join(root, 'examples/single-copy');
const mutant = 'single-copy:volatile';

function replisim(args: string[], cwd = example): { code: number; stdout: string;
  stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin/replisim.js'), ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const own = ['--protocol-file', './single-copy.js'];
const json = (r: { stdout: string }): Record<string, unknown> =>
  JSON.parse(r.stdout) as Record<string, unknown>;

describe('the example protocol from its own file', () => {
  it('run: every property holds; the mutant violates linearizability (exit 1)', () => {
    const ok = replisim(['run', 'scenario.json', ...own, '--seed', '2']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('single-copy-crash  protocol=single-copy');
    const bad = replisim(['run', 'scenario.json', ...own, '--seed', '2', '--mutant', mutant]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/✗ linearizability/);
  });
  it('sweep in worker threads: all seeds pass; the mutant\'s reproduce lines load the file',
    () => {
      const ok = replisim(['sweep', 'scenario.json', ...own, '--seeds', '4', '--json']);
      expect(ok.code, ok.stderr).toBe(0);
      expect(json(ok)['failedSeeds']).toEqual([]);
      const bad = replisim(['sweep', 'scenario.json', ...own, '--seeds', '2', '--mutant',
        mutant, '--json']);
      expect(bad.code).toBe(1);
      const failures = json(bad)['failures'] as { reproduce: string }[];
      expect(failures[0]!.reproduce).toContain('--protocol-file ./single-copy.js');
      const again = replisim(failures[0]!.reproduce.split(' ').slice(2));
      expect(again.code).toBe(1);
    });
  it('explore (6 trials, 2 workers): none unmutated; the mutant\'s counterexample replays',
    () => {
      const out = mkdtempSync(join(tmpdir(), 'replisim-example-'));
      const ok = replisim(['explore', ...own, '--scenario', 'scenario.json', '--runs', '6',
        '--out', out, '--json']);
      expect(ok.code, ok.stderr).toBe(0);
      expect(json(ok)['runs']).toBe(6);
      const bad = replisim(['explore', ...own, '--scenario', 'scenario.json', '--runs', '6',
        '--mutant', mutant, '--out', out, '--json']);
      expect(bad.code).toBe(1);
      const [cx] = json(bad)['counterexamples'] as { file: string; replay: string }[];
      expect(cx!.replay).toBe(`npx replisim replay ${cx!.file} --protocol-file ./single-copy.js`);
      const replay = replisim(cx!.replay.split(' ').slice(2));
      expect(replay.code, replay.stderr).toBe(0);
      expect(replay.stdout).toContain('identical trace hash');
      const without = replisim(['replay', cx!.file]);
      expect(without.code).toBe(2);
      expect(without.stderr).toContain('load your own with --protocol-file');
    });
  it('check: the whole bounded space holds; the mutant\'s path replays with the file', () => {
    const ok = replisim(['check', ...own]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('check single-copy');
    expect(ok.stdout).toContain('the whole bounded space was explored');
    const bad = replisim(['check', ...own, '--mutant', mutant]);
    expect(bad.code).toBe(1);
    const replay = /replay with: npx replisim (.*)$/m.exec(bad.stdout)![1]!;
    expect(replay).toContain('--protocol-file ./single-copy.js');
    expect(replisim(replay.split(' ')).stdout).toContain('VIOLATION');
  });
  it('campaign over the given scenarios catches the mutant', () => {
    const ok = replisim(['campaign', ...own, '--scenarios', 'scenario.json']);
    expect(ok.code, ok.stderr).toBe(0);
    const bad = replisim(['campaign', ...own, '--scenarios', 'scenario.json', '--mutant', mutant]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/reproduce: .*--protocol-file \.\/single-copy\.js/);
  });
});

describe('compare --protocols', () => {
  it('compares any two registered protocols on a scenario both run on', () => {
    const dir = mkdtempSync(join(tmpdir(), 'replisim-compare-'));
    const both = { ...JSON.parse(readFileSync(join(example, 'scenario.json'), 'utf8')) as object,
      protocols: ['single-copy', 'example'] };
    writeFileSync(join(dir, 'both.json'), JSON.stringify(both));
    const r = replisim(['compare', '--protocol-file', join(example, 'single-copy.js'),
      '--protocols', 'single-copy,example', '--scenarios', join(dir, 'both.json'),
      '--seeds', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = json(r) as { protocols: string[]; rows: { protocol: string }[] };
    expect(doc.protocols).toEqual(['single-copy', 'example']);
    expect(doc.rows.map((row) => row.protocol)).toEqual(['single-copy', 'example']);
  });
  it('rejects one protocol, the same twice, or an unknown one', () => {
    for (const [spec, says] of [['smart', 'two different'], ['smart,smart', 'two different'],
      ['smart,nosuch', 'unknown protocol "nosuch"']] as const) {
      const r = replisim(['compare', '--protocols', spec], root);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(says);
    }
  });
});

describe('bad protocol files: one line, exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'replisim-badproto-'));
  const write = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const cases: [string, string, string][] = [
    ['a missing file', join(dir, 'missing.js'), 'no such file'],
    ['no usable export', write('named.mjs', 'export const x = 1;\n'),
      'no default export and no export named "protocol"'],
    ['a module that does not load', write('syntax.mjs', 'this is not javascript\n'),
      'cannot load the module'],
    ['a value that is not a protocol', write('shape.mjs', 'export default { name: "x", ' +
      'description: "d", mutants: [], client: { target: "first", onTimeout: "rotate" }, ' +
      'defaults: {}, init() {}, step() {} };\n'),
      'invalid protocol: x: durable must be a function'],
    ['a name already taken', write('taken.mjs', `import p from "${join(example, 'single-copy.js')}";
export const protocol = { ...p, name: "smart", mutants: [] };\n`),
    'a protocol named "smart" is already registered'],
  ];
  it.each(cases)('%s', (_what, file, says) => {
    const r = replisim(['run', 'example-steady', '--protocol-file', file], root);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`--protocol-file ${file}: `);
    expect(r.stderr).toContain(says);
  });
});

describe('replisim.config.json in the working directory', () => {
  it('loads its protocolFiles for every command; a malformed one is a one-line error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'replisim-config-'));
    writeFileSync(join(dir, 'replisim.config.json'),
      JSON.stringify({ protocolFiles: [join(example, 'single-copy.js')] }));
    const r = replisim(['run', join(example, 'scenario.json'), '--seed', '1'], dir);
    expect(r.code, r.stderr).toBe(0);
    const sweep = replisim(['sweep', join(example, 'scenario.json'), '--seeds', '2'], dir);
    expect(sweep.code, sweep.stderr).toBe(0);
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'replisim.config.json'), '{"protocolFiles": "one.js"}');
    const rejected = replisim(['list'], bad);
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toContain('replisim.config.json: expected { "protocolFiles"');
  });
});
