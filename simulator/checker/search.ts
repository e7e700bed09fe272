/**
 * What the searches (bfs.ts, dfs.ts) share: their options, the result they return, and the
 * replay that turns a path into a counterexample.
 */
import { assert } from '../../protocol/assert.js';
import type { Model } from './draft.js';
import { fingerprintOf, fpHi, fpLo } from './fingerprint.js';
import { replayModel } from './replay.js';
import { identityOnly, replicaPermutations, type Permutation } from './symmetry.js';
import { initialState } from './system.js';
import type { CheckResult, Counterexample, SystemState } from './types.js';
import { IntList, VisitedSet } from '../visited.js';

export interface SearchOptions {
  readonly maxDepth: number;
  /** Stop after this many unique states (the result is then not complete). */
  readonly maxStates: number;
  /** Explore states that differ only by a renaming of the replicas once (symmetry.ts). */
  readonly symmetry: boolean;
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

/** Counters of a search in progress. */
export interface SearchStats {
  states: number;
  unique: number;
  depth: number;
  complete: boolean;
  /** The bound that last cut the search off, when one did (see CheckResult.cutOff). */
  cutOff: CutOff | null;
}

/** Which bound cut a search off: depth and states are counts, time the injected wall clock. */
export type CutOff = 'depth' | 'states' | 'time';

/** A search stopped by the state bound or, at a check of the clock, the time bound. */
export function stopAt(stats: SearchStats, late: boolean): void {
  stats.complete = false;
  stats.cutOff = late ? 'time' : 'states';
}

/**
 * The opening every search shares: the clock read, the renamings, the initial state in a fresh
 * visited set. `early` is the whole result when the initial state already violates.
 */
export interface SearchStart {
  readonly started: number;
  readonly perms: readonly Permutation[];
  readonly stats: SearchStats;
  readonly seen: VisitedSet;
  readonly root: SystemState;
  readonly early: CheckResult | null;
}

export function openSearch(
  model: Model, opts: SearchOptions, order: CheckResult['order'], seen = new VisitedSet(),
): SearchStart {
  const started = opts.clock();
  const perms = renamings(model, opts);
  const stats: SearchStats = {
    states: 0, unique: 1, depth: 0, complete: true, cutOff: null,
  };
  const init = initialState(model);
  const early = init.violation === null ? null
    : makeResult(model, opts, order, started, stats, replayModel(model, []).counterexample);
  if (early === null) {
    fingerprintOf(init.state, perms);
    seen.add(fpLo, fpHi);
  }
  return { started, perms, stats, seen, root: init.state, early };
}

/** A BFS tree holding only its root (id 0): per state id, its parent id and action index. */
export function rootedTree(): { readonly parent: IntList; readonly via: IntList } {
  const parent = new IntList();
  const via = new IntList();
  parent.push(-1);
  via.push(-1);
  return { parent, via };
}

export function renamings(model: Model, opts: SearchOptions): readonly Permutation[] {
  return opts.symmetry ? replicaPermutations(model.pconfig) : identityOnly(model.cfg.replicas);
}

export function makeResult(
  model: Model, opts: SearchOptions, order: CheckResult['order'], started: number,
  stats: SearchStats, counterexample: Counterexample | null,
): CheckResult {
  return {
    protocol: model.protocol.name, config: model.cfg, maxDepth: opts.maxDepth, order,
    symmetry: opts.symmetry, states: stats.states, unique: stats.unique, depth: stats.depth,
    complete: stats.complete && counterexample === null,
    cutOff: counterexample === null && !stats.complete ? stats.cutOff ?? 'depth' : null,
    unknownHistories: [...model.verdicts.values()].filter((v) => v.verdict === 'unknown').length,
    ms: opts.clock() - started, counterexample,
    verdict: counterexample === null ? 'ok' : 'violation',
  };
}

/** Re-derives the counterexample from its path, which also proves the path replays. */
export function counterexample(model: Model, path: number[]): Counterexample {
  const replayed = replayModel(model, path);
  assert(replayed.counterexample !== null, 'check: a counterexample path did not replay');
  const taken = replayed.counterexample.path.length;
  assert(taken === path.length, 'check: a path replayed to an earlier violation');
  return replayed.counterexample;
}

/** The action path to state `id` along the BFS tree (parent id and action index per state). */
export function pathTo(parent: IntList, via: IntList, id: number): number[] {
  const path: number[] = [];
  for (let at = id; at > 0; at = parent.at(at)) path.push(via.at(at));
  return path.reverse();
}
