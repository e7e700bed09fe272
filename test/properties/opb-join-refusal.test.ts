/**
 * opb-join-refusal (P2.6: "first reservation wins; losers retry elsewhere"): a node that refused a
 * group's JOIN does not end up hosting that group without a later JOIN. opb-join-refused seed 0:
 * n10 takes s0's JOIN and refuses s1's at 1.26 s; n1, s1's primary, retries on n11.
 */
import { describe, expect, it } from 'vitest';
import {
  joinRefusalProblems, opbJoinRefusal, reservationProblems,
} from '../../properties/opb-join-refusal.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { MessageFact, Observation, RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';
import { savedRun } from '../helpers/regressions.js';

const record = (keepTrace: boolean): RunRecord => simulate({
  scenario: loadScenario('opb-join-refused'), protocol: findProtocol('opb')!, seed: 0,
  mutant: null, keepTrace });
const run = record(true);
const problemsOf = (r: RunRecord): string[] =>
  (joinRefusalProblems(r) as { problems: string[] }).problems;
const refusal = run.messages!.find((m) => m.from === 'n10' && m.label === 'JoinAck s1 ok=false')!;

/** The run with n10 adopting s1 at `at` (as from n1's heartbeat), and extra facts/messages. */
function adopted(at: number, extra: { obs?: Observation[]; messages?: MessageFact[] } = {}):
  RunRecord {
  const join: Observation = { at, seq: 1e9, node: 'n10', label: 'opb.join',
    data: { service: 1, primary: 'n1', membershipVersion: 2 } };
  const observations = [...run.observations, join, ...(extra.obs ?? [])]
    .sort((a, b) => a.at - b.at || a.seq - b.seq);
  return { ...run, observations, messages: [...run.messages!, ...(extra.messages ?? [])] };
}

