/**
 * Depth-first search (an option): memory is the current path, not a whole BFS level, and deep
 * states are reached early. The counterexample it finds is not the shortest. With a depth bound
 * that cuts paths off, a state first reached on a long path is not expanded again when a
 * shorter path reaches it, so a cut-off DFS may see fewer states than BFS (it then says the
 * search is incomplete); a complete DFS has explored exactly the states BFS would.
 */
import type { Model } from './draft.js';
import { fingerprintOf, fpHi, fpLo } from './fingerprint.js';
import {
  counterexample, makeResult, openSearch, type SearchOptions, stopAt,
} from './search.js';
import { applyAction, enumerateActions } from './system.js';
import type { Action, CheckResult, SystemState } from './types.js';

interface Frame {
  readonly state: SystemState;
  readonly actions: readonly Action[];
  /** Index of the next action to take. */
  next: number;
}

/** How often (in transitions) the time bound is looked at and progress reported. */
const CHECK_EVERY = 1024;

export function dfs(model: Model, opts: SearchOptions): CheckResult {
  const { started, perms, stats, seen, root, early } = openSearch(model, opts, 'dfs');
  if (early !== null) return early;
  const done = (cx: number[] | null): CheckResult => {
    stats.unique = seen.size;
    return makeResult(model, opts, 'dfs', started, stats,
      cx === null ? null : counterexample(model, cx));
  };
  const stack: Frame[] = [];
  const enter = (state: SystemState): void => {
    if (stack.length >= opts.maxDepth) {
      if (enumerateActions(model, state).length > 0) stats.complete = false;
      return;
    }
    stack.push({ state, actions: enumerateActions(model, state), next: 0 });
  };
  enter(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next === top.actions.length) {
      stack.pop();
      continue;
    }
    const i = top.next++;
    const t = applyAction(model, top.state, top.actions[i]!);
    stats.states++;
    if (t.violation !== null) return done(stack.map((f) => f.next - 1));
    fingerprintOf(t.state, perms);
    if (!seen.add(fpLo, fpHi)) continue;
    if (stack.length > stats.depth) stats.depth = stack.length;
    if (seen.size >= opts.maxStates) {
      stopAt(stats, false);
      return done(null);
    }
    enter(t.state);
    if (stats.states % CHECK_EVERY === 0) {
      if (opts.timeoutMs > 0 && opts.clock() - started > opts.timeoutMs) {
        stopAt(stats, true);
        return done(null);
      }
      opts.onProgress?.({ states: stats.states, unique: seen.size, depth: stack.length });
    }
  }
  return done(null);
}
