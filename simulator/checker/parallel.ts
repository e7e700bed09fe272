/**
 * BFS with its frontier spread over workers (threads, in cli/check-worker.ts). The order of the
 * search is exactly the sequential one, so counts, verdicts and counterexamples do not depend
 * on the number of workers:
 * - each worker holds a block of the level's states, in the level's order (a subsequence of
 *   it); this side knows, per position of the level, which worker holds it and where;
 * - a worker expands its block and reports, per successor new to its block, its fingerprint,
 *   parent and action, and every violation; it keeps the successor states itself (protocol
 *   states are not sent between threads: they may be class instances);
 * - this side walks the level in order, taking each state's report from its worker, against
 *   the one visited set, exactly as `bfs` walks its frontier, and tells every worker which of
 *   its successors make its next block;
 * - the blocks are kept even without moving states: a state met from several workers' blocks
 *   goes to whichever holds fewer (its parent in the BFS tree is still the first in order);
 *   while levels are small every worker holds and expands all of them (that is how states
 *   reach every worker); when blocks still drift apart, states move and are rebuilt from their
 *   action paths.
 * Only fingerprints and small integers cross threads, one message each way per worker and level
 * (what a worker is told between levels rides with the next level's request, as a 'batch').
 * The visited set is in shared memory: a worker reads it while it expands (this side writes it
 * only while every worker waits), so successors met at earlier levels are neither reported nor
 * kept; the merge, which would skip them, is left the level's new states alone.
 */
import type { Model } from './draft.js';
import { fingerprintOf, fpHi, fpLo } from './fingerprint.js';
import { stateAt } from './replay.js';
import {
  counterexample, makeResult, openSearch, pathTo, renamings, rootedTree, type SearchOptions,
  stopAt,
} from './search.js';
import type { Permutation } from './symmetry.js';
import { applyAction, enumerateActions, initialState } from './system.js';
import type { CheckResult, SystemState } from './types.js';
import { contains, IntList, VisitedSet } from '../visited.js';

export type ExpanderRequest =
  /**
   * Expand the block. `seen` is the visited set's table (shared memory, see VisitedSet.lookup),
   * read-only while the level is expanded: a successor in it is not reported nor kept.
   */
  | { readonly op: 'expand'; readonly seen: Int32Array | null }
  /** The next block: these successors of the last expansion, in this order. */
  | { readonly op: 'keep'; readonly order: Int32Array }
  | { readonly op: 'enabled' }
  | { readonly op: 'unknown' }
  /**
   * The block re-made: per new position, the index of a state of the current block (>= 0), or
   * -1 - k for the state `paths[k]` leads to, rebuilt here.
   */
  | { readonly op: 'arrange'; readonly take: Int32Array; readonly paths: readonly number[][] }
  /**
   * These requests in order, answered by the last one's reply: what a worker is told between
   * two levels travels in one message with the next request (one wake-up of each thread).
   */
  | { readonly op: 'batch'; readonly requests: readonly ExpanderRequest[] };

export interface ExpandReply {
  /** Per new-to-this-worker successor, in order: fingerprint low, high, parent index, action. */
  readonly entries: Int32Array;
  /** Transitions taken from each state of the block. */
  readonly counts: Int32Array;
  /**
   * Violations met, as (block index, action index) pairs: a state's expansion stops at its
   * first, the block's goes on (its blocks need not be in the level's order, see parallelBfs).
   */
  readonly violations: Int32Array;
}

export type ExpanderReply = ExpandReply | { readonly any: boolean }
  | { readonly unknown: readonly string[] } | null;

/** The worker's side: one block of the frontier. */
export class LevelExpander {
  private block: SystemState[] = [];
  private successors: SystemState[] = [];
  private root: SystemState | null = null;
  private readonly perms: readonly Permutation[];

  constructor(private readonly model: Model, symmetry: boolean) {
    this.perms = renamings(model, { symmetry } as SearchOptions);
  }

