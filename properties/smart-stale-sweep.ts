/**
 * Whether any `done` reply answered a request older than one its node had already executed for
 * that client in the same life (smart-leader-replies' `staleReply`), decided by one sweep per
 * node: its executions and its replies in step order (and, for executions without a step number,
 * in time order), keeping per client and life the highest request executed so far. It reads each
 * `apply` fact once, into typed arrays, instead of building per-life lists of objects with running
 * maxima, and answers only yes or no: on yes, `staleReply` names the reply (a failing run).
 */
import type { ReplyFact, RunRecord } from '../simulator/run-record.js';
import { countBelow } from './run-values.js';
import { applies, stepTime } from './smart-observations.js';

/** One node's facts as positions: executions with a step number, without, and `done` replies. */
interface NodeFacts { readonly bySteps: number[]; readonly byTimes: number[];
  readonly replies: number[] }

/**
 * Exactly whether `staleReply(run, replies)` finds a reply; null when a number it compares is
 * not finite (a hand-made record), where only `staleReply`'s own reading is exact.
 */
export function anyStaleReply(run: RunRecord, replies: readonly ReplyFact[],
  resets: ReadonlyMap<string, readonly number[]>): boolean | null {
  const facts = applies(run);
  const n = facts.length;
  const step = new Float64Array(n);
  const time = new Float64Array(n);
  const seq = new Float64Array(n);
  const life = new Float64Array(n);
  const client = new Int32Array(n);
  const clientId = new Map<string, number>();
  const nodes = new Map<string, NodeFacts>();
  const of = (node: string): NodeFacts => {
    let f = nodes.get(node);
    if (f === undefined) nodes.set(node, f = { bySteps: [], byTimes: [], replies: [] });
    return f;
  };
  for (let i = 0; i < n; i++) {
    const o = facts[i]!;
    const s = o.step ?? -1;
    const at = stepTime(o);
    if (!Number.isFinite(s) || !Number.isFinite(at) || !Number.isFinite(o.data.seq)) return null;
    step[i] = s;
    time[i] = at;
    seq[i] = o.data.seq;
    const resetsOf = resets.get(o.node);
    life[i] = resetsOf === undefined ? 0 : countBelow(resetsOf, at, true);
    let c = clientId.get(o.data.client);
    if (c === undefined) clientId.set(o.data.client, c = clientId.size);
    client[i] = c;
    const f = of(o.node);
    if (s >= 0) f.bySteps.push(i);
    else f.byTimes.push(i);
  }
  for (let i = 0; i < replies.length; i++) {
    const r = replies[i]!;
    if (r.outcome !== 'done') continue;
    if (!Number.isFinite(r.step) || !Number.isFinite(r.stepAt) || !Number.isFinite(r.seq)) {
      return null;
    }
    of(r.node).replies.push(i);
  }
  for (const [node, f] of nodes) {
    if (f.replies.length === 0) continue;
    const resetsOf = resets.get(node);
    const lifeOf = (at: number): number =>
      (resetsOf === undefined ? 0 : countBelow(resetsOf, at, true));
    if (sweep(f.bySteps, step, f.replies, (r) => replies[r]!.step)) return true;
    if (sweep(f.byTimes, time, f.replies, (r) => replies[r]!.stepAt)) return true;
    /**
     * Whether a reply (in order of `replyKey`) finds, among the executions whose `key` is below
     * its own, one of its client and life with a higher request number.
     */
    function sweep(execs: number[], key: Float64Array, answers: number[],
      replyKey: (r: number) => number): boolean {
      if (execs.length === 0) return false;
      sortBy(execs, (i) => key[i]!);
      const order = sortBy([...answers], replyKey);
      const highest: number[][] = [];
      let j = 0;
      for (const r of order) {
        const k = replyKey(r);
        for (; j < execs.length && key[execs[j]!]! < k; j++) {
          const i = execs[j]!;
          const lives = highest[client[i]!] ??= [];
          const l = life[i]!;
          if (!(lives[l]! >= seq[i]!)) lives[l] = seq[i]!;
        }
        const reply = replies[r]!;
        const c = clientId.get(reply.to);
        const top = c === undefined ? undefined : highest[c]?.[lifeOf(reply.stepAt)];
        if (top !== undefined && top > reply.seq) return true;
      }
      return false;
    }
  }
  return false;
}

/** `list` in ascending order of `key` (stable), sorted in place only when it is not already. */
function sortBy(list: number[], key: (x: number) => number): number[] {
  for (let i = 1; i < list.length; i++) {
    if (key(list[i]!) < key(list[i - 1]!)) return list.sort((a, b) => key(a) - key(b));
  }
  return list;
}
