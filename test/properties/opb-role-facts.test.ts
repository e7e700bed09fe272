/**
 * opb-role-facts: every heartbeat a replica sends carries the role its `opb.role` facts last
 * reported, and a replica whose facts say primary sends no ACK (message record). opb-three-way-
 * discard seed 0: after the staged heal n9, primary of its side since 0.75 s, loses to the
 * winner and reconciles. The same record without its `reconciling` fact fails (mutation #3840 of
 * the seed-37 sample reported no role when a replica followed a claim).
 */
import { describe, expect, it } from 'vitest';
import { NEVER_SENT, roleFactProblems } from '../../properties/opb-role-facts.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';
import { savedRun } from '../helpers/regressions.js';

const record = (name: string, keepTrace = true): RunRecord => simulate({
  scenario: loadScenario(name), protocol: findProtocol('opb')!, seed: 0, keepTrace });
const problemsOf = (r: RunRecord): string[] =>
  (roleFactProblems(r) as { problems: string[] }).problems;

describe('opb-role-facts', () => {
  const run = record('opb-three-way-discard');
  const lost = run.observations.filter((o) => o.label === 'opb.role'
    && (o.data as { reason: string }).reason === 'lost');

  it('holds on opb-three-way-discard seed 0, judging every heartbeat and ack', () => {
    const r = roleFactProblems(run) as { problems: string[]; judged: number };
    expect(r.problems).toEqual([]);
    expect(r.judged).toBe(run.messages!.filter((m) => /^(Hb|Ack) s\d+ /.test(m.label)).length);
    expect(lost.length).toBeGreaterThan(0);
  });

  it('fails when a losing primary reports no role on following the winner (#3840)', () => {
    const r = problemsOf({ ...run,
      observations: run.observations.filter((o) => !lost.includes(o)) });
    expect(r.length).toBeGreaterThan(0);
    expect(r[0]).toMatch(new RegExp('^n\\d+ acked s0 as a follower at t=\\d+us, but its role ' +
      'facts say primary \\(last at t=\\d+us\\)$'));
  });

  it('fails a heartbeat whose role no fact reported', () => {
    const hb = run.messages!.find((m) => m.label.startsWith('Hb s0 backup ') && m.sent > 0)!;
    const r = problemsOf({ ...run, messages: run.messages!.map((m) => (m === hb
      ? { ...m, label: m.label.replace(' backup ', ' reconciling ') } : m)) });
    expect(r).toHaveLength(1);
    expect(r[0]).toMatch(new RegExp(`^${hb.from} heartbeat s0 as reconciling at t=${hb.sent}us, `));
  });

  it('says nothing of a heartbeat queued behind a write its sender\'s crash lost', () => {
    // Explore trial 1455032 of opb-claim-slow-disk: n5's primary heartbeat of its step at 1.4 s
    // was due at 1.6 s, after its crash at 1.5 s and at its reboot as a backup; a targeted fault
    // had dropped it at the step. It never left, and the record now says so.
    const saved = savedRun(new URL('../protocol/optimistic/regressions/explore-claim-slow-disk-' +
      '1455032-targeted-drop-of-a-crashed-sender-never-left.json', import.meta.url), 'opb', true);
    const r = roleFactProblems(saved) as { problems: string[]; judged: number };
    expect(r.problems).toEqual([]);
    const never = saved.messages!.filter((m) => m.drop === NEVER_SENT
      && /^(Hb|Ack) s\d+ /.test(m.label));
    expect(r.judged).toBe(saved.messages!.filter((m) => /^(Hb|Ack) s\d+ /.test(m.label)).length
      - never.length);
    // The record as it was (the step's targeted drop kept): the heartbeat of the 1.4 s step
    // read as sent at 1.6 s by the rebooted backup.
    const old = problemsOf({ ...saved, messages: saved.messages!.map((m) => (never.includes(m)
      && m.stepAt !== undefined && m.stepAt >= 1_300_000 && m.stepAt <= 1_400_000
      && m.to === 'n1' ? { ...m, drop: 'targeted' } : m)) });
    expect(old).toEqual(['n5 heartbeat s0 as primary at t=1600000us, but its role facts say ' +
      'backup (none since its boot)']);
  });

  it('counts a fact of the boot\'s own instant, after the boot in the record', () => {
    // Explore trial 1642094 of opb-merge-refused-cool: n5, sole member of s1 once n2 refused
    // its JOIN, rebooted at 2.493 s and promoted itself in that instant (role fact at 2493000us,
    // after its `up`); its heartbeats of s1 as primary from 2.743 s are its facts' role.
    const saved = savedRun(new URL('../protocol/optimistic/regressions/explore-merge-refused-' +
      'cool-1642094-role-fact-in-the-boot-instant.json', import.meta.url), 'opb', true);
    const up = saved.nodeEvents.find((e) => e.node === 'n5' && e.kind === 'up' && e.at > 0)!;
    const fact = saved.observations.find((o) => o.node === 'n5' && o.label === 'opb.role'
      && o.at === up.at)!;
    expect(up.at).toBe(2_493_000);
    expect(fact.seq).toBeGreaterThan(up.seq);
    expect(fact.data).toMatchObject({ service: 1, role: 'primary', reason: 'suspect' });
    expect((roleFactProblems(saved) as { problems: string[] }).problems).toEqual([]);
    // Every heartbeat of s1 n5 sent from its first, at 2.743 s, to the end (5.5 s): 55.
    const old = Array.from({ length: 55 }, (_, i) => `n5 heartbeat s1 as primary at ` +
      `t=${2_743_000 + 50_000 * i}us, but its role facts say backup (none since its boot)`);
    // The old rule (facts whose step ran after the boot's time) read the record as if the boot
    // came after the fact: placed so, the fact is one from before the boot, and does not count.
    expect(problemsOf({ ...saved, nodeEvents: saved.nodeEvents.map((e) => (e === up
      ? { ...e, seq: fact.seq + 0.5 } : e)) })).toEqual(old);
    // A real loss: the same record without that fact still fails.
    expect(problemsOf({ ...saved, observations: saved.observations.filter((o) => o !== fact) }))
      .toEqual(old);
  });

  it('starts every replica as a backup at boot, and needs the message record', () => {
    const restart = record('opb-backup-restart');
    expect(restart.nodeEvents.some((e) => e.kind === 'up' && e.at > 0)).toBe(true);
    expect(problemsOf(restart)).toEqual([]);
    expect(roleFactProblems(record('opb-steady', false))).toBe('the run kept no message record');
  });
});
