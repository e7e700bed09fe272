/**
 * BFS with its frontier spread over workers (threads, in cli/check-worker.ts). The order of the
 * search is exactly the sequential one, so counts, verdicts and counterexamples do not depend
 * on the number of workers:
 * - each worker holds a contiguous block of the level's frontier (worker 0 the first block), so
 *   the global frontier is the concatenation of the blocks in worker order;
 * - a worker expands its block and reports, per successor in order, its fingerprint, parent and
 *   action; it keeps the successor states itself (protocol states are not sent between threads:
 *   they may be class instances);
 * - this side walks the reports in worker order against the one visited set, exactly as `bfs`
 *   walks its frontier, and tells every worker which successors were new: those are its block
 *   of the next level, still in order;
 * - blocks drift apart in size (a state reached from two blocks is credited to the first), so
 *   they are re-cut to equal sizes now and then: states that change worker are rebuilt there by
 *   replaying their action paths.
 * Only fingerprints and small integers cross threads.
 */
import type { Model } from './draft.js';
import { fingerprintOf, fpHi, fpLo } from './fingerprint.js';
import { replayModel } from './replay.js';
import {
  counterexample, makeResult, openSearch, pathTo, renamings, rootedTree, type SearchOptions,
} from './search.js';
import type { Permutation } from './symmetry.js';
import { applyAction, enumerateActions } from './system.js';
import type { CheckResult, SystemState } from './types.js';
import { IntList, VisitedSet } from '../visited.js';

export type ExpanderRequest =
  | { readonly op: 'expand' }
  | { readonly op: 'keep'; readonly bits: Uint8Array }
  | { readonly op: 'enabled' }
  | { readonly op: 'unknown' }
  | {
    readonly op: 'reshape'; readonly dropFront: number; readonly dropBack: number;
    readonly front: readonly (readonly number[])[]; readonly back: readonly (readonly number[])[];
  };

export interface ExpandReply {
  /** Per new-to-this-worker successor, in order: fingerprint low, high, parent index, action. */
  readonly entries: Int32Array;
  /** Transitions taken from each state of the block. */
  readonly counts: Int32Array;
  /** The first violation met (the block's expansion stopped there), or null. */
  readonly violation: { readonly local: number; readonly action: number } | null;
}

export type ExpanderReply = ExpandReply | { readonly any: boolean }
  | { readonly unknown: readonly string[] } | null;

/** The worker's side: one block of the frontier. */
export class LevelExpander {
  private block: SystemState[] = [];
  private successors: SystemState[] = [];
  private readonly perms: readonly Permutation[];

  constructor(private readonly model: Model, symmetry: boolean) {
    this.perms = renamings(model, { symmetry } as SearchOptions);
  }

  handle(request: ExpanderRequest): ExpanderReply {
    switch (request.op) {
      case 'expand': return this.expand();
      case 'keep':
        this.block = this.successors.filter((_, i) => request.bits[i] === 1);
        this.successors = [];
        return null;
      case 'enabled':
        return { any: this.block.some((s) => enumerateActions(this.model, s).length > 0) };
      case 'unknown':
        return { unknown: [...this.model.verdicts].filter(([, v]) => v.verdict === 'unknown')
          .map(([k]) => k) };
      case 'reshape': {
        const kept = this.block.slice(request.dropFront, this.block.length - request.dropBack);
        this.block = [...request.front.map((p) => this.rebuild(p)), ...kept,
          ...request.back.map((p) => this.rebuild(p))];
        return null;
      }
    }
  }

  private rebuild(path: readonly number[]): SystemState {
    return replayModel(this.model, path).state;
  }

  private expand(): ExpandReply {
    const local = new VisitedSet();
    const entries = new IntList();
    const counts = new Int32Array(this.block.length);
    const successors: SystemState[] = [];
    let violation: ExpandReply['violation'] = null;
    outer: for (let f = 0; f < this.block.length; f++) {
      const state = this.block[f]!;
      const actions = enumerateActions(this.model, state);
      for (let i = 0; i < actions.length; i++) {
        const t = applyAction(this.model, state, actions[i]!);
        if (t.violation !== null) {
          counts[f] = i + 1;
          violation = { local: f, action: i };
          break outer;
        }
        fingerprintOf(t.state, this.perms);
        // A duplicate within the block is a duplicate globally too: no need to report it.
        if (!local.add(fpLo, fpHi)) continue;
        entries.push(fpLo);
        entries.push(fpHi);
        entries.push(f);
        entries.push(i);
        successors.push(t.state);
      }
      counts[f] = actions.length;
    }
    this.block = [];
    this.successors = successors;
    return { entries: entries.toArray(), counts, violation };
  }
}

