/**
 * A toy protocol for checker tests: n1 pings n2 on every firing of its `ping` timer, and n2
 * counts the pings. The invariant "at most one ping" breaks after fire, deliver, fire, deliver;
 * the mutant `toy:assert` makes n2 throw on its second ping instead.
 */
import { assert } from '../../../protocol/assert.js';
import type { Protocol } from '../../../protocol/types.js';

interface ToyState { readonly id: string; readonly pings: number; readonly strict: boolean }

export const toy: Protocol<ToyState, 'ping', number> = {
  name: 'toy',
  description: 'pings for checker tests',
  mutants: [{ name: 'toy:assert', description: 'asserts instead of breaking an invariant' }],
  client: { target: 'first', onTimeout: 'rotate' },
  defaults: {},
  init: (id, config) => ({ id, pings: 0, strict: config.mutant === 'toy:assert' }),
  durable: (s) => s.pings,
  describeMessage: () => 'Ping',
  invariants: (s) => (s.pings > 1 ? `${s.id} got ${s.pings} pings` : null),
  step(s, ev) {
    switch (ev.kind) {
      case 'restart':
        return { state: { ...s, pings: ev.durable ?? 0 },
          effects: s.id === 'n1' ? [{ kind: 'setTimer', timer: 'ping', at: 0 }] : [] };
      case 'timer':
        return { state: s, effects: [{ kind: 'send', to: 'n2', msg: 'ping' },
          { kind: 'setTimer', timer: 'ping', at: 0 }] };
      case 'message':
        if (s.strict) assert(s.pings === 0, 'toy: a second ping');
        return { state: { ...s, pings: s.pings + 1 }, effects: [] };
      default:
        return { state: s, effects: [] };
    }
  },
};
