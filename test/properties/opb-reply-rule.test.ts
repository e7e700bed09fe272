/**
 * opb-reply-rule (P2.4 #4): a primary answers a write only once min(w, backups it heard within
 * fdUs) members acknowledged it, judged from the message record. opb-primary-crash seed 0 (the
 * campaign's first step with a record): n1 leads s0 with n5 and n9, w = 1; clients retry after
 * 200 ms, before the first writes are acknowledged. Explore trial 1460383 of
 * opb-lost-transfer-to-empty: a member added and dropped between two digests of the primary
 * acked an answer; the old check, counting acks only from the digests' members, missed it.
 * Explore trial 1653829 of opb-clients-asleep: a tick dropped a member, then answered, then
 * reported its digest in the same microsecond; the old check took the next digest by time.
 */
import { describe, expect, it } from 'vitest';
import { opbReplyRule, replyRuleProblems } from '../../properties/opb-reply-rule.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';
import { readSaved, savedRun } from '../helpers/regressions.js';

const record = (mutant: string | null, keepTrace = true): RunRecord => simulate({
  scenario: loadScenario('opb-primary-crash'), protocol: findProtocol('opb')!, seed: 0, mutant,
  keepTrace,
});
const result = (r: RunRecord): { problems: string[]; judged: number } =>
  replyRuleProblems(r) as { problems: string[]; judged: number };

describe('opb-reply-rule', () => {
  it('holds on the run, judging its answers', () => {
    const run = record(null);
    const r = result(run);
    expect(r.problems).toEqual([]);
    expect(r.judged).toBeGreaterThan(100);
    expect(opbReplyRule.check(run).status).toBe('pass');
  });

  it('fails a retry answered before any backup acknowledged it (opb:answer-retry-early, '
    + 'mutation #3199 of the seed-41 sample)', () => {
    const r = result(record('opb:answer-retry-early'));
    expect(r.problems.length).toBeGreaterThan(0);
    expect(r.problems[0]).toMatch(new RegExp('^s0: n1 answered c\\d+#\\d+ \\(index \\d+\\) at '
      + 't=\\d+us with acks covering it from \\[\\] only, though w=1 and it heard '
      + '\\[n5,n9\\] within fdUs$'));
  });

  it('asks nothing of a primary that heard no backup within fdUs', () => {
    const run = record('opb:answer-retry-early');
    const deaf: RunRecord = { ...run, messages: run.messages!.filter((m) =>
      !/^(?:Hb|Upd|Xfer) /.test(m.label) || m.to !== 'n1') };
    expect(result(deaf).problems.filter((p) => p.startsWith('s0: n1 '))).toEqual([]);
  });

  it('skips a run without its message record', () => {
    expect(opbReplyRule.check(record(null, false)).status).toBe('skip');
  });

  it('explore trial 1460383: counts the ack of a member added and dropped between digests '
    + '(edited record)', () => {
    // The find: n3 merged n9 at 3.202 s, answered c2#136 at 3.239290 s on n11's, n5's and n9's
    // acks and dropped n9 at 3.25 s; its digests at 3.2 s and 3.25 s did not list n9. Since the
    // skew fix (a rate counts from the fault's instant) the saved run takes another course
    // (n3 a backup then; seeds 0-100 of its schedule show no such answer) and holds.
    const saved = savedRun(new URL('../protocol/optimistic/regressions/explore-lost-transfer-' +
      'to-empty-1460383-member-between-digests.json', import.meta.url), 'opb', true);
    expect(result(saved).problems).toEqual([]);
    // Edited to the find's case: n1 answered c0#1 at 217,506 us on n5's ack alone; its digests
    // of 0.2 s and 0.25 s left without n5, which only its heartbeats and updates list then.
    const run = record(null);
    const a = run.observations.find((o) => o.label === 'opb.acked' && o.at === 217_506)!;
    expect(a.data).toMatchObject({ client: 'c0', seq: 1, index: 1, backups: ['n5'] });
    const around = (o: RunRecord['observations'][number]): boolean => o.node === 'n1'
      && o.label === 'opb.digest' && (o.at === 200_000 || o.at === 250_000);
    const edited: RunRecord = { ...run, observations: run.observations.map((o) => (around(o)
      ? { ...o, data: { ...(o.data as { members: string[] }), members:
        (o.data as { members: string[] }).members.filter((m) => m !== 'n5') } } : o)) };
    expect(run.observations.filter(around)).toHaveLength(2);
    expect(result(edited).problems).toEqual([]);
    // Without the heartbeats and updates n1 sent listing n5, its ack no longer counts.
    const unlisted: RunRecord = { ...edited, messages: edited.messages!.filter((m) =>
      !(m.from === 'n1' && /^(?:Hb|Upd|Xfer) s0 .*\bm\d+\[[^\]]*\bn5\b/.test(m.label))) };
    expect(result(unlisted).problems.filter((x) => x.includes(' at t=217506us '))).toEqual([
      's0: n1 answered c0#1 (index 1) at t=217506us ' +
      'with acks covering it from [] only, though w=1 and it heard [n9] within fdUs']);
    expect(result({ ...run, messages: unlisted.messages! }).problems).toEqual([]);
  });

  it('explore trial 1653829: the digest of the answer\'s own step is the one after it', () => {
    // The course before the claim-floor rule of explore trial 1891280, which moved this run (n3
    // no longer answers at 8 s): its declared mutant restores it.
    const run = simulate({ ...readSaved(new URL('../protocol/optimistic/regressions/' +
      'explore-clients-asleep-1653829-digest-of-the-answer-step.json', import.meta.url)),
    protocol: findProtocol('opb')!, mutant: 'opb:handoff-at-floor', keepTrace: true });
    expect(result(run).problems).toEqual([]);
    // n3's tick at 8 s dropped n8 and n13, took n14, answered c9#50 on n10's ack alone (n14
    // unheard: w capped at 1), then reported its digest in that microsecond; n8 was merged back
    // at 8.011 s, so the digest at 8.05 s lists it again.
    const n3 = run.observations.filter((o) => o.node === 'n3'
      && (o.data as { service?: number }).service === 1 && o.at === 8_000_000);
    const labels = n3.map((o) => o.label);
    const answer = labels.indexOf('opb.acked');
    const digest = labels.indexOf('opb.digest');
    expect(answer).toBeGreaterThanOrEqual(0);
    expect(digest).toBeGreaterThan(answer);
    expect((n3[digest]!.data as { members: string[] }).members).toEqual(['n3', 'n10', 'n14']);
    // Placed by time only (the old rule: the digest moved past the answer's instant), n8 reads
    // as a backup n3 could not suspect, and its missing ack as an early answer.
    const byTime: RunRecord = { ...run, observations: run.observations.filter((o) =>
      !(o === n3[digest])) };
    expect(result(byTime).problems).toEqual(['s1: n3 answered c9#50 (index 95) at t=8000000us ' +
      'with acks covering it from [n10] only, though w=2 and it heard [n8,n10] within fdUs']);
    // A real loss still fails: without n10's ack of index 95, n3 answered on none.
    const noAck: RunRecord = { ...run, messages: run.messages!.filter((m) =>
      !(m.from === 'n10' && m.to === 'n3' && /^Ack s1 .* i=95@/.test(m.label))) };
    expect(result(noAck).problems).toEqual(['s1: n3 answered c9#50 (index 95) at t=8000000us ' +
      'with acks covering it from [] only, though w=2 and it heard [n10] within fdUs']);
  });
});
