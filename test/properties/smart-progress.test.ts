/** smart-progress-quorum: a client reaching a live quorum gets its operations answered. */
import { describe, expect, it } from 'vitest';
import { OP_BOUND_US, progressWindows, smartProgress } from '../../properties/smart-progress.js';
import type { HistoryOp } from '../../simulator/history.js';
import type { FaultEvent } from '../../simulator/config.js';
import type { NodeEvent, RunRecord } from '../../simulator/run-record.js';
import { loadScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';
import { fakeRun } from '../helpers/record.js';

const put = { type: 'put', key: 'k0', value: 'v' } as const;

/** Three SMART members in one DC and one client; election time 100 + 3 × 10 + 200 ms slack. */
function world(ops: HistoryOp[], faults: FaultEvent[] = [], nodeEvents: NodeEvent[] = [],
): RunRecord {
  const node = (name: string) => ({ name, dc: 'a', zone: 'z', client: false });
  return {
    ...fakeRun({ ops, nodeEvents, faultWindowEndUs: 4_000_000, endUs: 6_000_000 }),
    protocol: 'smart', replicas: ['n1', 'n2', 'n3'], faults,
    params: { leaderTimeoutUs: 100_000, staggerUs: 10_000 },
    endpoints: [node('n1'), node('n2'), node('n3'), { name: 'c0', dc: 'a', zone: 'z',
      client: true }],
  };
}

const stuck = (call: number): HistoryOp => ({ id: 0, client: 'c0', input: put, call,
  status: 'info' });
const done = (call: number, ret: number): HistoryOp => ({ id: 0, client: 'c0', input: put, call,
  status: 'ok', return: ret, output: { ok: true } });
const down = (node: string, at: number): NodeEvent => ({ at, seq: at, node, kind: 'down' });

describe('smart-progress-quorum', () => {
  it('fails when an operation under a live, connected quorum never completes', () => {
    const v = smartProgress.check(world([stuck(1_000_000)]));
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/op #0 of c0 invoked at t=1000000us never completed/);
  });

  it('fails when it completes, but later than the bound', () => {
    const late = done(1_000_000, 1_000_000 + OP_BOUND_US + 1);
    expect(smartProgress.check(world([late])).message).toMatch(/completed only at/);
    expect(smartProgress.check(world([done(1_000_000, 1_900_000)])).status).toBe('pass');
  });

  it('judges during a fault: one member down still leaves a quorum', () => {
    const v = smartProgress.check(world([stuck(1_000_000)], [], [down('n3', 500_000)]));
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/quorum \[n1,n2\]/);
  });

  it('does not judge without a quorum, or while the client is cut from it', () => {
    const twoDown = [down('n2', 500_000), down('n3', 500_000)];
    expect(smartProgress.check(world([stuck(1_000_000)], [], twoDown)).status).toBe('skip');
    const cut: FaultEvent[] = [{ at: 500_000, kind: 'partition', mode: 'isolate',
      symmetry: 'symmetric', sides: [['c0']], id: 'x' }];
    expect(smartProgress.check(world([stuck(1_000_000)], cut)).status).toBe('skip');
    // An isolated member leaves a quorum the client still reaches.
    const one: FaultEvent[] = [{ at: 500_000, kind: 'partition', mode: 'isolate',
      symmetry: 'symmetric', sides: [['n1']], id: 'x' }];
    expect(smartProgress.check(world([stuck(1_000_000)], one)).status).toBe('fail');
  });

  it('does not judge while a timing fault is in force or a member hears the quorum one way', () => {
    const slow: FaultEvent[] = [{ at: 0, kind: 'slow', node: 'n1', delayUs: 5_000 }];
    expect(smartProgress.check(world([stuck(1_000_000)], slow)).status).toBe('skip');
    const oneWay: FaultEvent[] = [{ at: 500_000, kind: 'partition', mode: 'isolate',
      symmetry: 'oneWay', sides: [['n1']], id: 'x' }];
    expect(progressWindows(world([], oneWay)).map((w) => [w.from, w.to]))
      .toEqual([[0, 500_000], [4_000_000, 6_000_001]]);
  });

  it('passes on real runs and judges operations invoked during the faults', () => {
    for (const s of ['smart-leader-crash', 'smart-majority-partition']) {
      const run = runChecked({ scenario: loadScenario(s), protocol: 'smart', seed: 1 }).record;
      const v = smartProgress.check(run);
      expect(v.status, `${s}: ${v.message}`).toBe('pass');
      const during = progressWindows(run).filter((w) => w.from >= run.faults[0]!.at
        && w.from < run.faultWindowEndUs);
      expect(during.length, s).toBeGreaterThan(0);
    }
  });
});
