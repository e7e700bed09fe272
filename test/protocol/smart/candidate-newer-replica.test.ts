/**
 * Explore seed 952098 of smart-flush-cut-leader: n1 led configuration 1 [n1,n2,n3] and, after
 * the MIGRATE to [n1..n6] filled its range, was a candidate of configuration 2 for 2.4 s, cut
 * from n4-n6 (4 of 6 needed). The clients reached only n1 of the old members, and a request goes
 * to the machine's newest replica: the candidate held it silently, so the configuration-1 leader
 * never answered NEW-CONFIGURATION (P1.6 step 4) while configuration 3 [n4,n5,n6] served. A
 * newer candidate now tells the client the newest configuration once, as a leaderless follower
 * does (seed 680149).
 */
import { describe, expect, it } from 'vitest';
import { smart } from '../../../protocol/smart/index.js';
import type { Disk, Msg, State } from '../../../protocol/smart/types.js';
import type { Effect, ProtocolConfig, ProtocolEvent } from '../../../protocol/types.js';

type Ev = ProtocolEvent<Msg, Disk>;

function config(mutant: string | null): ProtocolConfig {
  const nodes = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'].map((id) => ({ id, dc: 'dc1', zone: 'z1' }));
  return { nodes, replicas: ['n1', 'n2', 'n3'], params: { ...smart.defaults, alpha: 1 }, mutant };
}

/** n1 leading configuration 1 with its range full, a candidate of configuration 2. */
function candidateOverFullLeader(mutant: string | null): { s: State; now: number } {
  let now = 0;
  let s = smart.init('n1', config(mutant));
  const step = (ev: Ev): Effect<Msg>[] => {
    const r = smart.step(s, ev);
    s = r.state;
    return [...r.effects];
  };
  step({ kind: 'restart', now, durable: null });
  step({ kind: 'timer', now: ++now, timer: 'el:1' });
  const b1 = s.replicas.get(1)!.promised;
  step({ kind: 'message', now: ++now, from: 'n2', msg: { t: 'pollReply', cfg: 1, ballot: b1,
    vote: { entries: [], trunc: 0, exec: 0, ckpt: 0 } } });
  expect(s.replicas.get(1)!.role).toBe('leader');
  const members = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'];
  step({ kind: 'operator', now: ++now, command: { name: 'migrate', args: { id: 'm', members } },
    from: { client: 'op', seq: 1 } });
  for (const from of ['n2', 'n1']) {
    step({ kind: 'message', now: ++now, from, msg: { t: 'logged', cfg: 1, ballot: b1, slot: 1,
      ckpt: 0 } });
  }
  step({ kind: 'timer', now: ++now, timer: 'el:2' });
  expect([s.replicas.get(1)!.role, s.replicas.get(2)?.role]).toEqual(['leader', 'candidate']);
  return { s, now };
}

function answers(mutant: string | null): unknown[] {
  const { s, now } = candidateOverFullLeader(mutant);
  const request = { client: 'c0', seq: 7, op: { type: 'get' as const, key: 'k' } };
  const first = smart.step(s, { kind: 'clientRequest', now: now + 1, request });
  const retry = smart.step(first.state, { kind: 'clientRequest', now: now + 2, request });
  expect(retry.state.replicas.get(2)?.held.map((q) => q.client)).toEqual(['c0']);
  return [...first.effects, ...retry.effects].filter((e) => e.kind === 'reply')
    .map((e) => (e as { outcome: unknown }).outcome);
}

describe('a candidate newest replica over an older leader with a full range', () => {
  it('tells the client the newest configuration once, and holds the request', () => {
    expect(answers(null)).toEqual([{ type: 'redirect', leader: 'n1', config: 2,
      members: ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'] }]);
  });

  it('the newer-holds-silently mutant tells it nothing (the bug)', () => {
    expect(answers('smart:newer-holds-silently')).toEqual([]);
  });
});
