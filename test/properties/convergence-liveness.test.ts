import { describe, expect, it } from 'vitest';
import { convergenceProperty } from '../../properties/convergence.js';
import {
  bootGuardLeftUs, liveness, livenessBoundUs, retriesAnswered, staggerLeftUs,
  UNANSWERED_ATTEMPTS,
} from '../../properties/liveness.js';
import type { HistoryOp } from '../../simulator/history.js';
import { loadScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';
import { fakeRun } from '../helpers/record.js';
import { savedRun } from '../helpers/regressions.js';

const state = (at: number, node: string, digest: string, applied: number, group?: string) =>
  ({ at, seq: at, node, label: 'state',
    data: { digest, applied, ...(group === undefined ? {} : { group }) } });

describe('convergence', () => {
  it('passes when replicas end equal, measuring when they first agreed after the faults', () => {
    const v = convergenceProperty.check(fakeRun({ observations: [
      state(100, 'n1', 'a', 1), state(200, 'n2', 'b', 1), state(600_000, 'n2', 'a', 1)] }));
    expect(v.status).toBe('pass');
    expect(v.measures!['convergenceUs']).toBe(100_000);
  });

  it('fails when a group ends diverged, naming the replicas and digests', () => {
    const v = convergenceProperty.check(fakeRun({ observations: [
      state(100, 'n1', 'a', 1, 's0'), state(100, 'n2', 'a', 1, 's0'),
      state(100, 'n1', 'x', 2, 's1'), state(700_000, 'n3', 'y', 2, 's1')] }));
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/s1: n1=x@2 n3=y@2/);
    expect(v.measures!['convergenceUs']).toBe(-1);
  });

  it('ignores a retired replica and skips protocols without state observations', () => {
    const v = convergenceProperty.check(fakeRun({ observations: [
      state(100, 'n1', 'a', 1), state(100, 'n2', 'b', 1),
      { at: 200, seq: 200, node: 'n2', label: 'retired', data: {} }] }));
    expect(v.status).toBe('pass');
    expect(convergenceProperty.check(fakeRun({})).status).toBe('skip');
  });
});

describe('convergence: SMART machines restored too late to learn they are superseded', () => {
  it('does not judge a machine outside the newest configuration until its campaign is due '
    + '(explore trial 1471679 of smart-elect-behind-vote)', () => {
    // n6 (configuration 1's replica at slot 10) and n7 restarted at 650 ms outside the newest
    // configuration [n1,n2,n3]; the largest configuration has 6 members: due at 650 + 200 +
    // 5 x 60 + 30 ms = 1.18 s, after the end at 1.1 s.
    const run = savedRun(new URL('../protocol/smart/regressions/' +
      'explore-elect-behind-vote-1471679-restored-superseded-replica-not-yet-due.json',
    import.meta.url), 'smart');
    expect(convergenceProperty.check(run)).toMatchObject({ status: 'pass',
      measures: { notYetDue: 2 } });
    expect(convergenceProperty.check({ ...run, endUs: 1_179_999 }).status).toBe('pass');
    const due = convergenceProperty.check({ ...run, endUs: 1_180_000 });
    expect(due.status).toBe('fail');
    expect(due.message).toMatch(/ n6=[0-9a-f]+@10/);
    // Only SMART's rule: for another protocol the same record is judged at the end.
    expect(convergenceProperty.check({ ...run, protocol: 'example' }).status).toBe('fail');
  });
});