  handle(request: ExpanderRequest): ExpanderReply {
    switch (request.op) {
      case 'batch': {
        let reply: ExpanderReply = null;
        for (const r of request.requests) reply = this.handle(r);
        return reply;
      }
      case 'expand': return this.expand(request.seen);
      case 'keep':
        this.block = Array.from(request.order, (i) => this.successors[i]!);
        this.successors = [];
        return null;
      case 'enabled':
        return { any: this.block.some((s) => enumerateActions(this.model, s).length > 0) };
      case 'unknown':
        return { unknown: [...this.model.verdicts].filter(([, v]) => v.verdict === 'unknown')
          .map(([k]) => k) };
      case 'arrange':
        this.block = Array.from(request.take, (i) =>
          (i >= 0 ? this.block[i]! : this.rebuild(request.paths[-1 - i]!)));
        return null;
    }
  }

  /** Rebuilt states start from this one root, whose node slots carry this worker's memos. */
  private rebuild(path: readonly number[]): SystemState {
    this.root ??= initialState(this.model).state;
    return stateAt(this.model, path, this.root);
  }

  private expand(seen: Int32Array | null): ExpandReply {
    const local = new VisitedSet();
    const entries = new IntList();
    const counts = new Int32Array(this.block.length);
    const successors: SystemState[] = [];
    const violations = new IntList();
    for (let f = 0; f < this.block.length; f++) {
      const state = this.block[f]!;
      const actions = enumerateActions(this.model, state);
      counts[f] = actions.length;
      for (let i = 0; i < actions.length; i++) {
        const t = applyAction(this.model, state, actions[i]!);
        if (t.violation !== null) {
          counts[f] = i + 1;
          violations.push(f);
          violations.push(i);
          break;
        }
        fingerprintOf(t.state, this.perms);
        // Met at an earlier level: the merge would skip it. A duplicate within the block is a
        // duplicate globally too. Neither is reported, nor kept until the next block is known.
        if (seen !== null && contains(seen, fpLo, fpHi)) continue;
        if (!local.add(fpLo, fpHi)) continue;
        entries.push(fpLo);
        entries.push(fpHi);
        entries.push(f);
        entries.push(i);
        successors.push(t.state);
      }
    }
    this.block = [];
    this.successors = successors;
    return { entries: entries.toArray(), counts, violations: violations.toArray() };
  }
}

/** One worker, as this side sees it. */
export interface ExpanderLink {
  call(request: ExpanderRequest): Promise<ExpanderReply>;
}

/** Blocks are re-cut when the largest exceeds the smallest by this factor (and by 64 states). */
const SKEW = 1.25;
/**
 * While a level has fewer states than this per worker, every worker holds and expands the whole
 * level (a little work done twice): that is how the states get to every worker without being
 * rebuilt from their paths.
 */
const SHARE_BELOW = 16;

/** Where the states of one level are: per position in the level's (global) order. */
interface Level {
  /** Global id of the state at each position (ascending). */
  readonly ids: Int32Array;
  /** The worker that expands it, or -1 while every worker holds the whole level. */
  readonly owner: Int32Array;
  /** Its index in that worker's block. */
  readonly local: Int32Array;
}

/** The successors of one level, met in the level's order, by fingerprint (per level). */
class Firsts {
  private table: Int32Array;
  private mask: number;

  constructor(expected: number) {
    let cap = 16;
    while (cap < 2 * expected) cap *= 2;
    this.table = new Int32Array(3 * cap).fill(-1);
    this.mask = cap - 1;
  }

  /** The index stored with this fingerprint, or -1 after storing `index` with it. */
  find(lo: number, hi: number, index: number): number {
    const t = this.table;
    for (let i = lo & this.mask; ; i = (i + 1) & this.mask) {
      const at = 3 * i;
      if (t[at + 2] === -1) {
        t[at] = lo;
        t[at + 1] = hi;
        t[at + 2] = index;
        return -1;
      }
      if (t[at] === lo && t[at + 1] === hi) return t[at + 2]!;
    }
  }
}