/** One worker, as this side sees it. */
export interface ExpanderLink {
  call(request: ExpanderRequest): Promise<ExpanderReply>;
}

/** Blocks are re-cut when the largest exceeds the smallest by this factor (and by 64 states). */
const SKEW = 1.25;

export async function parallelBfs(
  model: Model, opts: SearchOptions, links: readonly ExpanderLink[],
): Promise<CheckResult> {
  const { started, stats, seen, early } = openSearch(model, opts, 'bfs');
  if (early !== null) return early;
  const { parent, via } = rootedTree();
  // Global ids of each worker's block, in order.
  let ids: number[][] = links.map((_, w) => (w === 0 ? [0] : []));
  await links[0]!.call({ op: 'reshape', dropFront: 0, dropBack: 0, front: [[]], back: [] });
  const done = async (cx: number[] | null): Promise<CheckResult> => {
    stats.unique = seen.size;
    const unknown = new Set<string>();
    for (const link of links) {
      const reply = await link.call({ op: 'unknown' }) as { unknown: readonly string[] };
      for (const k of reply.unknown) unknown.add(k);
    }
    for (const k of unknown) model.verdicts.set(k, { verdict: 'unknown' });
    return makeResult(model, opts, 'bfs', started, stats,
      cx === null ? null : counterexample(model, cx));
  };
  for (let depth = 0; ids.some((b) => b.length > 0); depth++) {
    stats.depth = depth;
    if (depth >= opts.maxDepth) {
      const replies = await Promise.all(links.map((l) => l.call({ op: 'enabled' })));
      stats.complete = !replies.some((r) => (r as { any: boolean }).any);
      break;
    }
    const replies = await Promise.all(links.map((l) => l.call({ op: 'expand' }))) as
      ExpandReply[];
    const next: number[][] = [];
    const bits: Uint8Array[] = [];
    for (let w = 0; w < links.length; w++) {
      const { entries, counts, violation } = replies[w]!;
      const block = ids[w]!;
      const keep = new Uint8Array(entries.length / 4);
      const mine: number[] = [];
      let e = 0;
      for (let f = 0; f < block.length; f++) {
        stats.states += counts[f]!;
        for (; e < entries.length && entries[e + 2] === f; e += 4) {
          if (!seen.add(entries[e]!, entries[e + 1]!)) continue;
          keep[e / 4] = 1;
          mine.push(parent.length);
          parent.push(block[f]!);
          via.push(entries[e + 3]!);
        }
        if (violation !== null && violation.local === f) {
          return done(pathTo(parent, via, block[f]!).concat(violation.action));
        }
        const late = opts.timeoutMs > 0 && opts.clock() - started > opts.timeoutMs;
        if (seen.size >= opts.maxStates || late) {
          stats.complete = false;
          return done(null);
        }
      }
      next.push(mine);
      bits.push(keep);
    }
    await Promise.all(links.map((l, w) => l.call({ op: 'keep', bits: bits[w]! })));
    ids = await rebalance(links, next, parent, via);
    opts.onProgress?.({ states: stats.states, unique: seen.size, depth });
  }
  return done(null);
}

/** Re-cuts the blocks to equal sizes when they have drifted apart, keeping their order. */
async function rebalance(
  links: readonly ExpanderLink[], blocks: number[][], parent: IntList, via: IntList,
): Promise<number[][]> {
  const sizes = blocks.map((b) => b.length);
  const max = Math.max(...sizes);
  const min = Math.min(...sizes);
  if (max <= min * SKEW || max - min < 64) return blocks;
  const all = blocks.flat();
  const share = Math.floor(all.length / links.length);
  const extra = all.length % links.length;
  const cut: number[][] = [];
  const calls: Promise<ExpanderReply>[] = [];
  let from = 0;
  let to = 0;
  for (let w = 0; w < links.length; w++) {
    const a = from;
    const b = from + blocks[w]!.length;
    const c = to;
    const d = to + share + (w < extra ? 1 : 0);
    const lo = Math.max(a, c);
    const hi = Math.min(b, d);
    const paths = (x: number, y: number) => all.slice(x, y).map((id) => pathTo(parent, via, id));
    calls.push(lo < hi
      ? links[w]!.call({ op: 'reshape', dropFront: lo - a, dropBack: b - hi,
        front: paths(c, lo), back: paths(hi, d) })
      : links[w]!.call({ op: 'reshape', dropFront: b - a, dropBack: 0, front: paths(c, d),
        back: [] }));
    cut.push(all.slice(c, d));
    from = b;
    to = d;
  }
  await Promise.all(calls);
  return cut;
}
