/**
 * Breadth-first search over the closed system with fingerprint deduplication. BFS finds a
 * shortest counterexample; parents are kept as typed arrays (state id → parent id, action
 * index) so a path costs 8 bytes per unique state rather than a copy of the state.
 */
import type { Model } from './draft.js';
import { fingerprintOf, fpHi, fpLo } from './fingerprint.js';
import { replayModel } from './replay.js';
import {
  counterexample, makeResult, pathTo, renamings, type SearchOptions, type SearchStats,
} from './search.js';
import { applyAction, enumerateActions, initialState } from './system.js';
import type { CheckResult, SystemState } from './types.js';
import { IntList, VisitedSet } from '../visited.js';

export function bfs(model: Model, opts: SearchOptions): CheckResult {
  const started = opts.clock();
  const perms = renamings(model, opts);
  const stats: SearchStats = { states: 0, unique: 1, depth: 0, complete: true };
  const init = initialState(model);
  if (init.violation !== null) {
    return makeResult(model, opts, 'bfs', started, stats, replayModel(model, []).counterexample);
  }
  const seen = new VisitedSet();
  fingerprintOf(init.state, perms);
  seen.add(fpLo, fpHi);
  const parent = new IntList();
  const via = new IntList();
  parent.push(-1);
  via.push(-1);
  let frontier: SystemState[] = [init.state];
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
        stats.complete = false;
        return done(null);
      }
    }
    opts.onProgress?.({ states: stats.states, unique: seen.size, depth });
    frontier = next;
    ids = nextIds;
  }
  return done(null);
}
