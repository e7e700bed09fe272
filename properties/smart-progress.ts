/**
 * SMART progress under a quorum, judged during the faults from independent evidence: the
 * simulator's node facts (up, down, paused), the fault schedule resolved into cut links, and the
 * clients' history — never a node's report of its own progress. Whenever a quorum of the newest
 * configuration is live, mutually connected and cut off from the other live members, and a
 * client reaches every node of it, that client's operations must complete within
 * OP_BOUND_US once the quorum has had time to elect a leader (the election timeout, one stagger
 * per member, and a few round trips: SETTLE_SLACK_US). That holds for an operation invoked in
 * the window and for one still outstanding when it opens (invoked earlier, e.g. while the
 * quorum was cut, just before another client's partition healed, or before the configuration
 * it ends up in existed): both must complete within OP_BOUND_US of the later of their call and
 * the window's opening plus the settling time. An operation the client gave up on has no
 * return time in the history, so one invoked before the window counts as outstanding only while
 * the client's next operation had not started (see outstandingAt).
 *
 * A client finds a new configuration only through a machine that would tell it (P1.6 steps 4
 * and 9; the client was never told the new machines' names): the old configuration's leader
 * once its range is full, or a machine that knows the old configuration is defunct; a follower
 * that merely executed the MIGRATE redirects to its leader. So a client is judged in a window of
 * configuration c from the first moment such a machine, a member of an older configuration, is
 * live and reachable from it, and its operations get OP_BOUND_US from then. Explore trial 20231
 * of smart-flush-cut-leader: n1, paused through the migration, was the only old member the
 * clients reached; it executed the MIGRATE on resuming, but as a follower, was cut from the new
 * members, and the targeted fault dropped every DEFUNCT to it: until that fault ended no client
 * could learn where the service had gone.
 *
 * Not judged: stretches in which a timing fault (slow node or disk, clog, skew, lossy network,
 * corruption) is in force; a configuration before a quorum of its members holds its starting
 * state (it is then still being established, which L3 judges); quorums that a live member
 * outside them can still reach one way, or two overlapping quorums (a bridge partition): a
 * member that hears only part of a quorum may legitimately keep it electing.
 *
 * A targeted fault that drops a message Paxos needs to decide or elect (DECIDING) cuts the
 * links it names (one way) while it is in force: "a minority cannot decide" (P1.5) holds for
 * the messages Paxos needs, not only for whole links. Explore seed 800341 (opb-recovering-top
 * topology): every PROPOSE to configuration 2's members was dropped from 0.954 s to 2.316 s, so
 * nothing could be decided; the members' links were whole and the window was judged (an
 * operation outstanding through it completed 140 ms after the fault ended, past the bound
 * counted from 0.452 s).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { connected, segments, severed, targetedDrops, type Segment } from './fault-state.js';
import { cfgFacts, checkpoints, configurations, defuncts, fail, leadingSpans, majority, pass,
  skip, type CfgInfo } from './smart-observations.js';
import type { Property } from './types.js';
import { numberParam } from './run-values.js';

/** A few round trips after the election timeout, for the winner's poll and first decisions. */
export const SETTLE_SLACK_US = 200_000;
/** The stated bound: an operation completes this long after the quorum has settled. */
export const OP_BOUND_US = 1_000_000;

/**
 * The messages without which a configuration's Paxos cannot decide or elect (P1.4 steps 3-4 and
 * the log-size rule's stable index, P1.5's heartbeats, ELECT, poll and preemption). A targeted
 * drop of another type (JOIN, FINISHED, READY, state transfer, DEFUNCT...) leaves the quorum
 * judged: the protocol must progress without it (smart-leader-fetches-from-cohort drops every
 * FINISHED and state copy to the new leader).
 */
const DECIDING: ReadonlySet<string> = new Set(['propose', 'logged', 'heartbeat', 'elect',
  'pollReply', 'preempt', 'ckptNote']);

/**
 * `(node, index)` to the earliest time `node` held a checkpoint at or past `index` (Infinity if
 * never). Each node's checkpoints are sorted by index once, with the earliest time of each
 * suffix, so a configuration's members cost a binary search each, not a pass over all of them.
 */
