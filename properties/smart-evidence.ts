/**
 * SMART facts recomputed from other nodes' observations, for S3, S5 and S9: a leader's execution
 * index from its execution module's `exec`/`ckpt` facts (its own report may only narrow it, never
 * widen it), a configuration's stable index from its members' own checkpoint facts, and each
 * decision's quorum from the `logged` facts of the replicas that answered. The proposer's
 * `propose.stable` is never read: a wrongly computed stable index would vouch for itself.
 *
 * One pass over the run's facts in trace order (`seq`): each proposal and decision is judged
 * against what had happened before it.
 */
import type { RunRecord } from '../simulator/run-record.js';
import {
  checkpoints, configurations, decisions, executions, loggings, majority,
  proposals, type CfgInfo,
} from './smart-observations.js';
import { droppedRecord } from './dropped.js';
import { onceEach } from './memo.js';
import { observationOrder } from './observed.js';
import { numberParam, stepTime } from './run-values.js';
import { SlotTable } from './slot-table.js';

export interface EvidenceProblems {
  /** S3: a proposal beyond the proposer's executed index + α. */
  readonly alpha: string[];
  /** S3: a decision without a quorum of its configuration's members logging it at its ballot. */
  readonly quorum: string[];
  /** S9: a proposal more than MaximumLogSize above its configuration's stable index. */
  readonly logBound: string[];
  /** Largest slot − stable index seen (a measure). */
  logMax: number;
}

export const evidenceProblems: (run: RunRecord) => EvidenceProblems = onceEach(judge);

/** `list` in trace order (`seq`): itself when it already is (every simulated run's facts). */
export function bySeq<T extends { readonly seq: number }>(list: readonly T[]): readonly T[] {
  for (let i = 1; i < list.length; i++) {
    if (list[i]!.seq < list[i - 1]!.seq) return [...list].sort((a, b) => a.seq - b.seq);
  }
  return list;
}

/**
 * Visits the items of `lists`, each in trace order (see `bySeq`), merged in trace order as
 * (list, index) pairs; on a tie, the earlier list first. A merge of a few lists: no allocation
 * per fact, no sort of facts the simulator already recorded in order.
 */
export function inSeqOrder(lists: readonly (readonly { readonly seq: number }[])[],
  visit: (list: number, index: number) => void): void {
  const k = lists.length;
  const at = new Array<number>(k).fill(0);
  const head = lists.map((l) => (l.length > 0 ? l[0]!.seq : Infinity));
  for (;;) {
    let best = 0;
    for (let j = 1; j < k; j++) if (head[j]! < head[best]!) best = j;
    if (head[best] === Infinity) return;
    const list = lists[best]!;
    const i = at[best]!++;
    head[best] = i + 1 < list.length ? list[i + 1]!.seq : Infinity;
    visit(best, i);
  }
}

/**
 * A fact a step emits after a write is recorded when the write lands, so a node's later step
 * may be recorded first: a proposal can show before the execution that allowed it, which
 * waited behind a checkpoint or log write. For a proposal of `node` at `at`, this gives the
 * highest slot (or checkpoint) executed in facts recorded at the first instant after `at` at
 * which one of its writes landed (marked by a `ckpt` or `logged` fact), and the highest
 * checkpoint among them. Only `proposers` are ever asked about: other nodes' facts are skipped
 * unread (every replica executes every slot; one leader proposes).
 */
