/**
 * smart-leader-replies (properties/smart-leader-replies.ts): only a leader answers a client
 * (P1.4 step 5), judged from the messages that left against the `role` facts.
 */
import { describe, expect, it } from 'vitest';
import { smartLeaderReplies } from '../../properties/smart-leader-replies.js';
import { loadScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';
import type { MessageFact, NodeEvent, Observation, RunRecord } from '../../simulator/run-record.js';
import { fakeRun } from '../helpers/record.js';

const role = (at: number, node: string): Observation => ({ at, seq: at, node, label: 'role',
  data: { group: 'config 1', role: 'leader', node } });
const up = (at: number, node: string): NodeEvent => ({ at, seq: at, node, kind: 'up' });
const reply = (sent: number, from: string, label = 'Reply #3 ok v="x"'): MessageFact =>
  ({ sent, at: sent + 100, from, to: 'c0', label, drop: null });

function world(messages: MessageFact[] | undefined, nodeEvents = [up(0, 'n1'), up(0, 'n2')]):
  RunRecord {
  const node = (name: string) => ({ name, dc: 'a', zone: 'z', client: false });
  return { ...fakeRun({ observations: [role(10, 'n1')], nodeEvents }), protocol: 'smart',
    replicas: ['n1', 'n2'], endpoints: [node('n1'), node('n2'),
      { name: 'c0', dc: 'a', zone: 'z', client: true }],
    ...(messages === undefined ? {} : { messages }) };
}

describe('smart-leader-replies', () => {
  it('fails a done reply from a node that never led', () => {
    const v = smartLeaderReplies.check(world([reply(50, 'n1'), reply(60, 'n2')]));
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/n2 sent "Reply #3 ok v="x"" to c0 at t=60us without having led/);
  });

  it('fails a former leader that answers after a restart without leading again', () => {
    const v = smartLeaderReplies.check(world([reply(90, 'n1')],
      [up(0, 'n1'), up(0, 'n2'), up(80, 'n1')]));
    expect(v.message).toMatch(/since it came up \(t=80us\)/);
  });

  it('passes leaders\' answers and anyone\'s redirects; skips without a message record', () => {
    const redirect = reply(60, 'n2', 'Reply #3 redirect leader=n1');
    expect(smartLeaderReplies.check(world([reply(50, 'n1'), redirect])).status).toBe('pass');
    expect(smartLeaderReplies.check(world(undefined)).status).toBe('skip');
  });

  it('passes a real run that kept its messages', () => {
    const run = runChecked({ scenario: loadScenario('smart-steady'), protocol: 'smart', seed: 1,
      keepTrace: true }).record;
    expect(run.messages!.some((m) => m.label.startsWith('Reply #'))).toBe(true);
    expect(smartLeaderReplies.check(run).status).toBe('pass');
  });
});
