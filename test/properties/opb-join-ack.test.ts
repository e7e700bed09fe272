/** opb-join-ack: a positive JoinAck comes from a node that took the group (P2.6). */
import { describe, expect, it } from 'vitest';
import { joinAckProblems, opbJoinAck } from '../../properties/opb-join-ack.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const record = (mutant: string | null): RunRecord => simulate({
  scenario: loadScenario('opb-three-way-discard'), protocol: findProtocol('opb')!, seed: 0,
  mutant, keepTrace: true });

describe('opb-join-ack', () => {
  const run = record(null);

  it('holds when every positive JoinAck comes from a node that then reports the group', () => {
    const v = opbJoinAck.check(run);
    expect(v.status, v.message).toBe('pass');
    expect(v.measures!['judged']).toBe(3);
  });

  it('fails a node without room that answers a heartbeat yes and never joins', () => {
    const v = opbJoinAck.check(record('opb:refusal-says-yes'));
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(new RegExp('^n1 answered n5\'s reservation of s0 with a ' +
      'positive JoinAck in its step at t=1564622us but reported no replica of s0 within hbUs'));
  });

  it('fails a joiner whose digests are gone, and excuses one that left or went down', () => {
    const r = joinAckProblems(run);
    if (typeof r === 'string') throw new Error(r);
    const ack = run.messages!.find((m) => /^JoinAck s\d+ ok=true$/.test(m.label))!;
    const svc = Number(/^JoinAck s(\d+)/.exec(ack.label)![1]);
    const ofIt = (o: RunRecord['observations'][number]): boolean => o.node === ack.from
      && (o.data as { service?: number }).service === svc;
    const undigested = { ...run, observations: run.observations.filter((o) =>
      !(o.label === 'opb.digest' && ofIt(o))) };
    const problems = joinAckProblems(undigested);
    expect(typeof problems !== 'string' && problems.problems[0])
      .toMatch(new RegExp(`^${ack.from} answered ${ack.to}'s reservation of s${svc} `));
    // A leave in the window, or a crash, excuses it.
    const at = ack.stepAt ?? ack.sent;
    const leave = { at, seq: -1, node: ack.from, label: 'opb.leave',
      data: { service: svc, membershipVersion: 0 } };
    const left = joinAckProblems({ ...undigested, observations: [leave,
      ...undigested.observations] });
    expect(typeof left !== 'string' && left.problems.filter((p) =>
      p.startsWith(`${ack.from} answered ${ack.to}'s reservation of s${svc} in its step at ` +
        `t=${at}us`))).toEqual([]);
    const crashed = joinAckProblems({ ...undigested, nodeEvents: [...undigested.nodeEvents,
      { at: at + 1, seq: -1, node: ack.from, kind: 'down' as const }] });
    expect(typeof crashed !== 'string' && crashed.judged).toBeLessThan(r.judged);
  });
});