function landingExecution(run: RunRecord, proposers: ReadonlySet<string>):
  (node: string, at: number) => { exec: number; ckpt: number } {
  /** Per node: its write instants, ascending, and the highest execution and checkpoint at each. */
  const writes = new Map<string, { times: number[]; exec: number[]; ckpt: number[] }>();
  const note = (list: readonly { readonly node: string; readonly at: number }[]): void => {
    for (let ix = 0, xs = list; ix < xs.length; ix++) {
      const o = xs[ix]!;
      if (!proposers.has(o.node)) continue;
      const w = writes.get(o.node);
      if (w === undefined) writes.set(o.node, { times: [o.at], exec: [], ckpt: [] });
      else w.times.push(o.at);
    }
  };
  note(checkpoints(run));
  note(loggings(run));
  for (const w of writes.values()) {
    w.times.sort((a, b) => a - b);
    w.times = w.times.filter((t, i) => i === 0 || t !== w.times[i - 1]);
    w.exec = w.times.map(() => 0);
    w.ckpt = w.times.map(() => 0);
  }
  /** Index of the first write instant of `node` after `at` (its count when there is none). */
  const after = (times: readonly number[], at: number): number => {
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid]! > at) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  // Facts at an instant without a write are never asked for: only write instants are kept.
  const raiseAt = (w: { times: number[]; exec: number[]; ckpt: number[] }, at: number,
    exec: number, ckpt: number): void => {
    const i = after(w.times, at) - 1;
    if (i < 0 || w.times[i] !== at) return;
    w.exec[i] = Math.max(w.exec[i]!, exec);
    w.ckpt[i] = Math.max(w.ckpt[i]!, ckpt);
  };
  if (writes.size > 0) {
    for (let ix = 0, xs = executions(run); ix < xs.length; ix++) {
      const o = xs[ix]!;
      const w = writes.get(o.node);
      if (w !== undefined) raiseAt(w, o.at, o.data.slot, 0);
    }
    for (let ix = 0, xs = checkpoints(run); ix < xs.length; ix++) {
      const o = xs[ix]!;
      const w = writes.get(o.node);
      if (w !== undefined) raiseAt(w, o.at, o.data.index, o.data.index);
    }
  }
  return (node, at) => {
    const w = writes.get(node);
    const i = w === undefined ? 0 : after(w.times, at);
    return w === undefined || i >= w.times.length ? { exec: 0, ckpt: 0 }
      : { exec: w.exec[i]!, ckpt: w.ckpt[i]! };
  };
}

/**
 * The executions a crash dropped from the record: a step that executed a slot and then wrote
 * something lists its `exec` after the write, so the fact is recorded only when the write lands
 * and is dropped (kept in the `writes-lost` fact) when a crash loses it. The step still ran:
 * the execution module had executed the slot from the step on, in memory, and a proposal of a
 * later step of the same life (recorded at the crash, or before it) may rely on it (explore
 * seed 602715). Returns, for a proposal, the highest such slot of its proposer's steps up to
 * the proposal's own step.
 */
function lostExecutions(run: RunRecord, proposers: ReadonlySet<string>):
  (o: { readonly node: string; readonly at: number; readonly stepAt?: number }) => number {
  const crashAt = new Map<number, number>();
  for (const e of run.nodeEvents) if (e.lost !== undefined) crashAt.set(e.seq, e.at);
  const lost = new Map<string, { crashAt: number; stepAt: number; slot: number }[]>();
  for (const o of executions(droppedRecord(run))) {
    if (!proposers.has(o.node)) continue;
    const list = lost.get(o.node) ?? [];
    list.push({ crashAt: crashAt.get(o.seq)!, stepAt: o.at, slot: o.data.slot });
    lost.set(o.node, list);
  }
  if (lost.size === 0) return () => 0;
  return (o) => {
    const step = stepTime(o);
    let best = 0;
    // A proposal recorded after the crash is of a later life: the crash's losses do not count.
    for (const l of lost.get(o.node) ?? []) {
      if (l.stepAt <= step && o.at <= l.crashAt) best = Math.max(best, l.slot);
    }
    return best;
  };
}

/** The members of a configuration and the quorum-th highest of their checkpoint indexes. */
class StableIndex {
  /** Scratch for one configuration's members' checkpoints (configurations are small). */
  private readonly points: number[] = [];

  constructor(private readonly ckpt: ReadonlyMap<string, number>) {}

