/**
 * A sleeping node repeats that it sleeps every `ASLEEP_ROUNDS` gossip rounds. Its last words
 * before sleeping were the only news of it: a peer they never reached (2 % loss, a one-way
 * cut) knew it neither as asleep nor as alive, so no primary ever woke it, and after a one-way
 * partition healed a group kept two replicas in one zone for good while the third zone slept
 * unseen (explore seed 790285, C8).
 */
import { describe, expect, it } from 'vitest';
import { ASLEEP_ROUNDS } from '../../../protocol/optimistic/agent.js';
import { opb } from '../../../protocol/optimistic/index.js';
import type { Msg, State } from '../../../protocol/optimistic/types.js';
import { state } from './three-members.js';

/** n1 hosting nothing, asleep or awake, its clock at `now`. */
function empty(now: number, on: boolean): State {
  const s = state(now);
  return { ...s, reps: new Map(), agent: { ...s.agent, on } };
}

/** What n1 sends on `rounds` gossip timers from `start` on: [round, to, message] per send. */
function gossipRounds(on: boolean, start: number, rounds: number): [number, string, Msg][] {
  const sent: [number, string, Msg][] = [];
  for (let r = 0; r < rounds; r++) {
    const now = start + r * state(0).params.gossipUs;
    const { effects } = opb.step(empty(now, on), { kind: 'timer', now, timer: 'gossip' });
    for (const e of effects) if (e.kind === 'send') sent.push([r, e.to, e.msg]);
  }
  return sent;
}

describe('a sleeping node repeats that it sleeps (P2.6 power saving, C8)', () => {
  const asleep: Msg = { t: 'gossip', load: 0, on: false, hosted: 0, claims: [] };

  it(`once every ${ASLEEP_ROUNDS} gossip rounds, to every other node, saying only that`, () => {
    for (const start of [1, 3_123_457]) {
      const sent = gossipRounds(false, start, 3 * ASLEEP_ROUNDS);
      const rounds = [...new Set(sent.map(([r]) => r))];
      expect(rounds).toHaveLength(3);
      expect(rounds[1]! - rounds[0]!).toBe(ASLEEP_ROUNDS);
      expect(rounds[2]! - rounds[1]!).toBe(ASLEEP_ROUNDS);
      for (const r of rounds) {
        expect(sent.filter(([x]) => x === r).map(([, to, msg]) => [to, msg]))
          .toEqual([['n3', asleep], ['n5', asleep]]);
      }
    }
  });

  it('awake, it gossips every round', () => {
    const sent = gossipRounds(true, 1, ASLEEP_ROUNDS);
    expect(new Set(sent.map(([r]) => r)).size).toBe(ASLEEP_ROUNDS);
    expect(sent.every(([, , m]) => m.t === 'gossip' && m.on)).toBe(true);
  });
});
