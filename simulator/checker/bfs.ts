/**
 * Breadth-first search over the closed system with fingerprint deduplication. BFS finds a
 * shortest counterexample; parents are kept as dense arrays (state id → parent id, action
 * index) so a path costs two numbers per unique state rather than a copy of the state.
 */
import { assert } from '../../protocol/assert.js';
import type { Model } from './draft.js';
import { fingerprint } from './fingerprint.js';
import { replayModel } from './replay.js';
import { applyAction, enumerateActions, initialState } from './system.js';
import type { CheckResult, Counterexample, SystemState } from './types.js';

export interface SearchOptions {
  readonly maxDepth: number;
  /** Stop after this many unique states (the result is then not complete). */
  readonly maxStates: number;
  /** Wall-clock source in ms, injected: simulator/ reads no clock itself. */
  readonly clock: () => number;
  readonly timeoutMs: number;
  readonly onProgress?: (p: Progress) => void;
}

export interface Progress {
  readonly states: number;
  readonly unique: number;
  readonly depth: number;
}

interface Frontier {
  readonly state: SystemState;
  readonly id: number;
}

export function bfs(model: Model, opts: SearchOptions): CheckResult {
  const started = opts.clock();
  const stats = { states: 0, depth: 0, complete: true };
  const result = (counterexample: Counterexample | null, unique: number): CheckResult => ({
    protocol: model.protocol.name, config: model.cfg, maxDepth: opts.maxDepth,
    states: stats.states, unique, depth: stats.depth,
    complete: stats.complete && counterexample === null,
    unknownHistories: [...model.verdicts.values()].filter((v) => v.verdict === 'unknown').length,
    ms: opts.clock() - started, counterexample,
    verdict: counterexample === null ? 'ok' : 'violation',
  });
  const init = initialState(model);
  if (init.violation !== null) return result(replayModel(model, []).counterexample, 1);
  const seen = new Map<string, number>([[fingerprint(init.state), 0]]);
  const parent: number[] = [-1];
  const via: number[] = [-1];
  let frontier: Frontier[] = [{ state: init.state, id: 0 }];
  for (let depth = 0; frontier.length > 0; depth++) {
    stats.depth = depth;
    if (depth >= opts.maxDepth) {
      stats.complete = !frontier.some((f) => enumerateActions(model, f.state).length > 0);
      break;
    }
    const next: Frontier[] = [];
    for (const { state, id } of frontier) {
      const actions = enumerateActions(model, state);
      for (let i = 0; i < actions.length; i++) {
        const t = applyAction(model, state, actions[i]!);
        stats.states++;
        if (t.violation !== null) {
          return result(counterexample(model, pathTo(parent, via, id).concat(i)), seen.size);
        }
        const fp = fingerprint(t.state);
        if (seen.has(fp)) continue;
        seen.set(fp, parent.length);
        next.push({ state: t.state, id: parent.length });
        parent.push(id);
        via.push(i);
      }
      const late = opts.timeoutMs > 0 && opts.clock() - started > opts.timeoutMs;
      if (seen.size >= opts.maxStates || late) {
        stats.complete = false;
        return result(null, seen.size);
      }
    }
    opts.onProgress?.({ states: stats.states, unique: seen.size, depth });
    frontier = next;
  }
  return result(null, seen.size);
}

function pathTo(parent: readonly number[], via: readonly number[], id: number): number[] {
  const path: number[] = [];
  for (let at = id; at > 0; at = parent[at]!) path.push(via[at]!);
  return path.reverse();
}

/** Re-derives the counterexample from its path, which also proves the path replays. */
function counterexample(model: Model, path: number[]): Counterexample {
  const replayed = replayModel(model, path);
  assert(replayed.counterexample !== null, 'check: a counterexample path did not replay');
  const taken = replayed.counterexample.path.length;
  assert(taken === path.length, 'check: a path replayed to an earlier violation');
  return replayed.counterexample;
}