export async function parallelBfs(
  model: Model, opts: SearchOptions, links: readonly ExpanderLink[],
): Promise<CheckResult> {
  // Shared, so that workers skip what earlier levels met without reporting it (see 'expand').
  const { started, stats, seen, early } = openSearch(model, opts, 'bfs', new VisitedSet(12, true));
  if (early !== null) return early;
  const { parent, via } = rootedTree();
  const workers = links.length;
  /** Per worker, requests without an answer to wait for, sent ahead of the next (see `ask`). */
  const queued: ExpanderRequest[][] = links.map(() =>
    [{ op: 'arrange', take: Int32Array.of(-1), paths: [[]] }]);
  /**
   * Sends one request to each worker, behind what is queued for it ('keep', 'arrange') in one
   * message, and waits for the answers: one round trip per level.
   */
  const ask = (request: ExpanderRequest): Promise<ExpanderReply[]> =>
    Promise.all(links.map((l, w) => {
      const before = queued[w]!.splice(0);
      return l.call(before.length === 0 ? request
        : { op: 'batch', requests: [...before, request] });
    }));
  let level: Level = { ids: Int32Array.of(0), owner: Int32Array.of(-1), local: Int32Array.of(0) };
  const done = async (cx: number[] | null): Promise<CheckResult> => {
    stats.unique = seen.size;
    const unknown = new Set<string>();
    for (const reply of await ask({ op: 'unknown' })) {
      for (const k of (reply as { unknown: readonly string[] }).unknown) unknown.add(k);
    }
    for (const k of unknown) model.verdicts.set(k, { verdict: 'unknown' });
    return makeResult(model, opts, 'bfs', started, stats,
      cx === null ? null : counterexample(model, cx));
  };
  for (let depth = 0; level.ids.length > 0; depth++) {
    stats.depth = depth;
    if (depth >= opts.maxDepth) {
      const replies = await ask({ op: 'enabled' });
      stats.complete = !replies.some((r) => (r as { any: boolean }).any);
      break;
    }
    const shared = level.owner[0] === -1;
    const replies = await ask({ op: 'expand', seen: seen.lookup }) as ExpandReply[];
    // Where each worker's entries for its block index f start (entries come in block order).
    const starts = replies.map(({ entries, counts }) => {
      const at = new Int32Array(counts.length + 1);
      let e = 0;
      for (let f = 0; f < counts.length; f++) {
        at[f] = e;
        while (e < entries.length && entries[e + 2] === f) e += 4;
      }
      at[counts.length] = e;
      return at;
    });
    // Per new state of the next level (in order): the worker that keeps it, and which of that
    // worker's successors it is. A state met again from another worker's block may go to that
    // worker instead, whichever holds fewer so far: the blocks stay even without moving states.
    const keepW: number[] = [];
    const keepS: number[] = [];
    const load = new Int32Array(workers);
    const firsts = new Firsts(level.ids.length * 2);
    const firstId = parent.length;
    for (let pos = 0; pos < level.ids.length; pos++) {
      const id = level.ids[pos]!;
      const w = shared ? 0 : level.owner[pos]!;
      const f = level.local[pos]!;
      const { entries, counts, violations } = replies[w]!;
      stats.states += counts[f]!;
      const end = starts[w]![f + 1]!;
      for (let e = starts[w]![f]!; e < end; e += 4) {
        const lo = entries[e]!;
        const hi = entries[e + 1]!;
        if (!seen.add(lo, hi)) {
          if (shared) continue;
          const k = firsts.find(lo, hi, -1);
          if (k < 0) continue; // Met at an earlier level.
          const was = keepW[k]!;
          if (was !== w && load[w]! < load[was]!) {
            load[was] = load[was]! - 1;
            load[w] = load[w]! + 1;
            keepW[k] = w;
            keepS[k] = e / 4;
          }
          continue;
        }
        if (!shared) firsts.find(lo, hi, parent.length - firstId);
        keepW.push(w);
        keepS.push(e / 4);
        load[w] = load[w]! + 1;
        parent.push(id);
        via.push(entries[e + 3]!);
      }
      for (let v = 0; v < violations.length; v += 2) {
        if (violations[v] === f) return done(pathTo(parent, via, id).concat(violations[v + 1]!));
      }
      const late = opts.timeoutMs > 0 && opts.clock() - started > opts.timeoutMs;
      if (seen.size >= opts.maxStates || late) {
        stopAt(stats, late && seen.size < opts.maxStates);
        return done(null);
      }
    }
    const count = parent.length - firstId;
    const stillShared = shared && count < SHARE_BELOW * workers;
    const orders: Int32Array[] = [];
    level = nextLevel(keepW, keepS, firstId, count, shared, stillShared, workers, orders);
    orders.forEach((order, w) => queued[w]!.push({ op: 'keep', order }));
    if (!stillShared) level = rebalance(queued, level, parent, via);
    opts.onProgress?.({ states: stats.states, unique: seen.size, depth });
  }
  return done(null);
}

