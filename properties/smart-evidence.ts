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

function param(run: RunRecord, key: string, fallback: number): number {
  const v = run.params[key];
  return typeof v === 'number' ? v : fallback;
}

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

type Fact = { seq: number; run: () => void };

export const evidenceProblems: (run: RunRecord) => EvidenceProblems = onceEach(judge);

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
  const writes = new Map<string, number[]>();
  const execAt = new Map<string, number>();
  const ckptAt = new Map<string, number>();
  const note = (node: string, at: number): void => {
    const list = writes.get(node) ?? [];
    if (list[list.length - 1] !== at) list.push(at);
    writes.set(node, list);
  };
  for (const o of checkpoints(run)) note(o.node, o.at);
  for (const o of loggings(run)) note(o.node, o.at);
  for (const list of writes.values()) list.sort((a, b) => a - b);
  const bump = (m: Map<string, number>, key: string, v: number): void => {
    m.set(key, Math.max(m.get(key) ?? 0, v));
  };
  for (const o of executions(run)) bump(execAt, `${o.node}@${o.at}`, o.data.slot);
  for (const o of checkpoints(run)) {
    bump(execAt, `${o.node}@${o.at}`, o.data.index);
    bump(ckptAt, `${o.node}@${o.at}`, o.data.index);
  }
  return (node, at) => {
    const list = writes.get(node) ?? [];
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]! > at) hi = mid;
      else lo = mid + 1;
    }
    const key = `${node}@${list[lo]}`;
    return { exec: execAt.get(key) ?? 0, ckpt: ckptAt.get(key) ?? 0 };
  };
}

/** The quorum-th highest of the members' checkpoint indexes (0 for a member without one). */
function stableOf(cfg: CfgInfo, ckpt: ReadonlyMap<string, number>): number {
  const points = cfg.members.map((m) => ckpt.get(m) ?? 0).sort((a, b) => b - a);
  return points[majority(cfg.members.length) - 1] ?? 0;
}

function judge(run: RunRecord): EvidenceProblems {
  const { table } = configurations(run);
  const alpha = param(run, 'alpha', 10);
  const maxLogSize = param(run, 'maxLogSize', 200);
  const out: EvidenceProblems = { alpha: [], quorum: [], logBound: [], logMax: 0 };
  const executed = new Map<string, number>();
  const ckpt = new Map<string, number>();
  /** Per (config, ballot, slot): the nodes that logged it, the proposer included. */
  const accepted = new Map<string, Set<string>>();
  const judged = new Set<string>();
  const raise = (m: Map<string, number>, node: string, v: number): void => {
    m.set(node, Math.max(m.get(node) ?? 0, v));
  };
  const accept = (key: string, node: string): void => {
    const set = accepted.get(key) ?? new Set<string>();
    set.add(node);
    accepted.set(key, set);
  };
  const landing = landingExecution(run);
  const facts: Fact[] = [];
  for (const o of executions(run)) {
    facts.push({ seq: o.seq, run: () => raise(executed, o.node, o.data.slot) });
  }
  for (const o of checkpoints(run)) {
    facts.push({ seq: o.seq, run: () => {
      raise(executed, o.node, o.data.index);
      raise(ckpt, o.node, o.data.index);
    } });
  }
  for (const o of loggings(run)) {
    const { config, ballot, slot } = o.data;
    facts.push({ seq: o.seq, run: () => accept(`${config}/${ballot}/${slot}`, o.node) });
  }
  for (const o of proposals(run)) {
    facts.push({ seq: o.seq, run: () => {
      const { config, ballot, slot } = o.data;
      accept(`${config}/${ballot}/${slot}`, o.node);
      const where = `(${o.node} t=${o.at}us)`;
      const landed = landing(o.node, o.at);
      // Within α of what the execution module's facts vouch for (the landing allowance makes
      // that lenient) and of what the proposer says it had executed: a proposal beyond either
      // is out of the window, and a report beyond the facts cannot widen it.
      const exec = Math.min(o.data.executed, Math.max(executed.get(o.node) ?? 0, landed.exec));
      if (slot > exec + alpha) {
        out.alpha.push(`cfg ${config} proposed slot ${slot} when its execution module had ` +
          `executed only up to ${exec} and α=${alpha} ${where}`);
      }
      const cfg = table.get(config);
      if (cfg === undefined) return;
      // The proposer counts its own checkpoint as soon as it has it, before it is on disk.
      const own = new Map(ckpt).set(o.node, Math.max(ckpt.get(o.node) ?? 0, landed.ckpt));
      const stable = stableOf(cfg, own);
      out.logMax = Math.max(out.logMax, slot - stable);
      if (slot - maxLogSize > stable) {
        out.logBound.push(`slot ${slot} proposed when a quorum of cfg ${config}'s members ` +
          `held checkpoints only up to ${stable} (MaximumLogSize ${maxLogSize}) ${where}`);
      }
    } });
  }
  for (const o of decisions(run)) {
    const { config, ballot, slot } = o.data;
    const key = `${config}/${ballot}/${slot}`;
    facts.push({ seq: o.seq, run: () => {
      if (judged.has(key)) return;
      judged.add(key);
      const cfg = table.get(config);
      if (cfg === undefined) return;
      const voters = [...accepted.get(key) ?? []].filter((n) => cfg.members.includes(n));
      if (voters.length < majority(cfg.members.length)) {
        out.quorum.push(`slot ${slot} decided in cfg ${config} at ballot ${ballot} with only ` +
          `[${voters.sort().join(',')}] of [${cfg.members.join(',')}] having logged it at that ` +
          `ballot (${o.node} t=${o.at}us)`);
      }
    } });
  }
  facts.sort((a, b) => a.seq - b.seq);
  for (const f of facts) f.run();
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
  const facts: Fact[] = [];
  for (const o of executions(run)) {
    facts.push({ seq: o.seq, run: () => {
      const { slot, command, store } = o.data;
      const where = `(${o.node} t=${o.at}us)`;
      const first = seen.get(slot);
      if (first === undefined) seen.set(slot, { command, store, node: o.node });
      else if (first.command !== command || first.store !== store) {
        problems.push(`slot ${slot}: ${first.node} executed ${first.command} leaving store ` +
          `${first.store}, ${o.node} executed ${command} leaving ${store} ${where}`);
      }
    } });
  }
  facts.sort((a, b) => a.seq - b.seq);
  for (const f of facts) f.run();
  return problems;
}