describe('opb-join-refusal', () => {
  it('holds on the run: n10 refused s1, and the heartbeat naming it a member that came with '
    + 'the JOIN too (no room), so it never hosted s1', () => {
    expect(refusal.sent).toBe(1_260_000);
    const refusals = run.messages!.filter((m) => m.from === 'n10'
      && m.label === 'JoinAck s1 ok=false');
    expect(refusals.map((m) => m.sent)).toEqual([1_260_000, 1_260_000]);
    const facts = run.observations.filter((o) => o.node === 'n10'
      && (o.label === 'opb.join' || o.label === 'opb.leave')
      && (o.data as { service: number }).service === 1).map((o) => `${o.label}@${o.at}`);
    expect(facts).toEqual([]);
    // The two JoinAcks of that one instant are one refusal.
    expect(joinRefusalProblems(run)).toEqual({ problems: [], judged: 1 });
  });

  it('fails when the refusing node hosts the group anyway, past the bound (mutation #3245)', () => {
    expect(joinRefusalProblems(adopted(1_400_000))).toEqual({ judged: 1, problems: [
      's1: n10 refused its JOIN at t=1260000us, then hosted it from t=1400000us (joining from ' +
        'n1, no JOIN since) past 1500000us',
    ] });
  });

  it('does not judge a refusal lost on the way: the primary still counts the node a member',
    () => {
      const lost = adopted(1_400_000);
      const messages = lost.messages!.map((m) => (m.from === 'n10'
        && m.label === 'JoinAck s1 ok=false' ? { ...m, drop: 'loss' } : m));
      expect(joinRefusalProblems({ ...lost, messages })).toEqual({ problems: [], judged: 0 });
    });

  it('lets it host the group after a later JOIN, or leave it within the bound', () => {
    // From another primary of s1 (one from n1 this soon would be a retry on the refusing node).
    const again: MessageFact = { sent: 1_390_000, at: 1_395_000, from: 'n5', to: 'n10',
      label: 'Join s1 n5@3.n5 m3[n1,n5,n10]', drop: 'lost' };
    expect(problemsOf(adopted(1_400_000, { messages: [again] }))).toEqual([]);
    const leave: Observation = { at: 1_450_000, seq: 1e9 + 1, node: 'n10', label: 'opb.leave',
      data: { service: 1, membershipVersion: 3 } };
    expect(problemsOf(adopted(1_400_000, { obs: [leave] }))).toEqual([]);
  });

  it('fails when the primary asks the refusing node again within T_cool (seed-35 #3448)', () => {
    const again = (sent: number): MessageFact => ({ sent, at: sent + 10_000, from: 'n1',
      to: 'n10', label: 'Join s1 n1@2.n1 m3[n1,n5,n10]', drop: null });
    const sending = (m: MessageFact): RunRecord => ({ ...run, messages: [...run.messages!, m] });
    expect(problemsOf(sending(again(1_500_000)))).toEqual([
      's1: n10 refused n1\'s JOIN sent at t=1250000us (taken at t=1270000us); n1 sent it a ' +
        'JOIN again at t=1500000us, within the cool-down 1500000us (losers retry elsewhere)',
    ]);
    // T_cool after the refused JOIN, a new move may pick the node again.
    expect(problemsOf(sending(again(2_750_000)))).toEqual([]);
  });

  it('fails on the declared mutant opb:retry-refused, which asks n10 again at 1.5 s', () => {
    const mutated = simulate({ scenario: loadScenario('opb-join-refused'),
      protocol: findProtocol('opb')!, seed: 0, mutant: 'opb:retry-refused', keepTrace: true });
    expect(problemsOf(mutated)).toEqual([
      's1: n10 refused n1\'s JOIN sent at t=1250000us (taken at t=1270000us); n1 sent it a ' +
        'JOIN again at t=1500000us, within the cool-down 1500000us (losers retry elsewhere)',
    ]);
  });

  it('takes the refusal from the message record when the primary reports no refused move '
    + '(seed-47 survivor #3703), unless the primary changed role since the move started', () => {
    const mutated = simulate({ scenario: loadScenario('opb-join-refused'),
      protocol: findProtocol('opb')!, seed: 0, mutant: 'opb:retry-refused', keepTrace: true });
    const isFact = (o: Observation): boolean => o.label === 'opb.move' && o.node === 'n1'
      && (o.data as { phase: string }).phase === 'refused';
    expect(mutated.observations.filter(isFact).length).toBeGreaterThan(0);
    const unreported = { ...mutated, observations: mutated.observations.filter((o) => !isFact(o)) };
    expect(problemsOf(unreported)).toEqual(problemsOf(mutated));
    expect(problemsOf(unreported)).toEqual([
      's1: n10 refused n1\'s JOIN sent at t=1250000us (taken at t=1270000us); n1 sent it a ' +
        'JOIN again at t=1500000us, within the cool-down 1500000us (losers retry elsewhere)',
    ]);
    // n1 stepped down in between: its move, and the duty the refusal brings, are not judged.
    const role: Observation = { at: 1_260_000, seq: 1e9, node: 'n1', label: 'opb.role',
      data: { service: 1, role: 'backup', epoch: '3:1.n2', counter: 3, reason: 'lost' } };
    const observations = [...unreported.observations, role]
      .sort((a, b) => a.at - b.at || a.seq - b.seq);
    expect(problemsOf({ ...unreported, observations })).toEqual([]);
  });

  it('holds when the winner\'s membership merge leaves out the node that refused its JOIN, '
    + 'though the loser still lists it (a protocol bug this check found on opb-merge-refused '
    + 'seed 3074)', () => {
    // Seed 3074 of opb-merge-refused no longer reaches that merge since the skew fix (a rate
    // counts from the fault's instant; no seed 0-800 does) and holds; opb-merge-refused-cool,
    // made of that case (no skew), does: n10 refuses s1's JOIN at 1.26 s, n5 claims s1 with
    // n10 among its members.
    const run = (name: string, seed: number): RunRecord => simulate({
      scenario: loadScenario(name), protocol: findProtocol('opb')!, seed, mutant: null,
      keepTrace: true });
    expect(joinRefusalProblems(run('opb-merge-refused', 3074))).toMatchObject({ problems: [] });
    const merged = run('opb-merge-refused-cool', 0);
    expect(merged.messages!.some((m) => m.from === 'n10' && m.label === 'JoinAck s1 ok=false'
      && m.drop === null)).toBe(true);
    expect(merged.messages!.some((m) => m.from === 'n5' && m.to === 'n1'
      && m.label.startsWith('Hb s1 primary p=n5 ') && m.label.includes('[n1,n5,n10]'))).toBe(true);
    expect(joinRefusalProblems(merged)).toMatchObject({ problems: [] });
  });

  /** A saved regression of explore trial 997282 of opb-bridge-loser-leaves, with its record. */
  const saved = (mechanism: string): RunRecord => savedRun(new URL('../protocol/optimistic/' +
    `regressions/explore-bridge-loser-leaves-997282-${mechanism}.json`, import.meta.url), 'opb',
  true);
  /** `r` with `from` sending `to` a heartbeat of s`svc` naming `members` at `sent`. */
  const naming = (r: RunRecord, from: string, to: string, svc: number, sent: number,
    members: string): RunRecord => ({ ...r, messages: [...r.messages!, { sent, at: sent + 10_000,
    from, to, label: `Hb s${svc} primary p=${from} e=9:1.${from} m9[${members}] i=0@- age=-1`,
    drop: null }] });

  it('holds when another primary, which never got the refusal, names the node later '
    + '(997282 shrunk: n7 refuses n13 at 4.34 s; n1, cut off with n13\'s older membership, '
    + 'names it at 4.83 s, when it has room; edited record)', () => {
    // Since the primary's re-send rule the saved run keeps the refusals (n13 merges the loser n7
    // back into s2 at 4.2897 s as m4[n13,n1,n7], n7 refuses it three times from 4.34 s, n13
    // drops it: m5[n13,n1] from 4.4 s) and n1, cut off in a1 from 4.345 s, still becomes
    // primary of s2 at 4.5 s (5:2.n1) until it loses at 4.751 s; but it holds n13's m3[n13,n1],
    // without n7, so it never names n7 (no seed 0-100 showed the case). Edited to the find's:
    // n1 holds m4[n13,n1,n7] in its s2 digests and messages of 4.5-4.751 s, its heartbeat of
    // 4.75 s reaches n7 too (after the heal at 4.655 s), and n7 joins s2 from it at 4.826649 s.
    const r = saved('other-primary-names-refused-node');
    const refusals = r.messages!.filter((m) => m.from === 'n7' && m.to === 'n13'
      && m.label === 'JoinAck s2 ok=false' && m.drop === null);
    expect(refusals.map((m) => m.sent)).toEqual([4_343_762, 4_351_319, 4_408_921]);
    const isN1s2 = (o: Observation): boolean => o.node === 'n1'
      && (o.data as { service?: number }).service === 2;
    expect(r.observations.filter((o) => isN1s2(o) && o.label === 'opb.role'
      && o.at >= 4_500_000 && o.at < 5_000_000).map((o) => [o.at, o.data])).toEqual([
      [4_500_000, { service: 2, role: 'primary', epoch: '5:2.n1', counter: 2,
        reason: 'suspect' }],
      [4_751_157, { service: 2, role: 'reconciling', epoch: '5:2.n1', counter: 2,
        reason: 'lost' }],
      [4_918_755, { service: 2, role: 'backup', epoch: '6:2.n13', counter: 2,
        reason: 'reconciled' }]]);
    const joinsS2 = (x: RunRecord): Observation[] => x.observations.filter((o) =>
      o.node === 'n7' && o.label === 'opb.join' && (o.data as { service: number }).service === 2
      && o.at > 4_400_000);
    expect(joinsS2(r)).toEqual([]);
    expect(problemsOf(r)).toEqual([]);
    const inTenure = (at: number): boolean => at >= 4_500_000 && at <= 4_751_157;
    const hb = 'Hb s2 primary p=n1 e=5:2.n1 m4[n13,n1,n7] i=161@5:2.n1 age=-1 stable=0';
    const messages: MessageFact[] = [...r.messages!.map((m) => (m.from === 'n1'
      && inTenure(m.sent) && m.label.includes(' s2 ')
      ? { ...m, label: m.label.replace(' m3[n13,n1] ', ' m4[n13,n1,n7] ') } : m)),
    { sent: 4_750_000, at: 4_826_649, from: 'n1', to: 'n7', label: hb, drop: null }];
    const join: Observation = { at: 4_826_649, seq: 1e9, node: 'n7', label: 'opb.join',
      data: { service: 2, primary: 'n1', membershipVersion: 4 } };
    const observations = [...r.observations.map((o) => (isN1s2(o) && o.label === 'opb.digest'
      && inTenure(o.at) ? { ...o, data: { ...(o.data as object), members: ['n13', 'n1', 'n7'],
      membershipVersion: 4 } } : o)), join].sort((a, b) => a.at - b.at || a.seq - b.seq);
    const edited: RunRecord = { ...r, messages, observations };
    expect(joinsS2(edited).map((o) => [o.at, (o.data as { primary: string }).primary]))
      .toEqual([[4_826_649, 'n1']]);
    expect(problemsOf(edited)).toEqual([]);
    // Had n13 named n7 after taking its refusal, n1's membership could be n13's: judged.
    expect(problemsOf(naming(edited, 'n13', 'n1', 2, 4_500_000, 'n13,n1,n7'))).toHaveLength(3);
  });

  it('holds when the refused primary names the node again only after T_cool (997282: n1 '
    + 'refuses n13 at 3.10 s, n13 merges it back at 4.29 s, T_cool 1 s)', () => {
    const r = saved('merged-again-after-cool-down');
    const merge = r.observations.find((o) => o.node === 'n13' && o.label === 'opb.merge-members'
      && o.at > 4_000_000)!;
    const added = (merge.data as { added: string[] }).added;
    expect([merge.at, added]).toEqual([4_285_047, ['n1', 'n7']]);
    expect(problemsOf(r)).toEqual([]);
    // n13 naming n1 within T_cool of the refusal (it kept the refused node): judged.
    expect(problemsOf(naming(r, 'n13', 'n4', 1, 3_600_000, 'n13,n4,n1'))).toEqual([
      's1: n1 refused its JOIN at t=3102146us, then hosted it from t=4337984us (joining from ' +
        'n13, no JOIN since) past 1500000us',
      's1: n1 refused its JOIN at t=3151259us, then hosted it from t=4337984us (joining from ' +
        'n13, no JOIN since) past 1500000us',
      's1: n1 refused its JOIN at t=3208994us, then hosted it from t=4337984us (joining from ' +
        'n13, no JOIN since) past 1500000us',
    ]);
  });

  it('counts the cool-down from the first of a run of repeated refusals, as the primary does '
    + '(997282 with a fourth repeat of n1\'s refusal 0.99 s after the third)', () => {
    const r = saved('merged-again-after-cool-down');
    const refusals = r.messages!.filter((m) => m.from === 'n1' && m.to === 'n13'
      && m.label === 'JoinAck s1 ok=false' && m.drop === null);
    const last = refusals.at(-1)!;
    // Its own cool-down would cover n13's re-merge at 4.29 s; the run's first one's does not.
    const repeat = { ...last, sent: last.sent + 990_000, at: last.at + 990_000 };
    expect(repeat.at + 1_000_000).toBeGreaterThan(4_285_047);
    expect(problemsOf({ ...r, messages: [...r.messages!, repeat] })).toEqual([]);
  });

  it('skips a run without a message record', () => {
    expect(opbJoinRefusal.check(record(false)).status).toBe('skip');
    expect(reservationProblems(record(false))).toBe('the run kept no message record');
  });
});

