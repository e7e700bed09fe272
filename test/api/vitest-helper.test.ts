/**
 * `replisim/vitest`: the property passes for the correct protocol and fails for its mutant with
 * the replay command in the message and the shrunk counterexample written; the command replays
 * it; an exported regression test fails on the saved schedule while the bug is there and passes
 * once it is fixed. The last case runs vitest itself on such files, as a user's suite would.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSavedRun } from 'replisim';
import { checkProperty, exportRegressionTest } from 'replisim/vitest';
import { cli, root } from '../helpers/cli.js';

const protocolFile = join(root, 'examples/single-copy/single-copy.js');
const scenario = join(root, 'examples/single-copy/scenario.json');
const mutant = 'single-copy:volatile';
mkdirSync(join(root, 'out'), { recursive: true });
const outDir = mkdtempSync(join(root, 'out', 'vitest-helper-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('checkProperty (what propertyTest asserts)', () => {
  it('passes for the correct protocol, over seeds and over fault schedules', async () => {
    const seeds = await checkProperty('ok seeds', { protocol: protocolFile, scenario, seeds: 3,
      outDir });
    expect(seeds).toMatchObject({ ok: true, runs: 3, file: null });
    const trials = await checkProperty('ok trials', { protocol: protocolFile, scenario,
      trials: 3, outDir });
    expect(trials).toMatchObject({ ok: true, runs: 3 });
  });
  it('fails for the mutant: shrunk counterexample saved, replay command printed and working',
    async () => {
      const r = await checkProperty('volatile store', { protocol: protocolFile, scenario,
        trials: 10, mutant, outDir });
      expect(r.ok).toBe(false);
      expect(r.file).not.toBeNull();
      expect(existsSync(r.file!)).toBe(true);
      const saved = readSavedRun(r.file!);
      expect(saved.schema).toBe('replisim/counterexample@1');
      expect(saved.mutant).toBe(mutant);
      expect(r.message).toContain(`replay: npx replisim replay ${r.file} ` +
        `--protocol-file ${protocolFile}`);
      expect(r.message).toMatch(/counterexample \(shrunk to \d+ fault events\)/);
      const replay = cli(r.replay!.split(' ').slice(2));
      expect(replay.code, replay.stderr).toBe(0);
      expect(replay.stdout).toContain('identical trace hash');
    });
  it('over the scenario\'s own seeds too; a property that holds does not fail', async () => {
    const r = await checkProperty('volatile seeds', { protocol: protocolFile, scenario,
      seeds: 3, mutant, outDir });
    expect(r.ok).toBe(false);
    expect(r.file).toBe(join(outDir, 'volatile-seeds-seed-0.json'));
    expect(readSavedRun(r.file!).trace).not.toBeNull();
    const only = await checkProperty('assertions only', { protocol: protocolFile, scenario,
      seeds: 3, mutant, property: 'no-assertion-failure', outDir });
    expect(only.ok).toBe(true);
  });
  it('needs exactly one of seeds and trials', async () => {
    await expect(checkProperty('neither', { protocol: protocolFile, scenario }))
      .rejects.toThrow('give exactly one of seeds or trials');
  });
});

interface JsonReport { testResults: { assertionResults: { title: string; status: string;
  failureMessages: string[] }[] }[] }

describe('inside a user\'s vitest suite', () => {
  it('propertyTest fails with the replay command; exported regression tests guard the fix',
    async () => {
      const suite = mkdtempSync(join(outDir, 'suite-'));
      const cx = await checkProperty('to export', { protocol: protocolFile, scenario,
        trials: 10, mutant, outDir });
      exportRegressionTest(cx.file!, { testFile: join(suite, 'bug.test.js'), protocolFile });
      const exported = readFileSync(join(suite, 'bug.test.js'), 'utf8');
      expect(exported).toContain("import { regressionTest } from 'replisim/vitest';");
      // The fix, as a user would make it: the same schedule without the bug.
      writeFileSync(join(suite, 'fixed.test.js'),
        exported.replace(`mutant: ${JSON.stringify(mutant)}`, 'mutant: null'));
      writeFileSync(join(suite, 'property.test.js'), [
        "import { propertyTest } from 'replisim/vitest';",
        `const subject = { protocol: ${JSON.stringify(protocolFile)},`,
        `  scenario: ${JSON.stringify(scenario)}, outDir: ${JSON.stringify(suite)} };`,
        "propertyTest('holds', { ...subject, seeds: 2 });",
        `propertyTest('breaks', { ...subject, trials: 10, mutant: ${JSON.stringify(mutant)} });`,
        '',
      ].join('\n'));
      const alias = (name: string): string => JSON.stringify(join(root, 'dist/api', name));
      writeFileSync(join(suite, 'vitest.config.mjs'), `export default {
  resolve: { alias: [{ find: /^replisim$/, replacement: ${alias('index.js')} },
    { find: /^replisim\\/vitest$/, replacement: ${alias('vitest.js')} }] },
  test: { include: ['*.test.js'], pool: 'forks' },
};\n`);
      const env = Object.fromEntries(Object.entries(process.env)
        .filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS'));
      const run = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'),
        'run', '--root', suite, '--config', join(suite, 'vitest.config.mjs'),
        '--reporter=json', `--outputFile=${join(suite, 'report.json')}`],
      { cwd: suite, encoding: 'utf8', env, timeout: 240_000 });
      expect(run.status, run.stderr).toBe(1);
      const report = JSON.parse(readFileSync(join(suite, 'report.json'), 'utf8')) as JsonReport;
      const all = report.testResults.flatMap((f) => f.assertionResults);
      const tests = new Map(all.map((t) => [t.title, t]));
      expect(tests.get('holds')?.status).toBe('passed');
      const breaks = tests.get('breaks')!;
      expect(breaks.status).toBe('failed');
      expect(breaks.failureMessages.join('\n')).toContain('replay: npx replisim replay ' +
        `${join(suite, 'breaks-seed-')}`);
      expect(existsSync(join(suite, `breaks-seed-${cx.counterexample!.seed}.json`))).toBe(true);
      const regression = all.filter((t) => t.title.startsWith('regression: '));
      expect(regression.map((t) => t.status).sort()).toEqual(['failed', 'passed']);
    });
});