describe('liveness', () => {
  const op = (id: number, call: number, ret?: number): HistoryOp => ({
    id, client: 'c0', input: { type: 'get', key: 'k' }, call,
    status: ret === undefined ? 'info' : 'ok',
    ...(ret === undefined ? {} : { return: ret, output: { ok: true, value: '' } }),
  });

  it('passes when operations complete soon after the faults stop', () => {
    expect(liveness.check(fakeRun({ ops: [op(0, 510_000, 520_000),
      op(1, 700_000, 710_000)] })).status).toBe('pass');
  });

  it('fails when nothing completes within the bound, or later operations hang', () => {
    expect(liveness.check(fakeRun({ ops: [op(0, 510_000), op(1, 640_000, 650_000)] })).status)
      .toBe('fail');
    const v = liveness.check(fakeRun({ ops: [op(0, 510_000, 520_000), op(1, 700_000)] }));
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/#1 c0 get k at t=700000us/);
  });

  it('gives a leader that failed just before the heal one failover (a suspicion timeout and a ' +
    'heartbeat) when a quarter of the settle phase is shorter (explore seed 841500 of ' +
    'smart-ckpt-note-slow-disk, a false alarm under the quarter alone)', () => {
    // Leader n1 crashed at 437 ms and restarted at 445 ms as a follower (P1.5); n2 suspected it
    // 200 ms after its last heartbeat and led from 620 ms; the heal was at 500 ms, the settle
    // phase 481 ms long: its quarter, 120 ms, is shorter than leaderTimeoutUs 200 ms + 30 ms.
    const run = savedRun(new URL('../protocol/smart/regressions/' +
      'explore-ckpt-note-slow-disk-841500-leader-crash-before-heal.json', import.meta.url),
    'smart');
    expect(Math.floor((run.endUs - run.faultWindowEndUs) / 4)).toBe(120_356);
    expect(livenessBoundUs(run)).toBe(230_000);
    const v = liveness.check(run);
    expect(v).toMatchObject({ status: 'pass', measures: { resumeUs: 121_615 } });
    // Still fails when nothing completes within the failover.
    const late = { ...run, history: { ...run.history, ops: run.history.ops.map((o) =>
      o.status === 'ok' && o.return! >= run.faultWindowEndUs
        && o.return! <= run.faultWindowEndUs + 230_000 ? { ...o, status: 'info' as const } : o) } };
    expect(liveness.check(late).status).toBe('fail');
    // Other protocols, and runs whose quarter is longer, keep the quarter.
    expect(livenessBoundUs(fakeRun({}))).toBe(125_000);
    expect(livenessBoundUs({ ...run, endUs: run.faultWindowEndUs + 2_000_000 })).toBe(500_000);
  });

  it('owes an OPB group whose members booted at the heal its failover from the end of their ' +
    'boot guard (explore trial 1454989 of opb-majority-dcs-down, a false alarm by 7 ms)', () => {
    // The heal at 3 s restarted both members of s0, n1 and n5; each waited its whole guard,
    // max(fdUs 150 ms, 2 gossipUs 500 ms), and promoted at 3.5 s; the clients' attempts sent
    // meanwhile waited out their 200 ms timeout and the first completion came at 3.632 s.
    const run = savedRun(new URL('../protocol/optimistic/regressions/' +
      'explore-majority-dcs-down-1454989-guard-after-heal.json', import.meta.url), 'opb');
    expect(Math.floor((run.endUs - run.faultWindowEndUs) / 4)).toBe(625_000);
    expect(bootGuardLeftUs(run)).toBe(500_000);
    expect(livenessBoundUs(run)).toBe(700_000);
    expect(liveness.check(run)).toMatchObject({ status: 'pass', measures: { resumeUs: 632_250 } });
    // A completion past the guard and a failover still fails.
    const late = { ...run, history: { ...run.history, ops: run.history.ops.map((o) =>
      o.status === 'ok' && o.return! >= run.faultWindowEndUs
        && o.return! <= run.faultWindowEndUs + 700_000 ? { ...o, status: 'info' as const } : o) } };
    expect(liveness.check(late).status).toBe('fail');
    // A boot whose guard ended before the heal, or no boot at all, leaves the bound as it was.
    const early = { ...run, nodeEvents: run.nodeEvents.map((e) =>
      e.kind === 'up' && e.at > 0 ? { ...e, at: run.faultWindowEndUs - 500_000 } : e) };
    expect(bootGuardLeftUs(early)).toBe(0);
    expect(livenessBoundUs(early)).toBe(625_000);
    expect(liveness.check(early).status).toBe('fail');
    expect(bootGuardLeftUs({ ...run, protocol: 'smart' })).toBe(0);
  });
});