describe('opb-join-refusal: a node takes a JOIN only with room (first reservation wins)', () => {
  it('holds on the run: n10 takes s0 at 1.26 s, n11 takes s1 at 1.51 s, each with room', () => {
    expect(reservationProblems(run)).toEqual({ problems: [], judged: 2 });
    expect(opbJoinRefusal.check(run)).toMatchObject({ status: 'pass',
      measures: { judged: 1, taken: 2 } });
  });

  it('fails on the declared mutant opb:join-without-room: n10, with room for one replica '
    + '(highPct 7 %, a replica 5 %), takes both groups\' JOINs (Stryker #175 of seed 48)', () => {
    const mutated = simulate({ scenario: loadScenario('opb-join-refused'),
      protocol: findProtocol('opb')!, seed: 0, mutant: 'opb:join-without-room', keepTrace: true });
    expect(reservationProblems(mutated)).toEqual({ judged: 2, problems: [
      's1: n10 took its JOIN at t=1260000us after 1 other JOIN(s) since its load window closed ' +
        'at t=1250000us: 2 x 50‰ standing cost is above highPct 70‰ (no room; first ' +
        'reservation wins)',
    ] });
    expect(opbJoinRefusal.check(mutated).status).toBe('fail');
  });

  it('counts a node\'s reservations from its last boot: a restart starts its load at 0', () => {
    const mutated = simulate({ scenario: loadScenario('opb-join-refused'),
      protocol: findProtocol('opb')!, seed: 0, mutant: 'opb:join-without-room', keepTrace: true });
    // n10's first JoinAck moved to 1.255 s, and n10 booted again at 1.258 s: the second
    // JoinAck is the first of that life.
    const first = mutated.messages!.findIndex((m) => m.label === 'JoinAck s0 ok=true');
    const messages = mutated.messages!.map((m, i) => (i === first
      ? { ...m, sent: 1_255_000, at: 1_265_000 } : m));
    const nodeEvents = [...mutated.nodeEvents,
      { at: 1_258_000, seq: 0, node: 'n10', kind: 'up' as const }];
    expect(reservationProblems({ ...mutated, messages }))
      .toMatchObject({ problems: [expect.stringContaining('s1: n10 took its JOIN')] });
    expect(reservationProblems({ ...mutated, messages, nodeEvents }))
      .toEqual({ problems: [], judged: 1 });
  });
});
