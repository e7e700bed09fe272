/**
 * smart-new-config-at-once (properties/smart-new-config-at-once.ts, P1.6 step 4): a request that
 * first reaches a machine whose newest replica it does not lead, while an older replica there
 * leads a full range, is answered NEW-CONFIGURATION in the step that handles it. On
 * smart-elect-behind-join seed 0 (a campaign step with its record) n1 leads configuration 1 with
 * its range proposed to slot 109 and campaigns in configuration 2; c1's and c0's requests reach
 * it then. Under smart:new-config-on-resend (Stryker #5734 of the seed-45 sample) it holds them
 * in silence and tells the clients only at their resends.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { heldUntold, smartNewConfigAtOnce } from '../../properties/smart-new-config-at-once.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { MessageFact, NodeEvent, Observation, RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';
import { recordedRun } from '../helpers/record.js';

const SCENARIO = 'smart-elect-behind-join';
let run: RunRecord;
let mutated: RunRecord;

beforeAll(() => {
  run = recordedRun(SCENARIO, 'smart', 0);
  mutated = simulate({ scenario: loadScenario(SCENARIO), protocol: findProtocol('smart')!,
    seed: 0, mutant: 'smart:new-config-on-resend', keepTrace: true });
});

/** The first judged request of the real run: n1 gets c1's #49 at 202.693 ms (step 934). */
const Q = { node: 'n1', client: 'c1', seq: 49, t: 202_693 };

/** The real run without the redirect that answered Q in the step that handled it. */
function untold(): RunRecord {
  const replies = run.replies.filter((r) => !(r.outcome === 'redirect' && r.node === Q.node
    && r.to === Q.client && r.seq === Q.seq && r.stepAt === Q.t));
  expect(replies.length).toBe(run.replies.length - 1);
  return { ...run, replies };
}

const judge = (r: RunRecord, messages = r.messages!): string | null =>
  heldUntold(r, messages).problem;
const nodeEvent = (node: string, at: number, kind: NodeEvent['kind']): NodeEvent =>
  ({ at, seq: 0, node, kind });
const fact = (node: string, at: number, label: string, data: Observation['data']): Observation =>
  ({ at, seq: 0, node, label, data });

describe('smart-new-config-at-once', () => {
  it('passes the real run, judging the requests n1 first holds behind its full range', () => {
    const v = smartNewConfigAtOnce.check(run);
    expect(v.status, v.message).toBe('pass');
    const { judged } = heldUntold(run, run.messages!);
    expect(judged).toBe(2);
    expect(v.message).toContain(`${judged} request(s)`);
  });

  it('fails smart:new-config-on-resend (Stryker #5734 of the seed-45 sample)', () => {
    const v = smartNewConfigAtOnce.check(mutated);
    expect(v.status).toBe('fail');
    expect(v.message).toContain(`n1 held c1's request #49 (first reached it at t=${Q.t}us`);
    expect(v.message).toContain('its replica of configuration 1 led a full range: it proposed ' +
      'slot 109, the range\'s last, at ballot 1.0');
  });

  it('fails the real run without the redirect of the step that first held the request', () => {
    expect(judge(untold())).toContain(`n1 held c1's request #49 (first reached it at t=${Q.t}us`);
  });

  it('does not judge a resend: a copy already held is not told again', () => {
    const copy = run.messages!.find((m) => m.to === Q.node && m.from === Q.client
      && m.at === Q.t && m.label.startsWith(`Request #${Q.seq} `))!;
    const earlier: MessageFact = { ...copy, sent: Q.t - 20, at: Q.t - 10, step: copy.step! - 1 };
    const messages = [...run.messages!, earlier];
    // The earlier copy is the one judged, and the resend is not.
    expect(judge(untold(), messages)).toContain(`request #49 (first reached it at t=${Q.t - 10}us`);
    const told = untold();
    const answer = { ...run.replies.find((r) => r.to === Q.client && r.seq === Q.seq)!,
      at: Q.t - 10, stepAt: Q.t - 10, step: copy.step! - 1 };
    expect(judge({ ...told, replies: [...told.replies, answer] }, messages)).toBeNull();
  });

  it('does not judge once a higher ballot of the old configuration reached n1', () => {
    const elect: MessageFact = { sent: Q.t - 5, at: Q.t - 2, from: 'n2', to: 'n1',
      label: 'Elect c=1 b=9.1', drop: null };
    expect(judge(untold(), [...run.messages!, elect]) ?? '').not.toContain('request #49');
    // A lost one reached nobody, and a lower one deposes nobody.
    expect(judge(untold(), [...run.messages!, { ...elect, drop: 'loss' }])).not.toBeNull();
    const lower = { ...elect, label: 'Elect c=1 b=0.1' };
    expect(judge(untold(), [...run.messages!, lower])).not.toBeNull();
  });

  it('does not judge a machine that leads its newest replica, or was elected at the instant',
    () => {
    const record = untold();
    const leader = fact('n1', Q.t, 'leader', { config: 2, ballot: 1024, start: 110, pollMax: 109,
      alpha: 3, maxLogSize: 80 });
    for (const at of [Q.t - 1, Q.t]) {
      const led = { ...record, observations: [...record.observations, { ...leader, stepAt: at }] };
      expect(judge(led) ?? '').not.toContain('request #49');
    }
  });

  it('does not judge a machine down, paused or corrupted in between, or a retired range', () => {
    const record = untold();
    for (const kinds of [['down', 'up'], ['paused', 'resumed']] as const) {
      const nodeEvents = [...record.nodeEvents, nodeEvent('n1', Q.t - 200, kinds[0]),
        nodeEvent('n1', Q.t - 100, kinds[1])].sort((a, b) => a.at - b.at);
      expect(judge({ ...record, nodeEvents }) ?? '', kinds[0]).not.toContain('request #49');
    }
    const corrupted = [...record.nodeEvents, nodeEvent('n1', Q.t - 100, 'corrupted')];
    expect(judge({ ...record, nodeEvents: corrupted }) ?? '').not.toContain('request #49');
    const retire = fact('n1', Q.t - 1, 'retire', { config: 1, why: 'ready', executed: 109 });
    expect(judge({ ...record, observations: [...record.observations, retire] }) ?? '')
      .not.toContain('request #49');
  });

  it('skips runs without a message record, with the cost model or with amnesia', () => {
    const record = untold();
    const bare: { messages?: unknown } = { ...record };
    delete bare.messages;
    expect(smartNewConfigAtOnce.check(bare as RunRecord).status).toBe('skip');
    const costs = { ...record, metrics: { ...record.metrics, costs: { nodes: [] } } };
    expect(smartNewConfigAtOnce.check(costs).status).toBe('skip');
    const amnesia = { ...record, faults: [...record.faults,
      { at: 1, kind: 'restart' as const, node: 'n1', amnesia: true }] };
    expect(smartNewConfigAtOnce.check(amnesia as RunRecord).status).toBe('skip');
  });
});
