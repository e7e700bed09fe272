/** smart-progress-quorum: a client reaching a live quorum gets its operations answered. */
import { describe, expect, it } from 'vitest';
import {
  OP_BOUND_US, outstandingAt, progressWindows, smartProgress,
} from '../../properties/smart-progress.js';
import type { HistoryOp } from '../../simulator/history.js';
import type { FaultEvent } from '../../simulator/config.js';
import type { NodeEvent, RunRecord } from '../../simulator/run-record.js';
import { loadScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';
import { fakeRun } from '../helpers/record.js';
import { savedRun } from '../helpers/regressions.js';

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
const up = (node: string, at: number): NodeEvent => ({ at, seq: at, node, kind: 'up' });
/** No quorum from 0.2 s (n2, n3 down) until n2 is back at 1 s: the window opens then. */
const quorumBackAt1s = [down('n2', 200_000), down('n3', 200_000), up('n2', 1_000_000)];
/** Settling 100 + 3 × 10 + 200 ms after the window opens at 1 s, then the bound. */
const BOUND_FROM_1S = 1_000_000 + 330_000 + OP_BOUND_US;
const nth = (op: HistoryOp, id: number): HistoryOp => ({ ...op, id });

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

  it('reads a targeted drop of a deciding message as a one-way cut of its links while it lasts',
    () => {
    const drop = (from: string[] | undefined, to: string[], type = 'propose'): FaultEvent =>
      ({ at: 500_000, kind: 'targeted', type, ...(from === undefined ? {} : { from }), to,
        action: 'drop', untilUs: 1_500_000 });
    const windows = (f: FaultEvent[]) => progressWindows(world([], f)).map((w) => [w.from, w.to]);
    // PROPOSE to every member dropped: nothing can be decided until 1.5 s.
    expect(windows([drop(undefined, ['n1', 'n2', 'n3'])]))
      .toEqual([[0, 500_000], [1_500_000, 6_000_001]]);
    // One link, one way: the member beyond it hears the quorum one way (not judged either).
    expect(windows([drop(['n1'], ['n2'])])).toEqual([[0, 500_000], [1_500_000, 6_000_001]]);
    const late = smartProgress.check(world([done(1_000_000, 1_500_000 + 330_000 + OP_BOUND_US
      + 1)], [drop(undefined, ['n1', 'n2', 'n3'])]));
    expect(late.message).toMatch(/invoked at t=1000000us \(outstanding .* from t=1500000us/);
    // A message the quorum decides without (state copies, FINISHED...): judged.
    expect(windows([drop(undefined, ['n1', 'n2', 'n3'], 'stateCopy')])).toEqual([[0, 6_000_001]]);
    // A delay is not a drop: judged (a timing fault of its own is not read here).
    const delay: FaultEvent = { at: 500_000, kind: 'targeted', type: 'propose', to: ['n1'],
      action: 'delay', delayUs: 1_000, untilUs: 1_500_000 };
    expect(windows([delay])).toEqual([[0, 6_000_001]]);
  });

  it('does not judge while every PROPOSE to the quorum is dropped (explore seed 800341, '
    + 'opb-recovering-top topology)', () => {
    // A targeted fault dropped every PROPOSE to n2..n6 (configuration 2) from 0.954 s to
    // 2.316 s: c1's op #51, invoked at 0.983 s, completed at 2.456 s, 140 ms after it ended.
    const file = new URL('../protocol/smart/regressions/' +
      'explore-opb-recovering-top-800341-proposals-dropped-to-quorum.json', import.meta.url);
    const run = savedRun(file, 'smart');
    expect(progressWindows(run).filter((w) => w.config === 2).map((w) => [w.from, w.to]))
      .toEqual([[452_480, 954_000], [2_316_000, 5_491_669]]);
    expect(smartProgress.check(run).status).toBe('pass');
    // Read as whole links, the window is the false alarm explore reported.
    const whole = { ...run, faults: run.faults.filter((f) => f.kind !== 'targeted') };
    expect(smartProgress.check(whole).message).toBe('op #51 of c1 invoked at t=982615us ' +
      "completed only at t=2455844us, although configuration 2's quorum [n2,n3,n4,n5,n6] was " +
      'live, connected and reachable from t=452480us to t=5491669us (bound t=2452480us)');
  });

  it('judges an operation outstanding when the window opens, from the opening', () => {
    expect(progressWindows(world([], [], quorumBackAt1s))[1]!.from).toBe(1_000_000);
    const late = smartProgress.check(world([done(500_000, BOUND_FROM_1S + 1)], [],
      quorumBackAt1s));
    expect(late.status).toBe('fail');
    expect(late.message).toMatch(/op #0 of c0 invoked at t=500000us \(outstanding when the /);
    expect(late.message).toMatch(new RegExp(`bound t=${BOUND_FROM_1S}us`));
    const inTime = world([done(500_000, BOUND_FROM_1S)], [], quorumBackAt1s);
    expect(smartProgress.check(inTime).status).toBe('pass');
  });

  it('judges a given-up operation from before the window while the client had no next one', () => {
    const held = [stuck(500_000), nth(done(BOUND_FROM_1S + 10, BOUND_FROM_1S + 20), 1)];
    const v = smartProgress.check(world(held, [], quorumBackAt1s));
    expect(v.message).toMatch(/op #0 of c0 invoked at t=500000us \(outstanding .* never completed/);
    // Given up and followed by an operation before the deadline: that one is judged instead.
    const moved = [stuck(500_000), nth(done(1_200_000, 1_300_000), 1)];
    expect(smartProgress.check(world(moved, [], quorumBackAt1s)).status).toBe('pass');
    // Given up with no next operation: when it ended is unknown, so it is not judged.
    expect(smartProgress.check(world([stuck(500_000)], [], quorumBackAt1s)).status)
      .toBe('skip');
    expect(outstandingAt(stuck(500_000), undefined, 1_000_000)).toBe(false);
    expect(outstandingAt(done(500_000, 900_000), undefined, 1_000_000)).toBe(false);
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

  it('fails when a lagging follower truncated past its own checkpoint (smart-lost-leader-' +
    'checkpoint; smart:truncate-past-checkpoint, Stryker #6384 of the seed-43 sample)', () => {
    // n3's vote, truncated at the stable index 88 although it checkpointed only 72, starts n1
    // (back without its unwritten checkpoint 88) at slot 89: nobody up holds slot 88.
    const scenario = loadScenario('smart-lost-leader-checkpoint');
    const good = runChecked({ scenario, protocol: 'smart', seed: 0 }).record;
    expect(smartProgress.check(good).status).toBe('pass');
    const bad = runChecked({ scenario, protocol: 'smart', seed: 0,
      mutant: 'smart:truncate-past-checkpoint' }).record;
    expect(smartProgress.check(bad).message).toMatch(new RegExp('^op #\\d+ of c\\d invoked at ' +
      "t=\\d+us .*completed only at t=289\\d{4}us, although configuration 1's quorum " +
      '\\[n1,n3\\] was live'));
  });

  it('judges a client only once a machine that would tell it of the new configuration is '
    + 'reachable (explore trial 20231 of smart-flush-cut-leader)', () => {
    // n1, the only old member the clients reach, executed the MIGRATE as a follower on
    // resuming at 1.3576 s and redirected to n2 (unreachable) until a DEFUNCT reached it at
    // 2.51 s, when the targeted fault ended: P1.6 gives it no other way to know.
    const file = new URL('../protocol/smart/regressions/' +
      'explore-flush-cut-leader-20231-follower-knows-migration-not-defunct.json', import.meta.url);
    const run = savedRun(file, 'smart');
    expect(smartProgress.check(run).status).not.toBe('fail');
    // Had n1 known configuration 1 defunct on resuming, it would have answered
    // NEW-CONFIGURATION, and an operation outstanding until 2.56 s is late.
    const defunct = { at: 1_357_600, seq: 0, node: 'n1', label: 'defunct', data: { config: 1 } };
    const told = { ...run, observations: [...run.observations, defunct] };
    expect(smartProgress.check(told).message).toMatch(new RegExp('^op #\\d+ of c\\d invoked ' +
      "at t=\\d+us .*completed only at t=25\\d{5}us, although configuration 2's quorum " +
      '\\[n4,n5,n6\\]'));
  });
});
