/**
 * Bounded exhaustive model checking of a Protocol, through a builder in the spirit of
 * Stateright's CheckerBuilder (STYLE §14): the same Protocol value the simulator runs is
 * explored over every interleaving of a small closed system.
 *
 *   const result = checker(primaryCopy, { clients: 2, history: lin }).maxDepth(30).bfs();
 *   replay(primaryCopy, { clients: 2, history: lin }, result.counterexample!.path);
 */
import type { AnyProtocol } from '../../protocol/types.js';
import { bfs } from './bfs.js';
import { dfs } from './dfs.js';
import type { SearchOptions } from './search.js';
import type { Model } from './draft.js';
import { parallelBfs, type ExpanderLink } from './parallel.js';
export {
  LevelExpander, type ExpanderLink, type ExpanderReply, type ExpanderRequest,
} from './parallel.js';
export type { SearchOptions } from './search.js';
import { replayModel, type ReplayResult } from './replay.js';
import { makeModel } from './system.js';
import { countNodeStates } from './fingerprint.js';
import { VisitedSet } from '../visited.js';
import {
  defaultCheckConfig, type CheckConfig, type CheckResult, type HistoryCheck,
} from './types.js';

export { PathError, type ReplayResult } from './replay.js';
export { clientOp } from './client.js';
export { fingerprint, hashMultiset, serialize } from './fingerprint.js';
export { MAX_SYMMETRIC_REPLICAS, replicaPermutations } from './symmetry.js';
export * from './types.js';

/** The closed system's bounds, plus the history check (omitted: linearizability is not checked). */
export type CheckerOptions = Partial<CheckConfig> & { readonly history?: HistoryCheck };

function resolve(options: CheckerOptions): { cfg: CheckConfig; history: HistoryCheck | null } {
  const { history, ...rest } = options;
  return { cfg: { ...defaultCheckConfig, ...rest }, history: history ?? null };
}

export class CheckerBuilder {
  private opts: { -readonly [K in keyof SearchOptions]: SearchOptions[K] } = {
    maxDepth: 30, maxStates: Number.MAX_SAFE_INTEGER, symmetry: false, clock: () => 0,
    timeoutMs: 0,
  };

  constructor(private readonly protocol: AnyProtocol, private readonly options: CheckerOptions) {}

  /** Do not expand states at this depth (number of actions from the initial state). */
  maxDepth(depth: number): this {
    this.opts.maxDepth = depth;
    return this;
  }

  maxStates(unique: number): this {
    this.opts.maxStates = unique;
    return this;
  }

  /**
   * Merge states that differ only by a renaming of the replicas: sound only for a protocol
   * whose behaviour does not depend on replica names (see symmetry.ts).
   */
  symmetry(on = true): this {
    this.opts.symmetry = on;
    return this;
  }

  /** A wall-clock source in ms for `ms`, states/s and `timeout` (default: none, ms = 0). */
  clock(now: () => number): this {
    this.opts.clock = now;
    return this;
  }

  /** Stop after this many seconds of the injected clock; the result is then incomplete. */
  timeout(seconds: number): this {
    this.opts.timeoutMs = seconds * 1000;
    return this;
  }

  onProgress(report: NonNullable<SearchOptions['onProgress']>): this {
    this.opts.onProgress = report;
    return this;
  }

  /** The search options set so far (for a parallel search, which runs elsewhere). */
  searchOptions(): SearchOptions {
    return { ...this.opts };
  }

  bfs(): CheckResult {
    const { cfg, history } = resolve(this.options);
    return withNodeStates(() => bfs(makeModel(this.protocol, cfg, history), this.opts));
  }

  dfs(): CheckResult {
    const { cfg, history } = resolve(this.options);
    return withNodeStates(() => dfs(makeModel(this.protocol, cfg, history), this.opts));
  }
}

/** A search in this thread, with the distinct node states it met counted (CheckResult). */
function withNodeStates(search: () => CheckResult): CheckResult {
  const seen = new VisitedSet();
  countNodeStates(seen);
  try {
    return { ...search(), nodeStates: seen.size };
  } finally {
    countNodeStates(null);
  }
}

/** The model a worker of a parallel search builds for itself (see parallel.ts). */
export function checkerModel(protocol: AnyProtocol, options: CheckerOptions): Model {
  const { cfg, history } = resolve(options);
  return makeModel(protocol, cfg, history);
}

/** BFS over workers: the same result as `bfs()` for any number of workers (parallel.ts). */
export function parallelCheck(
  protocol: AnyProtocol, options: CheckerOptions, search: SearchOptions,
  links: readonly ExpanderLink[],
): Promise<CheckResult> {
  return parallelBfs(checkerModel(protocol, options), search, links);
}

export function checker(protocol: AnyProtocol, options: CheckerOptions = {}): CheckerBuilder {
  return new CheckerBuilder(protocol, options);
}

/** Re-applies a path of action indices; throws PathError when an index is not enabled. */
export function replay(
  protocol: AnyProtocol, options: CheckerOptions, path: readonly number[],
): ReplayResult {
  const { cfg, history } = resolve(options);
  return replayModel(makeModel(protocol, cfg, history), path);
}

/**
 * The in-flight message model that is sound for this protocol: merging identical copies (`set`)
 * loses a copy, so it is used only for a protocol that claims to survive message loss; any
 * other gets the exact `multiset`.
 */
export function soundNetwork(protocol: AnyProtocol): 'set' | 'multiset' {
  return protocol.survives === undefined || protocol.survives.includes('lossy') ? 'set'
    : 'multiset';
}
