/**
 * opb-move-abort: a move whose new member accepted the JOIN and keeps acking aborts only after
 * 20 T_fd (protocol/optimistic/README.md), judged from the JOINs, JoinAcks and ACKs in the
 * message record. opb-three-way-discard seed 0: after the heal n9 repairs s0. Under the declared
 * mutant opb:early-abort (mutation #3398 of the seed-37 sample) it aborts the move adding n11
 * 250 ms after its JOIN, while n11 acks, and refuses live candidates one after another.
 *
 * And no abort once the new member caught up (holds what a live backup holds, make-before-break):
 * opb-join-refused seed 0, n1 repairs s0 by adding n10 at 1.25 s; unmutated the move completes
 * at the next round (1.5 s). Under opb:no-ack-floor (Stryker #3390 of the seed-39 sample) n1
 * waits for n10 to ack its tip, which under steady writes never happens, and aborts at 4.25 s.
 * A move abandoned for a newer membership heard by gossip is not judged: opb-partition-halves
 * with a 3 ms disk, seed 2 (seed 19 before the re-send rule of explore trial 1110293), where
 * n9's gossip of s0 at m3 reaches n1 at the heal.
 *
 * A refusal by the new member ends its move at once: under opb:refusal-keeps-move (Stryker #3704
 * of the seed-48 sample) n1 keeps s1's move adding n10 open after n10 refused it at 1.27 s and
 * aborts it at 4.25 s, only then asking n11 (opb-join-refused seed 0).
 *
 * Nor a `done` before the new member caught up: opb-diurnal seed 13 (seed 0 before the re-send
 * rule; the mutants TABLE's seed), n9's consolidate move adding n13 to s2. Under
 * opb:done-on-any-ack (Stryker #3633 of the seed-48 sample: the new member's own ack taken for a
 * floor) it completes at 2 s with n13 at 57 and both other members at 58.
 *
 * An ACK the primary forgot as lost is no floor: explore trial 1652272 of opb-stale-group-back,
 * where n9's heartbeat after its empty-disk boot made n5 forget n9's ACK of 197 before the round
 * the old rule judged n2 caught up at.
 */
import { describe, expect, it } from 'vitest';
import { moveAbortProblems, opbMoveAbort } from '../../properties/opb-move-abort.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';
import { savedRun } from '../helpers/regressions.js';

const record = (mutant: string | null, keepTrace = true): RunRecord => simulate({
  scenario: loadScenario('opb-three-way-discard'), protocol: findProtocol('opb')!, seed: 0,
  mutant, keepTrace });
const joinRefused = (mutant: string | null): RunRecord => simulate({
  scenario: loadScenario('opb-join-refused'), protocol: findProtocol('opb')!, seed: 0, mutant,
  keepTrace: true });
const resultOf = (r: RunRecord): { problems: string[]; judged: number } =>
  moveAbortProblems(r) as { problems: string[]; judged: number };