function firstCheckpointAt(ckpts: ReturnType<typeof checkpoints>):
  (node: string, index: number) => number {
  const byNode = new Map<string, { index: number; at: number }[]>();
  for (const c of ckpts) {
    const list = byNode.get(c.node) ?? [];
    list.push({ index: c.data.index, at: c.at });
    byNode.set(c.node, list);
  }
  const tables = new Map<string, { indexes: number[]; earliest: number[] }>();
  for (const [node, list] of byNode) {
    list.sort((a, b) => a.index - b.index);
    const earliest = list.map((c) => c.at);
    for (let i = earliest.length - 2; i >= 0; i--) {
      earliest[i] = Math.min(earliest[i]!, earliest[i + 1]!);
    }
    tables.set(node, { indexes: list.map((c) => c.index), earliest });
  }
  return (node, index) => {
    const t = tables.get(node);
    if (t === undefined) return Infinity;
    const i = lowerBound(t.indexes, index);
    return i < t.indexes.length ? t.earliest[i]! : Infinity;
  };
}

/** The first position in ascending `xs` whose value is at least `x` (xs.length if none). */
function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first position in ascending `xs` whose value is above `x` (xs.length if none). */
function firstAbove(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** When each configuration was created (first `cfg` fact) and established (a quorum has it). */
function configTimes(run: RunRecord, table: ReadonlyMap<number, CfgInfo>):
  Map<number, { created: number; established: number }> {
  const created = new Map<number, number>([[1, 0]]);
  for (const o of cfgFacts(run)) {
    if (!created.has(o.data.config)) created.set(o.data.config, o.at);
  }
  const out = new Map<number, { created: number; established: number }>();
  const firstAt = firstCheckpointAt(checkpoints(run));
  for (const [num, at] of created) {
    const cfg = table.get(num);
    if (cfg === undefined) continue;
    let established = num === 1 ? 0 : Infinity;
    if (num > 1) {
      // The time the quorum-th member first held a checkpoint at or past the range's start.
      const firstHeld = cfg.members.map((m) => firstAt(m, cfg.first - 1)).sort((a, b) => a - b);
      established = firstHeld[majority(cfg.members.length) - 1]!;
    }
    out.set(num, { created: at, established });
  }
  return out;
}

/** Subsets of `nodes` that are pairwise connected, maximal, and hold at least `need` nodes. */
function quorumCliques(seg: Segment, nodes: readonly string[], need: number): string[][] {
  const out: string[][] = [];
  for (let mask = (1 << nodes.length) - 1; mask > 0; mask--) {
    const set = nodes.filter((_, i) => (mask & (1 << i)) !== 0);
    if (set.length < need) continue;
    if (!set.every((a) => set.every((b) => a === b || connected(seg, a, b)))) continue;
    if (out.some((q) => set.every((n) => q.includes(n)))) continue;
    out.push(set);
  }
  return out;
}

interface Judged {
  readonly config: number;
  readonly quorum: readonly string[];
  readonly clients: readonly string[];
}

/** What is judged at a moment in `seg` with newest configuration `cfg`, or null. */
function judgedAt(run: RunRecord, seg: Segment, cfg: CfgInfo): Judged | null {
  if (seg.perturbed) return null;
  const live = cfg.members.filter((m) => seg.live.has(m));
  const cliques = quorumCliques(seg, live, majority(cfg.members.length));
  if (cliques.length !== 1) return null;
  const quorum = cliques[0]!;
  const outside = live.filter((m) => !quorum.includes(m));
  if (!outside.every((m) => quorum.every((q) => severed(seg, m, q)))) return null;
  const clients = run.endpoints.filter((e) => e.client
    && quorum.every((q) => connected(seg, e.name, q))).map((e) => e.name);
  if (clients.length === 0) return null;
  return { config: cfg.num, quorum, clients };
}

interface Window extends Judged { readonly from: number; readonly to: number }

/** Maximal stretches in which the same quorum and clients are judged. */
export function progressWindows(run: RunRecord): Window[] {
  const { table } = configurations(run);
  const times = configTimes(run, table);
  const cuts = new Set<number>();
  for (const t of times.values()) {
    cuts.add(t.created);
    if (Number.isFinite(t.established)) cuts.add(t.established);
  }
  const drops = targetedDrops(run, DECIDING);
  for (const d of drops) cuts.add(d.from).add(d.to);
  // Sorted once, so each segment takes its cut points by two binary searches, not a pass.
  const sortedCuts = [...cuts].sort((a, b) => a - b);
  // The configurations by creation time, each with the highest number created by then: the
  // newest configuration at a moment is then a binary search, not a pass over all of them.
  const byCreation = [...times].map(([num, t]) => ({ num, created: t.created }))
    .sort((a, b) => a.created - b.created);
  const createdAts = byCreation.map((c) => c.created);
  const newestUpTo: number[] = [];
  for (const c of byCreation) newestUpTo.push(Math.max(newestUpTo.at(-1) ?? -Infinity, c.num));
  const out: Window[] = [];
  let open: Window | null = null;
  for (const seg of segments(run)) {
    const points = [seg.from, ...sortedCuts.slice(firstAbove(sortedCuts, seg.from),
      lowerBound(sortedCuts, seg.to))];
    points.forEach((from, i) => {
      const to = points[i + 1] ?? seg.to;
      const newest = newestUpTo[firstAbove(createdAts, from) - 1] ?? -Infinity;
      const est = times.get(newest)!.established;
      const dropped = drops.filter((d) => d.from <= from && from < d.to).flatMap((d) => d.links);
      const world = dropped.length === 0 ? seg
        : { ...seg, cut: new Set([...seg.cut, ...dropped]) };
      const j = est <= from ? judgedAt(run, world, table.get(newest)!) : null;
      const same = open !== null && j !== null && open.to === from && open.config === j.config
        && open.quorum.join() === j.quorum.join() && open.clients.join() === j.clients.join();
      if (same) open = { ...open!, to };
      else {
        if (open !== null) out.push(open);
        open = j === null ? null : { ...j, from, to };
      }
    });
  }
  if (open !== null) out.push(open);
  return out;
}

type Op = RunRecord['history']['ops'][number];

/** A node that would tell a client of `config` (or a later one) throughout [from, to). */
interface Knower { readonly node: string; readonly config: number; readonly from: number;
  readonly to: number }

/**
 * Who tells a client of a newer configuration (P1.6 steps 4 and 9): a machine that knows its
 * configuration d is defunct answers every request to d or older with NEW-CONFIGURATION (the
 * `defunct` facts; d is on disk, so from then on), and the leader of the configuration whose
 * MIGRATE created the newer one does so once its range is full (its `cfg` fact, while its
 * `role` facts say it leads the creating configuration). A follower of that configuration
 * that executed the MIGRATE, not knowing it defunct, rightly redirects to its leader.
 */
function knowers(run: RunRecord): Knower[] {
  const out: Knower[] = defuncts(run).map((o) => ({ node: o.node, config: o.data.config + 1,
    from: o.at, to: Infinity }));
  // Each node's leading spans grouped by configuration (in their own order), so a `cfg` fact
  // looks only at its node's spans of the creating configuration, not at all of them.
  const spans = new Map<string, { cfg: number; from: number; to: number }[]>();
  for (const [node, list] of leadingSpans(run)) {
    for (const l of list) {
      const key = `${l.cfg}@${node}`;
      const group = spans.get(key) ?? [];
      group.push(l);
      spans.set(key, group);
    }
  }
  for (const o of cfgFacts(run)) {
    for (const l of spans.get(`${o.data.createdBy}@${o.node}`) ?? []) {
      if (l.to <= o.at) continue;
      out.push({ node: o.node, config: o.data.config, from: Math.max(o.at, l.from), to: l.to });
    }
  }
  return out;
}

/**
 * The knowers that can tell a client of `w`'s configuration during `w`: of `w.config` or a later
 * one, and members of an older configuration (a client learns a configuration's members from its
 * predecessor's, never the reverse). `firstMember` maps a node to the oldest configuration it is
 * a member of, so "member of an older one" is one comparison.
 */
function knowersFor(w: Window, known: readonly Knower[],
  firstMember: ReadonlyMap<string, number>): Knower[] {
  return known.filter((k) => k.config >= w.config && k.from < w.to && k.to > w.from
    && (firstMember.get(k.node) ?? Infinity) < w.config);
}

/**
 * The first instant of `w` at which one of the live knowers `relevant` (see knowersFor) is
 * reachable from `client`, or null: from then a client's retries can be sent there.
 */
function learnableAt(segs: readonly Segment[], w: Window, client: string,
  relevant: readonly Knower[]): number | null {
  if (w.config === 1) return w.from;
  let best: number | null = null;
  // The segments are contiguous and in time order: start at the one holding w.from.
  let lo = 0;
  let hi = segs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segs[mid]!.to <= w.from) lo = mid + 1;
    else hi = mid;
  }
  for (let s = lo; s < segs.length && segs[s]!.from < w.to; s++) {
    const seg = segs[s]!;
    for (const k of relevant) {
      const t = Math.max(seg.from, w.from, k.from);
      if (t >= seg.to || t >= k.to || (best !== null && t >= best)) continue;
      if (seg.live.has(k.node) && connected(seg, client, k.node)) best = t;
    }
  }
  return best;
}

