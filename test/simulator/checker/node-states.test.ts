/**
 * The checker's count of distinct single-node protocol states (the unit of explore and sweep
 * --state-coverage): one per role for a protocol whose state never changes; BFS and DFS that
 * both exhaust a space meet the same node states; more ops reach more of them.
 */
import { describe, expect, test } from 'vitest';
import { primaryCopy } from '../../../protocol/example/primary-copy.js';
import type { Protocol } from '../../../protocol/types.js';
import { checker } from '../../../simulator/checker/index.js';

interface Still { readonly role: 'primary' | 'backup'; readonly nodes: readonly string[] }

/** Answers every request and never changes its state: one state per role. */
const still: Protocol<Still, null, null> = {
  name: 'still', description: 'test protocol: a state that never changes', mutants: [],
  client: { target: 'first', onTimeout: 'rotate' }, defaults: {}, linearizable: false,
  init: (id, config) => ({ role: id === config.replicas[0] ? 'primary' : 'backup',
    nodes: [...config.replicas] }),
  durable: () => null,
  describeMessage: () => 'Ping',
  step(s, ev) {
    if (ev.kind !== 'clientRequest') return { state: s, effects: [] };
    return { state: s, effects: [{ kind: 'reply', to: ev.request.client, seq: ev.request.seq,
      outcome: { type: 'done', result: { ok: true } } }] };
  },
};

describe('node states met by the checker', () => {
  test('a state that never changes: one per role, whatever the replicas', () => {
    const r = checker(still, { replicas: 3, clients: 1, ops: 2, crashes: 1 }).maxDepth(20).bfs();
    expect(r.complete).toBe(true);
    expect(r.unique).toBeGreaterThan(3);
    expect(r.nodeStates).toBe(2);
  });

  test('BFS and DFS over the same whole space meet the same number; more ops, more', () => {
    const small = { replicas: 2, clients: 1, ops: 1, crashes: 0 };
    const bfs = checker(primaryCopy, small).maxDepth(40).bfs();
    const dfs = checker(primaryCopy, small).maxDepth(40).dfs();
    expect(bfs.complete && dfs.complete).toBe(true);
    expect(dfs.nodeStates).toBe(bfs.nodeStates);
    const more = checker(primaryCopy, { ...small, ops: 2 }).maxDepth(40).bfs();
    expect(more.complete).toBe(true);
    expect(more.nodeStates).toBeGreaterThan(bfs.nodeStates!);
  });
});
