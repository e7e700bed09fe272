import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHistory } from '../../properties/formats/index.js';
import { cli } from '../helpers/cli.js';

const RUN_FILES = ['history-porcupine.txt', 'history.edn', 'history.json', 'report.html',
  'result.json', 'run.json', 'trace.txt'];

function fresh(): string {
  return mkdtempSync(join(tmpdir(), 'replisim-folders-'));
}

const read = (dir: string, file: string): string => readFileSync(join(dir, file), 'utf8');

describe('run folders (out/<command>/<time>/)', () => {
  it('run writes a time-named folder; its files do not depend on the wall clock', () => {
    const store = fresh();
    const env = { REPLISIM_STORE: store };
    expect(cli(['run', 'example-partition', '--seed', '7'], env).code).toBe(0);
    expect(cli(['run', 'example-partition', '--seed', '7'], env).code).toBe(0);
    const folders = readdirSync(join(store, 'run')).filter((f) => f !== 'latest').sort();
    expect(folders).toHaveLength(2);
    for (const f of folders) expect(f).toMatch(/^\d{4}-\d\d-\d\dT\d{6}\.\d{3}Z(-\d+)?$/);
    const [a, b] = folders.map((f) => join(store, 'run', f));
    expect(readdirSync(a!).sort()).toEqual(RUN_FILES);
    for (const file of RUN_FILES) expect(read(b!, file), file).toBe(read(a!, file));
    expect(realpathSync(join(store, 'run', 'latest'))).toBe(realpathSync(b!));
    const result = JSON.parse(read(a!, 'result.json')) as { traceHash: string; seed: number };
    expect(result.seed).toBe(7);
    expect(read(a!, 'trace.txt')).toMatch(/^t=0 n1 start/);
    expect(parseHistory(read(a!, 'history.edn')).ops.length).toBeGreaterThan(10);
    // The run file in the folder replays to the same hash.
    const replay = cli(['replay', join(a!, 'run.json'), '--json'], env);
    expect(JSON.parse(replay.stdout)).toMatchObject({ same: true,
      traceHash: result.traceHash });
  });

  it('--out DIR writes the folder there; --no-store writes none', () => {
    const store = fresh();
    const out = join(store, 'mine');
    expect(cli(['run', 'example-steady', '--out', out], { REPLISIM_STORE: store }).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(RUN_FILES);
    expect(existsSync(join(store, 'run'))).toBe(false);
    const none = fresh();
    expect(cli(['run', 'example-steady', '--no-store'], { REPLISIM_STORE: none }).code).toBe(0);
    expect(readdirSync(none)).toEqual([]);
  });

  it('sweep writes results.json and a seed folder', () => {
    const store = fresh();
    const r = cli(['sweep', 'example-steady', '--seeds', '2', '--workers', '1'],
      { REPLISIM_STORE: store });
    expect(r.code).toBe(0);
    const dir = join(store, 'sweep', 'latest');
    const doc = JSON.parse(read(dir, 'results.json')) as { runs: { seed: number }[] };
    expect(doc.runs.map((x) => x.seed)).toEqual([0, 1]);
    expect(readdirSync(join(dir, 'seed-0')).sort()).toEqual(RUN_FILES);
  });
});

describe('from a failing seed to understanding it', () => {
  const store = fresh();
  const env = { REPLISIM_STORE: store };

  it('explore saves a counterexample with its folder; run and replay take the file', () => {
    const ex = cli(['explore', '--protocol', 'example', '--mutant', 'example:volatile-log',
      '--runs', '1', '--seed', '37', '--workers', '1', '--shrink-runs', '10', '--json'], env);
    expect(ex.code).toBe(1);
    const doc = JSON.parse(ex.stdout) as { counterexamples: { file: string }[];
      results: string };
    const file = doc.counterexamples[0]!.file;
    expect(file.startsWith(join(store, 'explore'))).toBe(true);
    expect(readdirSync(file.replace(/\.json$/, ''))).toContain('report.html');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { traceHash: string; seed: number };

    // `run FILE`: the counterexample's scenario, seed and mutant; the violation again.
    const run = cli(['run', file, '--json', '--no-store'], env);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ seed: saved.seed,
      mutant: 'example:volatile-log', traceHash: saved.traceHash, ok: false });

    const html = join(store, 'r.html');
    const trace = join(store, 't.txt');
    const edn = join(store, 'h.edn');
    const porcupine = join(store, 'h.txt');
    const replay = cli(['replay', file, '--html', html, '--trace', trace, '--history', edn],
      env);
    expect(replay.code).toBe(0);
    expect(read(store, 'r.html')).toContain('<!doctype html>');
    expect(read(store, 't.txt').split('\n').length).toBeGreaterThan(100);
    // Jepsen EDN with :key reads as a kv history (lincheck detects it as Porcupine's shape).
    expect(parseHistory(read(store, 'h.edn')).kind).toBe('kv');
    expect(cli(['lincheck', edn], env).code).not.toBe(2);
    // The example workload has CAS, which Porcupine's kv log cannot say: one line, exit 2.
    const bad = cli(['replay', file, '--history', porcupine, '--history-format', 'porcupine'],
      env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^replisim: op #\d+ is a cas, which Porcupine's kv log/);
  });

  it('run takes a regression file: its seed unless --seed is given', () => {
    const dir = 'test/protocol/smart/regressions';
    const file = join(dir, readdirSync(dir).filter((f) => f.endsWith('.json')).sort()[0]!);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { seed: number };
    const r = cli(['run', file, '--json', '--no-store'], env);
    expect(JSON.parse(r.stdout)).toMatchObject({ seed: saved.seed });
    const other = cli(['run', file, '--json', '--no-store', '--seed', '3'], env);
    expect(JSON.parse(other.stdout)).toMatchObject({ seed: 3 });
  });

  it('a bad --history-format is one line, exit 2', () => {
    const r = cli(['run', 'example-steady', '--no-store', '--history', join(store, 'x'),
      '--history-format', 'csv'], env);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('replisim: --history-format must be one of native, edn, ' +
      'porcupine, got "csv"');
  });
});