/**
 * Whether `op`, invoked before `at`, was still the client's business at `at`: it returned after
 * `at`, or (given up, no return time) the client's next operation started after `at` (a client
 * has one operation at a time; between two, only its think time). Given up with no next
 * operation, it cannot be placed, so it is not judged.
 */
export function outstandingAt(op: Op, next: Op | undefined, at: number): boolean {
  if (op.return !== undefined) return op.return > at;
  return next !== undefined && next.call > at;
}

export const smartProgress: Property = {
  name: 'smart-progress-quorum',
  description: 'while a quorum of the newest configuration is live, connected and cut from the ' +
    'other members, a client reaching it completes each operation (invoked then, or outstanding ' +
    'when that began) within ' +
    `${OP_BOUND_US / 1000} ms once the election timeout, staggers and a few round trips passed`,
  protocols: ['smart'],
  completeRunOnly: true,
  check(run) {
    const { table } = configurations(run);
    const size = Math.max(...[...table.values()].map((c) => c.members.length));
    const settle = numberParam(run, 'leaderTimeoutUs', 300_000)
      + size * numberParam(run, 'staggerUs', 100_000) + SETTLE_SLACK_US;
    const byClient = new Map<string, Op[]>();
    for (let ix = 0, xs = run.history.ops; ix < xs.length; ix++) {
      const op = xs[ix]!;
      const list = byClient.get(op.client) ?? [];
      list.push(op);
      byClient.set(op.client, list);
    }
    const known = knowers(run);
    const firstMember = new Map<string, number>();
    for (const c of table.values()) {
      for (const m of c.members) {
        if ((firstMember.get(m) ?? Infinity) > c.num) firstMember.set(m, c.num);
      }
    }
    const segs = segments(run);
    // Per client, the window opening last scanned and how many of its first operations were
    // skipped there (invoked before it, not outstanding at it): they stay skipped at any later
    // opening, so a later window starts after them and each client's list is not rescanned
    // from the start for every window. An earlier opening starts again from 0.
    const skipped = new Map<string, { at: number; count: number }>();
    let judged = 0;
    for (const w of progressWindows(run)) {
      const relevant = w.config === 1 ? [] : knowersFor(w, known, firstMember);
      for (const client of w.clients) {
        const learnt = learnableAt(segs, w, client, relevant);
        if (learnt === null) continue;
        const ops = byClient.get(client) ?? [];
        const last = skipped.get(client);
        let lead = last !== undefined && last.at <= w.from ? last.count : 0;
        while (lead < ops.length && ops[lead]!.call < w.from
          && !outstandingAt(ops[lead]!, ops[lead + 1], w.from)) lead++;
        skipped.set(client, { at: w.from, count: lead });
        for (let i = lead; i < ops.length; i++) {
          const op = ops[i]!;
          const next = ops[i + 1];
          if (op.call >= w.to) break; // A client's operations are in invocation order.
          if (op.call < w.from && !outstandingAt(op, next, w.from)) continue;
          const deadline = Math.max(op.call, w.from + settle, learnt) + OP_BOUND_US;
          if (deadline > w.to) continue;
          // A client that gave up on its own timeout before the deadline: its next op is judged.
          if (op.status !== 'ok' && next !== undefined && next.call <= deadline) continue;
          judged++;
          if (op.status === 'ok' && op.return! <= deadline) continue;
          const got = op.status === 'ok' ? `completed only at t=${op.return}us` : 'never completed';
          const before = op.call < w.from ? ' (outstanding when the window opened)' : '';
          return fail(this.name, `op #${op.id} of ${client} invoked at t=${op.call}us${before} ` +
            `${got}, ` +
            `although configuration ${w.config}'s quorum [${w.quorum.join(',')}] was live, ` +
            `connected and reachable from t=${w.from}us to t=${w.to}us (bound t=${deadline}us)`);
        }
      }
    }
    if (judged === 0) return skip(this.name, 'no operation under a settled, reachable quorum');
    return pass(this.name, `${judged} operations under a live quorum completed within the bound`,
      { judged });
  },
};