  /**
   * The quorum-th highest of the members' checkpoint indexes (0 for a member without one),
   * with `node`'s counted as at least `own`.
   */
  of(cfg: CfgInfo, node: string, own: number): number {
    const { members } = cfg;
    // Written over, never truncated: `length = 0` would drop the store and reallocate it.
    const points = this.points;
    for (let i = 0; i < members.length; i++) {
      const m = members[i]!;
      const c = this.ckpt.get(m) ?? 0;
      // Inserted in descending order: a handful of members, no sort call, no array per call.
      const v = m === node ? Math.max(c, own) : c;
      let j = i;
      while (j > 0 && points[j - 1]! < v) {
        points[j] = points[j - 1]!;
        j--;
      }
      points[j] = v;
    }
    const q = majority(members.length) - 1;
    return q < members.length ? points[q]! : 0;
  }
}

/** The nodes that logged one (config, ballot) of a slot, the proposer included. */
interface Acceptance {
  readonly config: number;
  readonly ballot: number;
  /** A few nodes (a configuration's members): a list, lighter than a set per slot. */
  readonly nodes: string[];
  /** Its quorum was judged at its first decision. */
  judged: boolean;
  /** The slot's next (config, ballot): a chain, as a slot rarely sees more than one. */
  next: Acceptance | undefined;
}

