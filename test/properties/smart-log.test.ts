/**
 * smart-logged-proposal (properties/smart-log.ts) and SMART's `truncation` event
 * (properties/sometimes.ts), both from the `logged` facts: the command a LOGGED vouches for,
 * and the entries the replica's log keeps.
 */
import { describe, expect, it } from 'vitest';
import { smartLoggedProposal } from '../../properties/smart-log.js';
import { happenedEvents } from '../../properties/sometimes.js';
import { smart } from '../../protocol/smart/index.js';
import type { Msg } from '../../protocol/smart/types.js';
import { ballotOf } from '../../protocol/smart/util.js';
import type { Json, ProtocolConfig } from '../../protocol/types.js';
import type { NodeEvent, Observation, RunRecord } from '../../simulator/run-record.js';
import { fakeRun } from '../helpers/record.js';

let seq = 0;
const fact = (at: number, node: string, label: string, data: Json): Observation =>
  ({ at, seq: seq++, node, label, data });
const propose = (slot: number, ballot: number, command: string): Observation =>
  fact(10, 'n1', 'propose', { config: 1, ballot, slot, command, executed: 0, stable: 0 });
const logged = (node: string, slot: number, ballot: number, command: string, held = 1):
  Observation => fact(20, node, 'logged', { config: 1, ballot, slot, command, held });
const down = (node: string): NodeEvent => ({ at: 30, seq: seq++, node, kind: 'down' });

const smartRun = (observations: Observation[], nodeEvents: NodeEvent[] = []): RunRecord =>
  ({ ...fakeRun({ observations, nodeEvents }), protocol: 'smart', replicas: ['n1', 'n2', 'n3'] });

describe('smart-logged-proposal', () => {
  it('fails a LOGGED whose replica holds another ballot\'s command for the slot', () => {
    const run = smartRun([propose(4, 7, 'c0#1'), propose(4, 9, 'null'),
      logged('n2', 4, 7, 'c0#1'), logged('n2', 4, 9, 'c0#1')]);
    expect(smartLoggedProposal.check(run).message).toMatch(new RegExp('n2 answered LOGGED for ' +
      'slot 4 of configuration 1 at ballot 9 .* holding "c0#1", but that ballot proposed "null"'));
    const fine = smartRun([propose(4, 7, 'c0#1'), propose(4, 9, 'null'),
      logged('n2', 4, 7, 'c0#1'), logged('n2', 4, 9, 'null')]);
    expect(smartLoggedProposal.check(fine).status).toBe('pass');
  });

  it('does not judge a LOGGED whose proposal left no fact (lost with its leader\'s crash)', () => {
    // Explore seed 74 of smart-multiple-poll (slow disk, then a crash): the fact was queued
    // behind a write the crash lost, while the PROPOSE itself had left.
    const run = smartRun([propose(4, 7, 'c0#1'), logged('n3', 4, 7, 'c0#1'),
      logged('n3', 5, 7, 'c0#2')]);
    const verdict = smartLoggedProposal.check(run);
    expect(verdict.status).toBe('pass');
    expect(verdict.measures).toEqual({ judged: 1 });
  });

  it('a follower\'s fact names what its log holds after a newer ballot\'s PROPOSE', () => {
    const nodes = ['n1', 'n2', 'n3'].map((id) => ({ id, dc: 'dc1', zone: 'z1' }));
    const config: ProtocolConfig = { nodes, replicas: ['n1', 'n2', 'n3'],
      params: { ...smart.defaults }, mutant: null };
    let s = smart.step(smart.init('n2', config), { kind: 'restart', now: 0, durable: null }).state;
    const facts: Record<string, unknown>[] = [];
    const put = (round: number, client: string): void => {
      const cmd = { t: 'op' as const, client, seq: 1, op: { type: 'get' as const, key: 'k' } };
      const msg: Msg = { t: 'propose', cfg: 1, ballot: ballotOf(round, 0), slot: 1, cmd };
      const r = smart.step(s, { kind: 'message', now: round, from: 'n1', msg });
      s = r.state;
      for (const e of r.effects) {
        if (e.kind === 'observe' && e.label === 'logged') facts.push(e.data as never);
      }
    };
    // Ballot 1's command, undecided, then ballot 2's for the same slot: the log takes the newer.
    put(1, 'c0');
    put(2, 'c1');
    expect(facts.map((f) => [f['ballot'], f['command'], f['held']]))
      .toEqual([[ballotOf(1, 0), 'c0#1', 1], [ballotOf(2, 0), 'c1#1', 1]]);
  });
});

describe('the SMART truncation event', () => {
  it('happens when a replica\'s log keeps fewer entries than at its previous LOGGED', () => {
    const grows = [logged('n2', 1, 7, 'x', 1), logged('n2', 2, 7, 'x', 2)];
    expect(happenedEvents(smartRun(grows))).not.toContain('truncation');
    const shrinks = [...grows, logged('n2', 3, 7, 'x', 1)];
    expect(happenedEvents(smartRun(shrinks))).toContain('truncation');
  });

  it('not when the shorter log came back from disk after a crash, or is another node\'s', () => {
    const before = [logged('n2', 1, 7, 'x', 1), logged('n2', 2, 7, 'x', 2)];
    const events = [down('n2')];
    const after = [logged('n2', 3, 7, 'x', 1)];
    expect(happenedEvents(smartRun([...before, ...after], events))).not.toContain('truncation');
    const other = [...before, logged('n3', 3, 7, 'x', 1)];
    expect(happenedEvents(smartRun(other))).not.toContain('truncation');
  });
});
