/** P2.4's log bound, judged from the replicas' digests (opb-log-bound). */
import { describe, expect, it } from 'vitest';
import { findProtocol } from '../../protocol/registry.js';
import { opbLogBound } from '../../properties/opb-log-bound.js';
import { CONVERGE_BOUND_US } from '../../properties/opb-world.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const run = simulate({ scenario: loadScenario('opb-failover-truncate'),
  protocol: findProtocol('opb')!, seed: 0 });

type Digest = { role: string; base: number };

/** The run with every digest of a replica in `role` rewritten by `base`. */
function withBase(role: string, base: (d: Digest, at: number) => number): RunRecord {
  return { ...run, observations: run.observations.map((o) => {
    const d = o.data as Digest;
    return o.label === 'opb.digest' && d.role === role
      ? { ...o, data: { ...(o.data as object), base: base(d, o.at) } } : o;
  }) };
}

describe('opb-log-bound', () => {
  it('passes a failover with checkpoints every few entries, which truncates', () => {
    expect(opbLogBound.check(run).status).toBe('pass');
    expect(run.observations.filter((o) => o.label === 'opb.checkpoint').length)
      .toBeGreaterThan(10);
  });

  it('fails when backups never truncate', () => {
    const v = opbLogBound.check(withBase('backup', () => 0));
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/backup n\d+ at t=\d+us keeps its log from 0, though its primary/);
  });

  it('does not judge a backup whose history ends below the primary\'s checkpoint (seed 700594)',
    () => {
      // Emptied backups (left and rejoined, waiting for a transfer) keep no truncated entry;
      // the same backups with their history kept still fail above.
      const emptied = { ...run, observations: run.observations.map((o) => {
        const d = o.data as Digest;
        return o.label === 'opb.digest' && d.role === 'backup'
          ? { ...o, data: { ...(o.data as object), base: 0, index: 0 } } : o;
      }) };
      expect(opbLogBound.check(emptied).status).toBe('pass');
    });

  it('fails when the primary stops truncating while every member holds more', () => {
    const frozen = new Map<string, number>();
    const v = opbLogBound.check(withBase('primary', (d, at) => {
      if (at < 3_000_000) return d.base;
      if (!frozen.has('p')) frozen.set('p', d.base);
      return frozen.get('p')!;
    }));
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/primary n\d+ at t=\d+us keeps its log from \d+, though every /);
  });

  it('judges no time in a targeted message fault or Δ_conv after it (explore seed 703633)', () => {
    const r = withBase('backup', () => 0);
    const firstAt = (x: RunRecord): number => {
      const v = opbLogBound.check(x);
      expect(v.status).toBe('fail');
      return Math.min(...[...v.message.matchAll(/at t=(\d+)us keeps/g)].map((m) => Number(m[1])));
    };
    const drop = { kind: 'targeted', at: 0, type: 'xfer', to: ['n5'], action: 'drop',
      untilUs: r.faultWindowEndUs };
    const targeted = { ...r, faults: [...r.faults, drop] as unknown as RunRecord['faults'] };
    // Calm from the restart at 2 s without it; from the fault window's end with it.
    expect(firstAt(r)).toBeLessThan(r.faultWindowEndUs + CONVERGE_BOUND_US);
    expect(firstAt(targeted)).toBeGreaterThanOrEqual(r.faultWindowEndUs + CONVERGE_BOUND_US);
  });

  it('does not judge a run whose faults never end (a network fault until the settle heal)', () => {
    const r = withBase('backup', () => 0);
    const endless = { ...r, faultWindowEndUs: r.endUs,
      faults: [{ kind: 'network', at: 0 }] as unknown as RunRecord['faults'] };
    expect(opbLogBound.check(endless).status).toBe('pass');
  });
});
