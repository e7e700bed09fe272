import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'replisim-cli-'));

describe('replisim list', () => {
  it('--json lists scenarios, protocols, mutants and experiments', () => {
    const r = cli(['list', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      scenarios: { name: string; protocols: string[]; description: string }[];
      protocols: { name: string; params: Record<string, unknown> }[];
      mutants: { name: string; protocol: string }[]; experiments: unknown[]
    };
    expect(doc.scenarios.map((s) => s.name)).toContain('example-steady');
    expect(doc.mutants).toContainEqual(expect.objectContaining({ name: 'example:volatile-log',
      protocol: 'example' }));
    expect(Array.isArray(doc.experiments)).toBe(true);
    // The parameters --param accepts, with their defaults.
    expect(doc.protocols.find((p) => p.name === 'opb')?.params).toMatchObject({ logKeep: 512,
      policy: 'merge' });
  });
});

describe('replisim run', () => {
  it('prints a summary ending in the trace hash, exit 0', () => {
    const r = cli(['run', 'example-steady', '--seed', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^trace-hash: [0-9a-f]{64}$/);
  });

  it('--json prints exactly one JSON document with the contract fields', () => {
    const r = cli(['run', 'example-steady', '--seed', '3', '--json']);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const k of ['traceHash', 'seed', 'scenario', 'protocol', 'ok', 'violations'])
      expect(doc).toHaveProperty(k);
    expect(doc['seed']).toBe(3);
  });

  it('runs a scenario file given by path and writes trace and HTML files', () => {
    const trace = join(tmp, 't.txt');
    const html = join(tmp, 'r.html');
    const r = cli(['run', 'scenarios/builtin/example-partition.json', '--trace', trace,
      '--html', html]);
    expect(r.code).toBe(0);
    expect(readFileSync(trace, 'utf8')).toMatch(/^t=0 n1 start/);
    expect(readFileSync(html, 'utf8')).toContain('<canvas id="messages">');
  });

  const bad: [string[], RegExp][] = [
    [['run', 'no-such-scenario'], /unknown scenario "no-such-scenario"/],
    [['run', 'example-steady', '--seed', '-1'], /--seed must be a non-negative integer/],
    [['run', 'example-steady', '--protocol', 'nope'], /unknown protocol "nope"/],
    [['run', 'example-steady', '--mutant', 'example:nope'], /unknown mutant "example:nope"/],
    [['run', 'example-steady', '--frobnicate'], /unknown option '--frobnicate'/],
    [['run', '/nonexistent/x.json'], /cannot read \/nonexistent\/x.json: ENOENT/],
    [['replay', '/nonexistent/run.json'], /cannot read/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ];
  for (const [args, message] of bad) {
    it(`bad input: ${args.join(' ')} → one line, exit 2`, () => {
      const r = cli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    });
  }

  it('an invalid scenario file names the field', () => {
    const file = join(tmp, 'bad.json');
    writeFileSync(file, JSON.stringify({
      schema: 'replisim/scenario@1', name: 'x', protocols: ['example'],
      topology: { dcs: [{ name: 'd', zone: 'z' }], nodes: [{ id: 'n1', dc: 'd' }],
        replicas: ['n1'] },
      clients: { count: 1 }, durationUs: -5 }));
    const r = cli(['run', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid scenario at durationUs/);
    writeFileSync(file, '{ not json');
    expect(cli(['run', file]).stderr).toMatch(/is not valid JSON/);
  });
});

describe('replisim replay', () => {
  it('reproduces a saved run (exit 0) and names the first diverging event when ' +
    'tampered (exit 1)', () => {
    const saved = join(tmp, 'run.json');
    expect(cli(['run', 'example-backup-crash', '--seed', '11', '--save', saved]).code).toBe(0);
    const ok = cli(['replay', saved]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/identical trace hash/);
    const doc = JSON.parse(readFileSync(saved, 'utf8')) as { scenario: { faults: unknown[] } };
    doc.scenario.faults = [{ at: 300_000, kind: 'crash', node: 'n2' }];
    const tampered = join(tmp, 'tampered.json');
    writeFileSync(tampered, JSON.stringify(doc));
    const r = cli(['replay', tampered]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/first divergence at event \d+/);
    expect(r.stdout).toMatch(/saved: +t=300000 fault crash \{"node":"n3"\}/);
    expect(r.stdout).toMatch(/replayed: +t=300000 fault crash \{"node":"n2"\}/);
  });

  it('rejects a file that is not a saved run', () => {
    const r = cli(['replay', 'scenarios/builtin/example-steady.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a saved run or counterexample/);
  });
});

describe('replisim explore', () => {
  it('finds the example mutant, saves a counterexample and the replay reproduces it', () => {
    const out = join(tmp, 'explore');
    const r = cli(['explore', '--protocol', 'example', '--mutant', 'example:volatile-log',
      '--runs', '40',
      '--workers', '2', '--out', out, '--json', '--shrink-runs', '40']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { counterexamples: { file: string; replay: string }[] };
    expect(doc.counterexamples.length).toBeGreaterThan(0);
    const replay = cli(['replay', doc.counterexamples[0]!.file, '--json']);
    const res = JSON.parse(replay.stdout) as { same: boolean; ok: boolean };
    expect(res.same).toBe(true);
    expect(res.ok).toBe(false);
    expect(readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n').length)
      .toBeGreaterThan(0);
  });

  it('the correct example protocol survives the same trials', () => {
    const r = cli(['explore', '--protocol', 'example', '--runs', '12', '--workers', '1', '--out',
      join(tmp, 'e2')]);
    expect(r.code).toBe(0);
  });
});