describe('opb-move-abort', () => {
  it('holds unmutated on opb-three-way-discard seed 0', () => {
    const run = record(null);
    expect(resultOf(run).problems).toEqual([]);
    expect(opbMoveAbort.check(run).status).not.toBe('fail');
  });

  it('fails a move aborted one round after its JOIN while the new member acks (#3398)', () => {
    const r = resultOf(record('opb:early-abort'));
    expect(r.judged).toBeGreaterThan(0);
    expect(r.problems.length).toBeGreaterThan(0);
    expect(r.problems[0]).toBe('s0: n9 aborted its repair move adding n11 at t=1750000us, ' +
      '250000us after its JOIN (t=1500000us), before 20 T_fd = 3000000us, while n11 had ' +
      'accepted the JOIN and was acking');
  });

  it('does not judge a run without the message record', () => {
    expect(moveAbortProblems(record('opb:early-abort', false)))
      .toBe('the run kept no message record');
  });

  describe('a move whose new member caught up (opb-join-refused seed 0)', () => {
    const mutated = joinRefused('opb:no-ack-floor');

    it('holds unmutated: the move adding n10 completes at the round after its JOIN', () => {
      const run = joinRefused(null);
      expect(resultOf(run).problems).toEqual([]);
      expect(opbMoveAbort.check(run).status).not.toBe('fail');
    });

    it('fails when no backup\'s ack is a floor and the move aborts after 20 T_fd (#3390)', () => {
      // Judged: the abort, and the two moves done later (the done rule).
      expect(resultOf(mutated)).toEqual({ judged: 3, problems: [
        's0: n1 aborted its repair move adding n10 at t=4250000us, but at its round ' +
          't=1500000us n10 had acked i=109 (t=1490308us), at least live backup n5\'s latest ack ' +
          'i=109 (t=1487111us): n10 had caught up and the move should have completed ' +
          '(make-before-break)',
      ] });
      expect(opbMoveAbort.check(mutated).status).toBe('fail');
    });

    it('fails a move kept open after its new member refused, aborted 20 T_fd later (#3704)', () => {
      const kept = joinRefused('opb:refusal-keeps-move');
      expect(resultOf(kept).problems).toEqual([
        's1: n1 aborted its repair move adding n10 at t=4250000us, but n10 had refused its JOIN ' +
          '(t=1250000us) in a JoinAck that reached n1 at t=1270000us: the refusal ends the move ' +
          'at once, and the loser retries elsewhere (P2.6 RESERVE+JOIN)',
      ]);
      expect(opbMoveAbort.check(kept).status).toBe('fail');
    });

    it('judges no catch-up while the new member stays behind every live backup', () => {
      // n5's ACKs made 1000 entries longer: n10 never holds what n5 holds.
      const ahead: RunRecord = { ...mutated, messages: mutated.messages!.map((m) =>
        (m.from === 'n5' && m.to === 'n1' ? { ...m, label: m.label.replace(/^(Ack s0 \S+ i=)(\d+)/,
          (_, h: string, i: string) => `${h}${Number(i) + 1000}`) } : m)) };
      // (The later move adding n12 is then judged done too early: n5's ACKs are ahead of it.)
      expect(resultOf(ahead).problems.filter((p) => p.includes(' aborted '))).toEqual([]);
    });
  });

  describe('a move completed before its new member caught up (opb-diurnal seed 13)', () => {
    const diurnal = (mutant: string | null): RunRecord => simulate({
      scenario: loadScenario('opb-diurnal'), protocol: findProtocol('opb')!, seed: 13, mutant,
      keepTrace: true });
    const mutated = diurnal('opb:done-on-any-ack');

    it('holds unmutated, judging the completed moves', () => {
      const r = resultOf(diurnal(null));
      expect(r.problems).toEqual([]);
      expect(r.judged).toBeGreaterThan(0);
    });

    it('fails a move done while its new member holds less than every other member (#3633)', () => {
      const r = resultOf(mutated);
      expect(r.problems[0]).toBe('s2: n9 completed its consolidate move adding n13 at ' +
        't=2000000us, but n13 had acked at most i=57 while every other member held more ' +
        '(n15 i=58 (t=1998459us), n2 i=58 (t=1996880us)): make-before-break removes the old ' +
        'replica only once the new one is up to date');
      expect(opbMoveAbort.check(mutated).status).toBe('fail');
    });

    it('judges nothing when another member\'s ACK might be a floor the new member reached', () => {
      // n15's ACKs to n9 made 100 entries shorter: n15 may be the floor n13 reached.
      const behind: RunRecord = { ...mutated, messages: mutated.messages!.map((m) =>
        (m.from === 'n15' && m.to === 'n9' ? { ...m, label: m.label.replace(/^(Ack s2 \S+ i=)(\d+)/,
          (_, h: string, i: string) => `${h}${Math.max(0, Number(i) - 100)}`) } : m)) };
      expect(resultOf(mutated).problems.filter((p) => p.startsWith('s2: n9 completed')))
        .toHaveLength(1);
      expect(resultOf(behind).problems.filter((p) => p.startsWith('s2: n9 completed'))).toEqual([]);
    });
  });

  describe('a floor the primary forgot as lost (explore trial 1652272 of opb-stale-group-back)',
    () => {
      // n9, back without its disk at 3.2 s, reports index 0 to n5 at 3.226 s: n5 forgets its
      // ACK of 197 (2.02 s), so at the 3.25 s round n9 sets no floor for n2 (at 311).
      const run = savedRun(new URL('../protocol/optimistic/regressions/' +
        'explore-stale-group-back-1652272-forgotten-ack-floor.json', import.meta.url), 'opb', true);
      const amnesiac = run.messages!.find((m) => m.from === 'n9' && m.to === 'n5'
        && m.at === 3_226_000)!;

      it('holds: the ACK of 197 no longer counted at the 3.25 s round', () => {
        expect(amnesiac.label).toMatch(/^Hb s0 .* i=0@- /);
        const r = resultOf(run);
        expect(r.problems).toEqual([]);
        expect(r.judged).toBe(2);
      });

      it('fails the abort when that heartbeat still reported the acked 197', () => {
        const kept: RunRecord = { ...run, messages: run.messages!.map((m) => (m === amnesiac
          ? { ...m, label: m.label.replace(' i=0@- ', ' i=197@1:1.n5 ') } : m)) };
        expect(resultOf(kept).problems).toEqual(['s0: n5 aborted its repair move adding n2 at ' +
          't=4500000us, but at its round t=3250000us n2 had acked i=311 (t=3248770us), at least ' +
          'live backup n9\'s latest ack i=197 (t=2020530us): n2 had caught up and the move ' +
          'should have completed (make-before-break)']);
        expect(opbMoveAbort.check(kept).status).toBe('fail');
      });
    });

  it('does not judge a move abandoned for a newer membership heard by gossip', () => {
    const base = loadScenario('opb-partition-halves');
    const run = simulate({ scenario: { ...base, network: { ...base.network, diskWriteUs: 3000 } },
      protocol: findProtocol('opb')!, seed: 2, mutant: null, keepTrace: true });
    const abort = run.observations.find((o) => o.label === 'opb.move'
      && (o.data as { phase: string }).phase === 'abort')!;
    const at = abort.stepAt ?? abort.at;
    expect(abort).toMatchObject({ node: 'n1', data: { add: 'n3' } });
    expect(run.messages!.some((m) => m.to === 'n1' && m.at === at
      && /^Gossip .*[=,]s0:n9@\S+ m3\[/.test(m.label))).toBe(true);
    expect(resultOf(run).problems).toEqual([]);
  });
});