describe('liveness: SMART replicas restored at the heal', () => {
  it('owes SMART the rank stagger of the latest-ranked member booted at the heal (explore ' +
    'trial 1471412 of opb-zone-disasters with SMART, a false alarm by 1.7 ms)', () => {
    // The heal at 4 s restarted every node; n3 and n4, ranks 0 and 1 of [n3,n4,n5,n6,n7], had
    // empty disks, so n5 (rank 2) campaigned first, 500 ms after the heal; the first completion
    // came 624 ms after it, past the quarter of the settle phase, 622 ms.
    const run = savedRun(new URL('../protocol/smart/regressions/' +
      'explore-opb-zone-disasters-1471412-restored-replicas-staggered-at-heal.json',
    import.meta.url), 'smart');
    expect(Math.floor((run.endUs - run.faultWindowEndUs) / 4)).toBe(622_302);
    expect(staggerLeftUs(run)).toBe(400_000); // n7, rank 4, booted at the heal
    expect(livenessBoundUs(run)).toBe(750_000); // 400 + 300 ms timeout + 50 ms heartbeat
    expect(liveness.check(run)).toMatchObject({ status: 'pass', measures: { resumeUs: 624_008 } });
    // Without the stagger (the old bound) it failed; nothing by 750 ms still fails.
    expect(liveness.check({ ...run, params: { ...run.params, staggerUs: 0 } }).status)
      .toBe('fail');
    const late = { ...run, history: { ...run.history, ops: run.history.ops.map((o) =>
      o.status === 'ok' && o.return! >= run.faultWindowEndUs
        && o.return! <= run.faultWindowEndUs + 750_000 ? { ...o, status: 'info' as const } : o) } };
    expect(liveness.check(late).status).toBe('fail');
    // Boots whose stagger ended before the heal, and other protocols, owe nothing.
    const early = { ...run, nodeEvents: run.nodeEvents.map((e) =>
      e.kind === 'up' && e.at > 0 ? { ...e, at: run.faultWindowEndUs - 400_000 } : e) };
    expect(staggerLeftUs(early)).toBe(0);
    expect(liveness.check(early).status).toBe('fail');
    expect(staggerLeftUs({ ...run, protocol: 'opb' })).toBe(0);
  });

  it('owes the first campaign of replicas started just before the heal (explore trial 1671714 ' +
    'of smart-two-leaders-one-request, a false alarm by 14.6 ms)', () => {
    // n2 started configuration 11 [n1,n2,n3] in its step at 1.183286 s, n3 at 1.199658 s, 17 ms and
    // 0.3 ms before the heal; n1, rank 0, never heard of it. n2, rank 1, owed 60 ms of stagger from
    // its start: 43.3 ms after the heal, plus the 200 ms timeout and the 30 ms heartbeat.
    const run = savedRun(new URL('../protocol/smart/regressions/' +
      'explore-two-leaders-one-request-1671714-replica-started-before-heal.json',
    import.meta.url), 'smart');
    expect(staggerLeftUs(run)).toBe(43_286);
    expect(livenessBoundUs(run)).toBe(273_286);
    expect(liveness.check(run)).toMatchObject({ status: 'pass', measures: { resumeUs: 263_191 } });
    // Without those replica facts the bound is the quarter of the settle phase again, and fails.
    const isStart = (o: { label: string; data: unknown }): boolean => o.label === 'replica'
      && (o.data as { config: number }).config === 11;
    const unstarted = { ...run, observations: run.observations.filter((o) => !isStart(o)) };
    expect(staggerLeftUs(unstarted)).toBe(0);
    expect(liveness.check(unstarted).status).toBe('fail');
    // The earliest start owes the first campaign: n3's alone (rank 2) would owe 119.7 ms.
    const n3Only = { ...run, observations: run.observations.filter((o) =>
      !(isStart(o) && o.node === 'n2')) };
    expect(staggerLeftUs(n3Only)).toBe(119_658);
  });
});

describe('retries-answered', () => {
  // fakeRun: faults stop at 500 ms, the run ends at 1 s, so the bound is at 625 ms.
  const pending: HistoryOp = { id: 7, client: 'c0', input: { type: 'put', key: 'k', value: 'v' },
    call: 400_000, status: 'info' };
  const timeouts = (...at: number[]) => at.map((t, i) => ({ at: t, client: 'c0', opId: 7,
    attempt: i + 1 }));

  it('fails an operation left unanswered through three attempts made after the bound', () => {
    const v = retriesAnswered.check(fakeRun({ ops: [pending],
      requestTimeouts: timeouts(650_000, 700_000, 800_000, 900_000) }));
    expect(UNANSWERED_ATTEMPTS).toBe(3);
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/#7 c0 put k \(invoked at t=400000us, 3 attempts lost\)/);
  });

  it('passes fewer lost attempts, an answered operation, and skips a run without retries', () => {
    expect(retriesAnswered.check(fakeRun({ ops: [pending],
      requestTimeouts: timeouts(600_000, 700_000, 800_000, 900_000, 950_000).slice(1, 4) }))
      .status).toBe('pass');
    expect(retriesAnswered.check(fakeRun({ ops: [{ ...pending, status: 'ok', return: 950_000,
      output: { ok: true } }], requestTimeouts: timeouts(700_000, 800_000, 900_000, 940_000) }))
      .status).toBe('pass');
    // Timeouts before the bound: the faults may have caused them.
    expect(retriesAnswered.check(fakeRun({ ops: [pending],
      requestTimeouts: timeouts(300_000, 400_000, 500_000, 600_000) })).status).toBe('skip');
  });

  it('catches the declared mutant opb:retry-to-waiting on its built-in, not the protocol', () => {
    const verdict = (mutant: string | null) => runChecked({
      scenario: loadScenario('opb-retry-after-checkpoint'), protocol: 'opb', seed: 1, mutant,
    }).verdicts.find((v) => v.property === 'retries-answered')!;
    expect(verdict('opb:retry-to-waiting').status).toBe('fail');
    expect(verdict(null).status).not.toBe('fail');
  });
});
