/**
 * smart-leader-replies (properties/smart-leader-replies.ts): only a leader answers a client
 * (P1.4 step 5), judged from the simulator's reply facts against the `role` facts.
 */
import { describe, expect, it } from 'vitest';
import { smartLeaderReplies, staleReply } from '../../properties/smart-leader-replies.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';
import type { NodeEvent, Observation, ReplyFact, RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';
import { fakeRun } from '../helpers/record.js';

const role = (at: number, node: string, stepAt?: number): Observation => ({ at, seq: at, node,
  label: 'role', data: { group: 'config 1', role: 'leader', node },
  ...(stepAt === undefined ? {} : { stepAt }) });
const up = (at: number, node: string): NodeEvent => ({ at, seq: at, node, kind: 'up' });
const reply = (stepAt: number, node: string, outcome: ReplyFact['outcome'] = 'done',
  at = stepAt): ReplyFact => ({ at, stepAt, step: stepAt, node, to: 'c0', seq: 3, outcome });

function world(replies: ReplyFact[], nodeEvents = [up(0, 'n1'), up(0, 'n2')],
  roles = [role(10, 'n1')]): RunRecord {
  const node = (name: string) => ({ name, dc: 'a', zone: 'z', client: false });
  return { ...fakeRun({ observations: roles, nodeEvents, replies }), protocol: 'smart',
    replicas: ['n1', 'n2'], endpoints: [node('n1'), node('n2'),
      { name: 'c0', dc: 'a', zone: 'z', client: true }] };
}

describe('smart-leader-replies', () => {
  it('fails a done reply from a node that never led', () => {
    const v = smartLeaderReplies.check(world([reply(50, 'n1'), reply(60, 'n2')]));
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/n2 answered request #3 of c0 \(done\) in its step at t=60us /);
  });

  it('fails a former leader that answers after a restart without leading again', () => {
    const v = smartLeaderReplies.check(world([reply(90, 'n1')],
      [up(0, 'n1'), up(0, 'n2'), up(80, 'n1')]));
    expect(v.message).toMatch(/since it came up \(t=80us\)/);
  });

  it('judges at step time: a role fact that waited for the disk counts from its step', () => {
    // n1 took the role at t=10 (fact released at t=40) and answered at t=20: it led.
    expect(smartLeaderReplies.check(world([reply(20, 'n1')], undefined,
      [role(40, 'n1', 10)])).status).toBe('pass');
    // A reply decided before the node led fails, even when it left after the role fact.
    expect(smartLeaderReplies.check(world([reply(5, 'n1', 'done', 50)])).status).toBe('fail');
  });

  it('passes leaders\' answers and anyone\'s redirects; skips when nobody answered', () => {
    const redirect = reply(60, 'n2', 'redirect');
    expect(smartLeaderReplies.check(world([reply(50, 'n1'), redirect])).status).toBe('pass');
    expect(smartLeaderReplies.check(world([redirect])).status).toBe('skip');
  });

  it('is judged on a real run that kept no trace or message record (as sweep and explore)', () => {
    const checked = runChecked({ scenario: loadScenario('smart-steady'), protocol: 'smart',
      seed: 1 });
    const run = checked.record;
    expect(run.messages).toBeUndefined();
    const v = checked.verdicts.find((x) => x.property === 'smart-leader-replies')!;
    expect(v.status, v.message).toBe('pass');
    // The same run with one answer moved to a member that never led fails.
    const leaders = new Set(run.observations.filter((o) => o.label === 'role'
      && (o.data as { role: string }).role === 'leader').map((o) => o.node));
    const follower = run.replicas.find((n) => !leaders.has(n))!;
    const at = run.replies.findIndex((r) => r.outcome === 'done');
    const moved = run.replies.map((r, i) => (i === at ? { ...r, node: follower } : r));
    expect(smartLeaderReplies.check({ ...run, replies: moved }).message)
      .toMatch(new RegExp(`^${follower} answered request #`));
  });

});

describe('smart-leader-replies: no done for a request older than one executed', () => {
  const apply = (at: number, node: string, seq: number): Observation => ({ at, seq: at, node,
    label: 'apply', data: { slot: seq, client: 'c0', seq }, step: at });

  it('fails a done for #3 after the node executed #4 (smart:stale-cached-answer, #5250)', () => {
    const run = world([reply(50, 'n1')], undefined, [role(10, 'n1'), apply(40, 'n1', 4)]);
    expect(smartLeaderReplies.check(run).message).toBe('n1 answered request #3 of c0 (done) in ' +
      'its step at t=50us after executing its request #4 (t=40us): the reply cache holds only ' +
      'the last request\'s result');
  });

  it('holds for an apply in the same step, of #3 itself, or before the node\'s last boot', () => {
    for (const facts of [[apply(50, 'n1', 4)], [apply(40, 'n1', 3)], [apply(40, 'n2', 4)]]) {
      expect(staleReply(world([reply(50, 'n1')], undefined, [role(10, 'n1'), ...facts]),
        [reply(50, 'n1')])).toBeNull();
    }
    const rebooted = world([reply(50, 'n1')], [up(0, 'n1'), up(45, 'n1')],
      [role(10, 'n1'), role(46, 'n1'), apply(40, 'n1', 4)]);
    expect(staleReply(rebooted, rebooted.replies)).toBeNull();
  });

  it('fails the real mutated run: a late copy of request #2 on smart-preempt-dup seed 1', () => {
    const scenario = loadScenario('smart-preempt-dup');
    const protocol = findProtocol('smart')!;
    const good = simulate({ scenario, protocol, seed: 1 });
    expect(staleReply(good, good.replies)).toBeNull();
    const bad = simulate({ scenario, protocol, seed: 1, mutant: 'smart:stale-cached-answer' });
    expect(staleReply(bad, bad.replies)).toMatch(/^n1 answered request #2 of c1 \(done\) in its /);
  });
});
