/**
 * Breadth-first search over the closed system with fingerprint deduplication. BFS finds a
 * shortest counterexample; parents are kept as typed arrays (state id → parent id, action
 * index) so a path costs 8 bytes per unique state rather than a copy of the state.
 */
import type { Model } from './draft.js';
import { fingerprintOf, fpHi, fpLo } from './fingerprint.js';
import {
  counterexample, makeResult, openSearch, pathTo, rootedTree, type SearchOptions, stopAt,
} from './search.js';
import { applyAction, enumerateActions } from './system.js';
import type { CheckResult, SystemState } from './types.js';

export function bfs(model: Model, opts: SearchOptions): CheckResult {
  const { started, perms, stats, seen, root, early } = openSearch(model, opts, 'bfs');
  if (early !== null) return early;
  const { parent, via } = rootedTree();
  let frontier: SystemState[] = [root];
  let ids: number[] = [0];
  const done = (cx: number[] | null): CheckResult => {
    stats.unique = seen.size;
    return makeResult(model, opts, 'bfs', started, stats,
      cx === null ? null : counterexample(model, cx));
  };
  for (let depth = 0; frontier.length > 0; depth++) {
    stats.depth = depth;
    if (depth >= opts.maxDepth) {
      stats.complete = !frontier.some((s) => enumerateActions(model, s).length > 0);
      break;
    }
    const next: SystemState[] = [];
    const nextIds: number[] = [];
    for (let f = 0; f < frontier.length; f++) {
      const state = frontier[f]!;
      const id = ids[f]!;
      const actions = enumerateActions(model, state);
      for (let i = 0; i < actions.length; i++) {
        const t = applyAction(model, state, actions[i]!);
        stats.states++;
        if (t.violation !== null) return done(pathTo(parent, via, id).concat(i));
        fingerprintOf(t.state, perms);
        if (!seen.add(fpLo, fpHi)) continue;
        nextIds.push(parent.length);
        next.push(t.state);
        parent.push(id);
        via.push(i);
      }
      frontier[f] = undefined as unknown as SystemState; // Expanded: let it be collected.
      const late = opts.timeoutMs > 0 && opts.clock() - started > opts.timeoutMs;
      if (seen.size >= opts.maxStates || late) {
        stopAt(stats, late && seen.size < opts.maxStates);
        return done(null);
      }
    }
    opts.onProgress?.({ states: stats.states, unique: seen.size, depth });
    frontier = next;
    ids = nextIds;
  }
  return done(null);
}