function judge(run: RunRecord): EvidenceProblems {
  const { table } = configurations(run);
  const alpha = numberParam(run, 'alpha', 10);
  const maxLogSize = numberParam(run, 'maxLogSize', 200);
  const out: EvidenceProblems = { alpha: [], quorum: [], logBound: [], logMax: 0 };
  const execs = bySeq(executions(run));
  const ckpts = bySeq(checkpoints(run));
  const logs = bySeq(loggings(run));
  const props = bySeq(proposals(run));
  const decs = bySeq(decisions(run));
  /** Only a proposer's executed index is ever read: others' executions are skipped unread. */
  const proposers = new Set<string>();
  for (let i = 0; i < props.length; i++) proposers.add(props[i]!.node);
  const executed = new Map<string, number>();
  const ckpt = new Map<string, number>();
  const stable = new StableIndex(ckpt);
  /** Per slot, per (config, ballot): a slot sees few ballots, so a short chain, no text key. */
  const accepted = new SlotTable<Acceptance>();
  const raise = (m: Map<string, number>, node: string, v: number): void => {
    m.set(node, Math.max(m.get(node) ?? 0, v));
  };
  const acceptance = (config: number, ballot: number, slot: number): Acceptance => {
    let last: Acceptance | undefined;
    for (let a = accepted.get(slot); a !== undefined; a = a.next) {
      if (a.config === config && a.ballot === ballot) return a;
      last = a;
    }
    const a: Acceptance = { config, ballot, nodes: [], judged: false, next: undefined };
    if (last === undefined) accepted.set(slot, a);
    else last.next = a;
    return a;
  };
  const accept = (a: Acceptance, node: string): void => {
    if (!a.nodes.includes(node)) a.nodes.push(node);
  };
  const landing = landingExecution(run, proposers);
  const lostExec = lostExecutions(run, proposers);
  const propose = (o: (typeof props)[number]): void => {
    const { config, ballot, slot } = o.data;
    accept(acceptance(config, ballot, slot), o.node);
    const landed = landing(o.node, o.at);
    // Within α of what the execution module's facts vouch for (the landing allowance makes
    // that lenient; executions whose write a crash lost still ran) and of what the proposer
    // says it had executed: a proposal beyond either is out of the window, and a report beyond
    // the facts cannot widen it.
    const vouched = Math.max(executed.get(o.node) ?? 0, landed.exec, lostExec(o));
    const exec = Math.min(o.data.executed, vouched);
    if (slot > exec + alpha) {
      out.alpha.push(`cfg ${config} proposed slot ${slot} when its execution module had ` +
        `executed only up to ${exec} and α=${alpha} (${o.node} t=${o.at}us)`);
    }
    const cfg = table.get(config);
    if (cfg === undefined) return;
    // The proposer counts its own checkpoint as soon as it has it, before it is on disk.
    const held = stable.of(cfg, o.node, landed.ckpt);
    out.logMax = Math.max(out.logMax, slot - held);
    if (slot - maxLogSize > held) {
      out.logBound.push(`slot ${slot} proposed when a quorum of cfg ${config}'s members ` +
        `held checkpoints only up to ${held} (MaximumLogSize ${maxLogSize}) ` +
        `(${o.node} t=${o.at}us)`);
    }
  };
  const decide = (o: (typeof decs)[number]): void => {
    const { config, ballot, slot } = o.data;
    const a = acceptance(config, ballot, slot);
    if (a.judged) return;
    a.judged = true;
    const cfg = table.get(config);
    if (cfg === undefined) return;
    let count = 0;
    for (const n of a.nodes) if (cfg.members.includes(n)) count++;
    if (count < majority(cfg.members.length)) {
      const voters = a.nodes.filter((n) => cfg.members.includes(n));
      out.quorum.push(`slot ${slot} decided in cfg ${config} at ballot ${ballot} with only ` +
        `[${voters.sort().join(',')}] of [${cfg.members.join(',')}] having logged it at that ` +
        `ballot (${o.node} t=${o.at}us)`);
    }
  };
  const onExec = (o: (typeof execs)[number]): void => {
    if (proposers.has(o.node)) raise(executed, o.node, o.data.slot);
  };
  const onCkpt = (o: (typeof ckpts)[number]): void => {
    raise(executed, o.node, o.data.index);
    raise(ckpt, o.node, o.data.index);
  };
  const onLog = (o: (typeof logs)[number]): void => {
    const { config, ballot, slot } = o.data;
    accept(acceptance(config, ballot, slot), o.node);
  };
  // Each fact is judged against what had happened before it, in trace order.
  // Observations in strictly increasing trace order (every simulated run's are): then one pass
  // over them visits the facts of several labels in the order `inSeqOrder` would merge them,
  // without reading each fact's `seq` twice.
  if (observationOrder(run).seqIncreasing) {
    // Every label read above was checked by its reader: each fact has its declared data.
    type Fact = (typeof execs)[number] & (typeof ckpts)[number] & (typeof logs)[number]
      & (typeof props)[number] & (typeof decs)[number];
    const xs274 = run.observations as readonly unknown[] as readonly Fact[];
    for (let ix = 0; ix < xs274.length; ix++) {
      const o = xs274[ix]!;
      switch (o.label) {
        case 'exec': onExec(o); break;
        case 'ckpt': onCkpt(o); break;
        case 'logged': onLog(o); break;
        case 'propose': propose(o); break;
        case 'decide': decide(o); break;
        default: break;
      }
    }
    return out;
  }
  inSeqOrder([execs, ckpts, logs, props, decs], (list, i) => {
    switch (list) {
      case 0: return onExec(execs[i]!);
      case 1: return onCkpt(ckpts[i]!);
      case 2: return onLog(logs[i]!);
      case 3: return propose(props[i]!);
      default: return decide(decs[i]!);
    }
  });
  return out;
}

/**
 * S5 slot by slot: every execution of a slot, on any machine, ran the same command and left the
 * same store digest. (The order of one machine's executions is not judged from the facts: a
 * fact emitted after a write is recorded when the write lands, so a later step's fact may be
 * recorded first.)
 */
export function slotStateProblems(run: RunRecord): string[] {
  const problems: string[] = [];
  // The first execution's fact itself is kept: no object per slot.
  const seen = new SlotTable<(ReturnType<typeof executions>)[number]>();
  for (let ix = 0, xs = bySeq(executions(run)); ix < xs.length; ix++) {
    const o = xs[ix]!;
    const { slot, command, store } = o.data;
    const first = seen.get(slot);
    if (first === undefined) seen.set(slot, o);
    else if (first.data.command !== command || first.data.store !== store) {
      problems.push(`slot ${slot}: ${first.node} executed ${first.data.command} leaving store ` +
        `${first.data.store}, ${o.node} executed ${command} leaving ${store} ` +
        `(${o.node} t=${o.at}us)`);
    }
  }
  return problems;
}
