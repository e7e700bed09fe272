/**
 * Explore seed 932136 of smart-join-request-forgotten: a targeted fault dropped every JOIN to
 * n2-n5 from 259 ms to 978 ms while n1 campaigned in configuration 5. n1 answered each
 * JOIN-REQUEST of n2 with JOIN and its ELECT again (our ELECT behind a JOIN); the JOIN was lost,
 * the ELECT drew another JOIN-REQUEST, and so on at one round trip, each election adding one
 * more such loop (36,116 ELECTs in 1.2 s, and the record-judged checks ran for minutes). A
 * candidate now sends its ELECT behind a JOIN at most MAX_ELECTS_BEHIND_JOIN times per member
 * and ballot; every JOIN-REQUEST is still answered with JOIN.
 */
import { describe, expect, it } from 'vitest';
import { smart } from '../../../protocol/smart/index.js';
import type { Disk, Msg, State } from '../../../protocol/smart/types.js';
import type { Effect, ProtocolEvent } from '../../../protocol/types.js';
import { MAX_ELECTS_BEHIND_JOIN } from '../../../protocol/smart/limits.js';
import { savedRun } from '../../helpers/regressions.js';

type Ev = ProtocolEvent<Msg, Disk>;

/** n1 of configuration 1 with `members`, which campaigns at once (its first member). */
function candidate(members: string[]): { state: State; step: (ev: Ev) => Effect<Msg>[] } {
  const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'].map((id) => ({ id, dc: 'dc1', zone: 'z1' }));
  const node = {
    state: smart.init('n1', { nodes, replicas: members, params: smart.defaults, mutant: null }),
    step(ev: Ev): Effect<Msg>[] {
      const r = smart.step(node.state, ev);
      node.state = r.state;
      expect(smart.invariants!(node.state)).toBeNull();
      return [...r.effects];
    },
  };
  node.step({ kind: 'restart', now: 0, durable: null });
  node.step({ kind: 'timer', now: 1, timer: 'el:1' });
  expect(node.state.replicas.get(1)!.role).toBe('candidate');
  return node;
}

/** What n1 sent in one step, as `type>to`. */
const sent = (effects: readonly Effect<Msg>[]): string[] =>
  effects.flatMap((e) => (e.kind === 'send' ? [`${e.msg.t}>${e.to}`] : []));

const ask = (from: string, now: number): Ev =>
  ({ kind: 'message', now, from, msg: { t: 'joinRequest', cfg: 1 } });

describe('a candidate\'s ELECT behind a JOIN', () => {
  it('goes a few times per member and ballot; then a member whose JOINs are lost gets JOIN ' +
    'alone', () => {
    expect(MAX_ELECTS_BEHIND_JOIN).toBe(3);
    const n1 = candidate(['n1', 'n2', 'n3']);
    let now = 1;
    for (let i = 0; i < MAX_ELECTS_BEHIND_JOIN; i++) {
      expect(sent(n1.step(ask('n2', ++now)))).toEqual(['join>n2', 'elect>n2']);
    }
    // Each JOIN was lost and each ELECT drew another JOIN-REQUEST: no more ELECTs, no loop.
    expect(sent(n1.step(ask('n2', ++now)))).toEqual(['join>n2']);
    expect(sent(n1.step(ask('n2', ++now)))).toEqual(['join>n2']);
    // Another member still gets its own.
    expect(sent(n1.step(ask('n3', ++now)))).toEqual(['join>n3', 'elect>n3']);
    // The next campaign (a higher ballot) asks again behind a JOIN.
    n1.step({ kind: 'timer', now: ++now, timer: 'el:1' });
    expect(sent(n1.step(ask('n2', ++now)))).toEqual(['join>n2', 'elect>n2']);
  });

  it('a vote counted at the same ballot keeps the count', () => {
    const n1 = candidate(['n1', 'n2', 'n3', 'n4', 'n5']);
    let now = 1;
    for (let i = 0; i < MAX_ELECTS_BEHIND_JOIN; i++) {
      expect(sent(n1.step(ask('n2', ++now)))).toEqual(['join>n2', 'elect>n2']);
    }
    const ballot = n1.state.replicas.get(1)!.promised;
    n1.step({ kind: 'message', now: ++now, from: 'n3', msg: { t: 'pollReply', cfg: 1, ballot,
      vote: { entries: [], trunc: 0, exec: 0, ckpt: 0 } } });
    expect(n1.state.replicas.get(1)!.role).toBe('candidate');
    expect(sent(n1.step(ask('n2', ++now)))).toEqual(['join>n2']);
  });
});

describe('explore seed 932136 of smart-join-request-forgotten (JOINs dropped 259-978 ms)', () => {
  const file = new URL('./regressions/' +
    'explore-join-request-forgotten-932136-elect-behind-join-loop.json', import.meta.url);

  it('sends hundreds of ELECTs, not tens of thousands (116,205 messages before the bound)', () => {
    const run = savedRun(file, 'smart', true);
    expect(run.metrics.messagesSent).toBeLessThan(20_000);
    const elects = run.messages!.filter((m) => m.label.startsWith('Elect ')).length;
    expect(elects).toBeLessThan(1_000);
  });
});
