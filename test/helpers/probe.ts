/**
 * A test protocol written outside protocol/, as a user would: every node pings every other node
 * each `pingUs`; it counts pings in volatile state and in durable state, and reports both on
 * every (re)start, so tests can see exactly what a crash keeps.
 */
import type { Effect, Protocol } from '../../protocol/types.js';

interface ProbeState {
  readonly id: string;
  readonly peers: readonly string[];
  readonly volatile: number;
  readonly durable: number;
  readonly round: number;
}
interface Ping { readonly round: number }

export const probe: Protocol<ProbeState, Ping, number> = {
  name: 'probe',
  description: 'test protocol: all-to-all pings',
  mutants: [],
  client: { target: 'first', onTimeout: 'rotate' },
  defaults: { pingUs: 1000 },
  init: (id, config) => ({ id, peers: config.nodes.map((n) => n.id).filter((n) => n !== id),
    volatile: 0, durable: 0, round: 0 }),
  durable: (s) => s.durable,
  describeMessage: (m) => `Ping r=${m.round}`,
  step(s, ev) {
    switch (ev.kind) {
      case 'restart': {
        const next = { ...s, durable: ev.durable ?? 0 };
        return { state: next, effects: [
          { kind: 'observe', label: 'boot',
            data: { volatile: next.volatile, durable: next.durable } },
          { kind: 'setTimer', timer: 'ping', at: ev.now + 1000 }] };
      }
      case 'timer': {
        const sends: Effect<Ping>[] =
          s.peers.map((to) => ({ kind: 'send', to, msg: { round: s.round } }));
        return { state: { ...s, round: s.round + 1 },
          effects: [...sends, { kind: 'setTimer', timer: 'ping', at: ev.now + 1000 }] };
      }
      case 'message':
        return { state: { ...s, volatile: s.volatile + 1, durable: s.durable + 1 },
          effects: [{ kind: 'persist', what: 'count' }] };
      case 'clientRequest':
        return { state: s, effects: [{ kind: 'reply', to: ev.request.client, seq: ev.request.seq,
          outcome: { type: 'done', result: { ok: true } } }] };
      case 'operator':
        return { state: s,
          effects: [{ kind: 'observe', label: 'operator', data: ev.command.args }] };
    }
  },
};
