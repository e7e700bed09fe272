/**
 * DFS and symmetry reduction. A complete DFS sees exactly BFS's states; a cut-off one says so.
 * Symmetry reduction is checked against an independent count: every reachable state of a
 * symmetric protocol, enumerated without fingerprints, grouped by its least renamed canonical
 * text; the number of groups is what the reduced search must report (both counts pinned).
 */
import { describe, expect, test } from 'vitest';
import { primaryCopy } from '../../../protocol/example/primary-copy.js';
import type { Protocol } from '../../../protocol/types.js';
import { checkNativeHistory } from '../../../properties/linearizability/index.js';
import {
  checker, defaultCheckConfig, replay, replicaPermutations, serialize, type HistoryCheck,
  type SystemState,
} from '../../../simulator/checker/index.js';
import {
  applyAction, enumerateActions, initialState, makeModel,
} from '../../../simulator/checker/system.js';

const history: HistoryCheck = (h) => ({ verdict: checkNativeHistory(h).verdict });

/** Every node, once, pings every other; a node remembers who pinged it (a set, not a list). */
interface Gossip { readonly id: string; readonly heard: ReadonlySet<string> }
const gossip: Protocol<Gossip, string, unknown> = {
  name: 'gossip', description: 'symmetric pings for checker tests', mutants: [],
  client: { target: 'first', onTimeout: 'rotate' }, defaults: {},
  init: (id) => ({ id, heard: new Set() }),
  durable: () => null,
  describeMessage: (m) => `Ping ${m}`,
  step(s, ev) {
    switch (ev.kind) {
      case 'restart': return { state: s, effects: [{ kind: 'setTimer', timer: 'go', at: 0 }] };
      case 'timer': return { state: s, effects: ['n1', 'n2', 'n3'].filter((n) => n !== s.id)
        .map((to) => ({ kind: 'send' as const, to, msg: s.id })) };
      case 'message': return { state: { ...s, heard: new Set([...s.heard, ev.msg]) }, effects: [] };
      default: return { state: s, effects: [] };
    }
  },
};

const bounds = { replicas: 3, clients: 0, crashes: 0 } as const;

/** Reachable states of the gossip system, by exact canonical text (no fingerprints). */
function reachable(): SystemState[] {
  const model = makeModel(gossip, { ...defaultCheckConfig, ...bounds }, null);
  // A slot's own fields only: its caches (part hash, memo of transitions) are not its value.
  const slot = ({ name, up, state, disk, timers }: SystemState['nodes'][number]) =>
    ({ name, up, state, disk, timers });
  const text = (s: SystemState) =>
    serialize({ n: s.nodes.map(slot), p: s.inflight.map((p) => p.key) });
  const seen = new Map<string, SystemState>();
  let frontier = [initialState(model).state];
  while (frontier.length > 0) {
    const next: SystemState[] = [];
    for (const s of frontier) {
      if (seen.has(text(s))) continue;
      seen.set(text(s), s);
      for (const a of enumerateActions(model, s)) next.push(applyAction(model, s, a).state);
    }
    frontier = next;
  }
  return [...seen.values()];
}

/** The least text of a state over every renaming of n1..n3, with slots moved accordingly. */
function orbitKey(s: SystemState, names: readonly string[]): string {
  const model = makeModel(gossip, { ...defaultCheckConfig, ...bounds }, null);
  const keys = replicaPermutations(model.pconfig).map((perm) => {
    const to = (name: string) => perm.rename?.get(name) ?? name;
    const nodes = perm.source.map((i) => {
      const n = s.nodes[i]!;
      const st = n.state as Gossip;
      return [n.up, n.timers, [...st.heard].map(to).sort()];
    });
    const packets = s.inflight.map((p) => `${to(p.from)}>${to(p.to)}:${to(p.body as string)}`);
    return JSON.stringify([nodes, packets.sort(), names.length]);
  });
  return keys.sort()[0]!;
}

describe('symmetry reduction over replica names', () => {
  test('merges exactly the renamed states of a symmetric protocol (both counts pinned)', () => {
    const all = reachable();
    const orbits = new Set(all.map((s) => orbitKey(s, ['n1', 'n2', 'n3'])));
    const plain = checker(gossip, bounds).maxDepth(50).bfs();
    const reduced = checker(gossip, bounds).maxDepth(50).symmetry().bfs();
    expect(plain.unique).toBe(all.length);
    expect(reduced.unique).toBe(orbits.size);
    expect({ plain: plain.unique, reduced: reduced.unique }).toEqual({ plain: 125, reduced: 30 });
    expect(reduced.complete).toBe(true);
  });

  test('reduces nothing on the example protocol, whose n1 is special (pinned)', () => {
    const options = { replicas: 2, clients: 1, ops: 2, crashes: 1, history };
    const r = checker(primaryCopy, options).maxDepth(50).symmetry().bfs();
    expect({ unique: r.unique, states: r.states }).toEqual({ unique: 1040, states: 4176 });
  });
});

describe('depth-first search', () => {
  const options = { replicas: 2, clients: 1, ops: 2, crashes: 1, history };

  test('a complete DFS explores exactly the states BFS does', () => {
    const d = checker(primaryCopy, options).maxDepth(50).dfs();
    expect({ states: d.states, unique: d.unique, complete: d.complete, order: d.order })
      .toEqual({ states: 4176, unique: 1040, complete: true, order: 'dfs' });
  });

  test('a depth bound that cuts DFS off makes it incomplete', () => {
    const d = checker(primaryCopy, options).maxDepth(6).dfs();
    expect(d.complete).toBe(false);
    expect(d.unique).toBeLessThan(1040);
  });

  test('finds the volatile-log bug with a path that replays to the same violation', () => {
    const mutant = { ...options, mutant: 'example:volatile-log' };
    const r = checker(primaryCopy, mutant).maxDepth(30).dfs();
    expect(r.verdict).toBe('violation');
    expect(replay(primaryCopy, mutant, r.counterexample!.path).counterexample)
      .toEqual(r.counterexample);
    expect(r.counterexample!.path.length).toBe(25); // Not the shortest (BFS: 12); pinned.
  });
});