/**
 * The next level: ids in order, and the owner and block index of each; `orders` gets, per
 * worker, which of its successors make its next block. A block is always in the level's order,
 * so that a worker's "first in my block" is "first in the level" too.
 */
function nextLevel(
  keepW: readonly number[], keepS: readonly number[], firstId: number, count: number,
  shared: boolean, stillShared: boolean, workers: number, orders: Int32Array[],
): Level {
  const ids = new Int32Array(count);
  const owner = new Int32Array(count);
  const local = new Int32Array(count);
  const sizes = new Int32Array(workers);
  for (let k = 0; k < count; k++) {
    ids[k] = firstId + k;
    // Leaving a shared level, contiguous equal shares: every worker holds every state.
    const w = stillShared ? -1 : shared ? Math.floor((k * workers) / count) : keepW[k]!;
    owner[k] = w;
    if (w >= 0) {
      local[k] = sizes[w]!;
      sizes[w] = sizes[w]! + 1;
    } else {
      local[k] = k;
    }
  }
  for (let w = 0; w < workers; w++) {
    const order = new Int32Array(stillShared ? count : sizes[w]!);
    for (let k = 0; k < count; k++) {
      if (owner[k] === -1 || owner[k] === w) order[local[k]!] = keepS[k]!;
    }
    orders.push(order);
  }
  return { ids, owner, local };
}

/**
 * Moves states from the fullest block to the emptiest when they have drifted apart: the last
 * states of the one are rebuilt in the other from their action paths, both blocks kept in the
 * level's order. The requests join `queued`, sent with the next level's.
 */
function rebalance(
  queued: readonly ExpanderRequest[][], level: Level, parent: IntList, via: IntList,
): Level {
  const sizes = new Int32Array(queued.length);
  for (let k = 0; k < level.owner.length; k++) {
    const w = level.owner[k]!;
    sizes[w] = sizes[w]! + 1;
  }
  let big = 0;
  let small = 0;
  for (let w = 1; w < queued.length; w++) {
    if (sizes[w]! > sizes[big]!) big = w;
    if (sizes[w]! < sizes[small]!) small = w;
  }
  const max = sizes[big]!;
  const min = sizes[small]!;
  if (max <= min * SKEW || max - min < 64) return level;
  const keep = max - Math.floor((max - min) / 2);
  const owner = level.owner.slice();
  const local = level.local.slice();
  const take: number[] = [];
  const paths: number[][] = [];
  for (let k = 0; k < owner.length; k++) {
    if (owner[k] === small) {
      local[k] = take.length;
      take.push(level.local[k]!);
    } else if (owner[k] === big && level.local[k]! >= keep) {
      owner[k] = small;
      local[k] = take.length;
      take.push(-1 - paths.length);
      paths.push(pathTo(parent, via, level.ids[k]!));
    }
  }
  queued[big]!.push({ op: 'arrange', take: Int32Array.from({ length: keep }, (_, i) => i),
    paths: [] });
  queued[small]!.push({ op: 'arrange', take: Int32Array.from(take), paths });
  return { ids: level.ids, owner, local };
}
