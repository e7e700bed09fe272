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
import { onceEach } from './memo.js';
import { numberParam } from './run-values.js';

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
 * checkpoint among them.
 */
function landingExecution(run: RunRecord):
  (node: string, at: number) => { exec: number; ckpt: number } {
  /** Per node: its write instants, ascending, and the highest execution and checkpoint at each. */
  const writes = new Map<string, { times: number[]; exec: number[]; ckpt: number[] }>();
  const note = (node: string, at: number): void => {
    const w = writes.get(node);
    if (w === undefined) writes.set(node, { times: [at], exec: [], ckpt: [] });
    else w.times.push(at);
  };
  for (const o of checkpoints(run)) note(o.node, o.at);
  for (const o of loggings(run)) note(o.node, o.at);
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
  const raiseAt = (node: string, at: number, exec: number, ckpt: number): void => {
    const w = writes.get(node);
    if (w === undefined) return;
    const i = after(w.times, at) - 1;
    if (i < 0 || w.times[i] !== at) return;
    w.exec[i] = Math.max(w.exec[i]!, exec);
    w.ckpt[i] = Math.max(w.ckpt[i]!, ckpt);
  };
  for (const o of executions(run)) raiseAt(o.node, o.at, o.data.slot, 0);
  for (const o of checkpoints(run)) raiseAt(o.node, o.at, o.data.index, o.data.index);
  return (node, at) => {
    const w = writes.get(node);
    const i = w === undefined ? 0 : after(w.times, at);
    return w === undefined || i >= w.times.length ? { exec: 0, ckpt: 0 }
      : { exec: w.exec[i]!, ckpt: w.ckpt[i]! };
  };
}

/**
 * The quorum-th highest of the members' checkpoint indexes (0 for a member without one), with
 * `node`'s counted as at least `own`.
 */
function stableOf(cfg: CfgInfo, ckpt: ReadonlyMap<string, number>, node: string,
  own: number): number {
  const points = cfg.members.map((m) => {
    const c = ckpt.get(m) ?? 0;
    return m === node ? Math.max(c, own) : c;
  }).sort((a, b) => b - a);
  return points[majority(cfg.members.length) - 1] ?? 0;
}

/** The nodes that logged one (config, ballot) of a slot, the proposer included. */
interface Acceptance {
  readonly config: number;
  readonly ballot: number;
  /** A few nodes (a configuration's members): a list, lighter than a set per slot. */
  readonly nodes: string[];
  /** Its quorum was judged at its first decision. */
  judged: boolean;
}

function judge(run: RunRecord): EvidenceProblems {
  const { table } = configurations(run);
  const alpha = numberParam(run, 'alpha', 10);
  const maxLogSize = numberParam(run, 'maxLogSize', 200);
  const out: EvidenceProblems = { alpha: [], quorum: [], logBound: [], logMax: 0 };
  const executed = new Map<string, number>();
  const ckpt = new Map<string, number>();
  /** Per slot, per (config, ballot): a slot sees few ballots, so a short list, no string key. */
  const accepted = new Map<number, Acceptance[]>();
  const raise = (m: Map<string, number>, node: string, v: number): void => {
    m.set(node, Math.max(m.get(node) ?? 0, v));
  };
  const acceptance = (config: number, ballot: number, slot: number): Acceptance => {
    let list = accepted.get(slot);
    if (list === undefined) accepted.set(slot, list = []);
    for (const a of list) if (a.config === config && a.ballot === ballot) return a;
    const a: Acceptance = { config, ballot, nodes: [], judged: false };
    list.push(a);
    return a;
  };
  const accept = (a: Acceptance, node: string): void => {
    if (!a.nodes.includes(node)) a.nodes.push(node);
  };
  const landing = landingExecution(run);
  const execs = bySeq(executions(run));
  const ckpts = bySeq(checkpoints(run));
  const logs = bySeq(loggings(run));
  const props = bySeq(proposals(run));
  const decs = bySeq(decisions(run));
  const propose = (o: (typeof props)[number]): void => {
    const { config, ballot, slot } = o.data;
    accept(acceptance(config, ballot, slot), o.node);
    const where = (): string => `(${o.node} t=${o.at}us)`;
    const landed = landing(o.node, o.at);
    // Within α of what the execution module's facts vouch for (the landing allowance makes
    // that lenient) and of what the proposer says it had executed: a proposal beyond either
    // is out of the window, and a report beyond the facts cannot widen it.
    const exec = Math.min(o.data.executed, Math.max(executed.get(o.node) ?? 0, landed.exec));
    if (slot > exec + alpha) {
      out.alpha.push(`cfg ${config} proposed slot ${slot} when its execution module had ` +
        `executed only up to ${exec} and α=${alpha} ${where()}`);
    }
    const cfg = table.get(config);
    if (cfg === undefined) return;
    // The proposer counts its own checkpoint as soon as it has it, before it is on disk.
    const stable = stableOf(cfg, ckpt, o.node, landed.ckpt);
    out.logMax = Math.max(out.logMax, slot - stable);
    if (slot - maxLogSize > stable) {
      out.logBound.push(`slot ${slot} proposed when a quorum of cfg ${config}'s members ` +
        `held checkpoints only up to ${stable} (MaximumLogSize ${maxLogSize}) ${where()}`);
    }
  };
  const decide = (o: (typeof decs)[number]): void => {
    const { config, ballot, slot } = o.data;
    const a = acceptance(config, ballot, slot);
    if (a.judged) return;
    a.judged = true;
    const cfg = table.get(config);
    if (cfg === undefined) return;
    const voters = a.nodes.filter((n) => cfg.members.includes(n));
    if (voters.length < majority(cfg.members.length)) {
      out.quorum.push(`slot ${slot} decided in cfg ${config} at ballot ${ballot} with only ` +
        `[${voters.sort().join(',')}] of [${cfg.members.join(',')}] having logged it at that ` +
        `ballot (${o.node} t=${o.at}us)`);
    }
  };
  // Each fact is judged against what had happened before it, in trace order.
  inSeqOrder([execs, ckpts, logs, props, decs], (list, i) => {
    switch (list) {
      case 0: return raise(executed, execs[i]!.node, execs[i]!.data.slot);
      case 1: {
        const o = ckpts[i]!;
        raise(executed, o.node, o.data.index);
        return raise(ckpt, o.node, o.data.index);
      }
      case 2: {
        const { config, ballot, slot } = logs[i]!.data;
        accept(acceptance(config, ballot, slot), logs[i]!.node);
        return;
      }
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
  const seen = new Map<number, { command: string; store: string; node: string }>();
  for (const o of bySeq(executions(run))) {
    const { slot, command, store } = o.data;
    const first = seen.get(slot);
    if (first === undefined) seen.set(slot, { command, store, node: o.node });
    else if (first.command !== command || first.store !== store) {
      problems.push(`slot ${slot}: ${first.node} executed ${first.command} leaving store ` +
        `${first.store}, ${o.node} executed ${command} leaving ${store} (${o.node} t=${o.at}us)`);
    }
  }
  return problems;
}
