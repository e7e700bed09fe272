import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

interface SweepDoc {
  seeds: number; failedSeeds: number[]; errors: unknown[];
  properties: { property: string; pass: number; fail: number; other: number }[];
  failures: { seed: number; property: string; reproduce: string }[];
  runs: { seed: number; pass: boolean; traceHash: string }[];
}

describe('replisim sweep', () => {
  it('runs one scenario over many seeds in workers and counts every property', () => {
    const r = cli(['sweep', 'opb-steady', '--seeds', '3', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as SweepDoc;
    expect(doc.seeds).toBe(3);
    expect(doc.failedSeeds).toEqual([]);
    expect(doc.errors).toEqual([]);
    expect(doc.properties.find((p) => p.property === 'opb-c1-unique-primary'))
      .toEqual({ property: 'opb-c1-unique-primary', pass: 3, fail: 0, other: 0 });
    // Worker threads give the trace a separate process gives: same seed, same hash.
    expect(doc.runs.map((x) => x.seed)).toEqual([0, 1, 2]);
    const single = cli(['run', 'opb-steady', '--seed', '2', '--json']);
    expect(JSON.parse(single.stdout).traceHash).toBe(doc.runs[2]!.traceHash);
  });

  it('finds a mutant on every seed it breaks and prints a command that reproduces it', () => {
    const r = cli(['sweep', 'opb-diurnal', '--mutant', 'opb:consolidate-one-zone', '--seeds', '2',
      '--workers', '1', '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as SweepDoc;
    expect(doc.failedSeeds).toEqual([0, 1]);
    const f = doc.failures.find((x) => x.seed === 1)!;
    expect(f.property).toBe('opb-c8-placement');
    const args = f.reproduce.replace(/^npx replisim /, '').split(' ');
    const again = cli([...args, '--json']);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('opb-c8-placement');
  });
});

describe('--param overrides a protocol parameter', () => {
  it('is kept by a saved run, so the replay reproduces it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'param-')), 'run.json');
    const plain = cli(['run', 'opb-partition-halves', '--seed', '2']);
    const r = cli(['run', 'opb-partition-halves', '--seed', '2', '--param', 'opb.policy=discard',
      '--param', 'opb.logKeep=4', '--save', file]);
    expect(r.code).toBe(0);
    const hash = (text: string): string => /trace-hash: (\w+)/.exec(text)![1]!;
    expect(hash(r.stdout)).not.toBe(hash(plain.stdout));
    const replay = cli(['replay', file]);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('identical trace hash');
  });
  it('rejects malformed, unknown and invalid parameters with one line (exit 2)', () => {
    for (const [param, says] of [
      ['logKeep=4', 'PROTOCOL.KEY=VALUE'],
      ['nosuch.x=1', 'unknown protocol "nosuch"'],
      ['opb.logkeep=4', 'unknown opb parameter(s) logkeep'],
      ['opb.policy=wrong', 'bad opb parameters'],
    ] as const) {
      const r = cli(['run', 'opb-steady', '--param', param]);
      expect({ param, code: r.code }).toEqual({ param, code: 2 });
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(says);
    }
  });
});
