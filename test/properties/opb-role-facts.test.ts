/**
 * opb-role-facts: every heartbeat a replica sends carries the role its `opb.role` facts last
 * reported, and a replica whose facts say primary sends no ACK (message record). opb-three-way-
 * discard seed 0: after the staged heal n9, primary of its side since 0.75 s, loses to the
 * winner and reconciles. The same record without its `reconciling` fact fails (mutation #3840 of
 * the seed-37 sample reported no role when a replica followed a claim).
 */
import { describe, expect, it } from 'vitest';
import { roleFactProblems } from '../../properties/opb-role-facts.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

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

  it('starts every replica as a backup at boot, and needs the message record', () => {
    const restart = record('opb-backup-restart');
    expect(restart.nodeEvents.some((e) => e.kind === 'up' && e.at > 0)).toBe(true);
    expect(problemsOf(restart)).toEqual([]);
    expect(roleFactProblems(record('opb-steady', false))).toBe('the run kept no message record');
  });
});
