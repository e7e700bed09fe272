/**
 * SMART P1.4 step 5: "only the leader replies to the client (as in the paper's implementation)".
 * Judged from the simulator's record of every reply a step sent (RunRecord.replies, kept in
 * every run, so `sweep`, `explore` and the campaign judge it too) against the `role` facts: a
 * node that has not taken a leader role since it last came up sends no `done` reply (redirects
 * and NEW-CONFIGURATION may come from anyone). A follower that answers the clients it executed
 * for costs messages only, so no other check sees it (found by mutation, #3788). Both sides are
 * compared at the instant the node's step ran (a fact that waited behind a disk write keeps its
 * step time), so a reply that waited for the disk while its sender stepped down, or crashed and
 * came back, is judged by what the node was when it decided to answer. Weaker than "it leads
 * that configuration now" on purpose: the role facts tell groups apart, the reply does not.
 */
import type { ReplyFact, RunRecord } from '../simulator/run-record.js';
import { readCommon } from './observed.js';
import { countBelow, pushTo } from './run-values.js';
import { applies, fail, pass, skip, stepTime } from './smart-observations.js';
import type { Property } from './types.js';

/** Per node, the given instants in ascending order. */
function byNode(items: Iterable<readonly [string, number]>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const [node, at] of items) pushTo(out, node, at);
  for (const list of out.values()) list.sort((a, b) => a - b);
  return out;
}

/**
 * The first `done` reply sent by a node that had not led since it came up, or null. The replies
 * are in the order their steps ran, so one cursor per node walks its role and boot instants.
 */
export function followerReply(run: RunRecord, replies: readonly ReplyFact[]): string | null {
  const led = byNode(readCommon(run, 'role').filter((o) => o.data.role === 'leader')
    .map((o) => [o.node, stepTime(o)] as const));
  const ups = byNode(run.nodeEvents.filter((e) => e.kind === 'up').map((e) => [e.node, e.at]));
  const cursors = new Map<string, { led: number; up: number; i: number; j: number }>();
  for (const r of replies) {
    if (r.outcome !== 'done') continue;
    let c = cursors.get(r.node);
    if (c === undefined || r.stepAt < Math.max(c.led, c.up)) {
      c = { led: -1, up: -1, i: 0, j: 0 }; // Out of order (never in a simulator run): rewind.
      cursors.set(r.node, c);
    }
    const ledAt = led.get(r.node) ?? [];
    const upAt = ups.get(r.node) ?? [];
    while (c.i < ledAt.length && ledAt[c.i]! <= r.stepAt) c.led = ledAt[c.i++]!;
    while (c.j < upAt.length && upAt[c.j]! <= r.stepAt) c.up = upAt[c.j++]!;
    if (c.led >= c.up) continue;
    return `${r.node} answered request #${r.seq} of ${r.to} (done) in its step at ` +
      `t=${r.stepAt}us without having led any configuration since it came up (t=${c.up}us): ` +
      'only the leader replies';
  }
  return null;
}

/** A client request a node executed: its step's number (-1: unknown), its time, its number. */
interface Executed { readonly step: number; readonly at: number; readonly seq: number }

/**
 * One node's executions for one client within one life of the node: those whose step number is
 * known in step order, the rest in time order, each with the running maximum of `seq`.
 */
interface Ordered {
  readonly byStep: Prefix;
  readonly byTime: Prefix;
}
interface Prefix { readonly items: readonly Executed[]; readonly maxSeq: readonly number[] }

function prefix(items: Executed[]): Prefix {
  let max = -Infinity;
  return { items, maxSeq: items.map((a) => (max = Math.max(max, a.seq))) };
}

function ordered(executed: readonly Executed[]): Ordered {
  return {
    byStep: prefix(executed.filter((a) => a.step >= 0).sort((a, b) => a.step - b.step)),
    byTime: prefix(executed.filter((a) => a.step < 0).sort((a, b) => a.at - b.at)),
  };
}

/** How many of a node's (sorted) boot and corruption instants are at or before `at`. */
const bootsUpTo = (resets: readonly number[] | undefined, at: number): number =>
  (resets === undefined ? 0 : countBelow(resets, at, true));

/**
 * The first execution (in the list's order) of a request numbered above `seq` among the leading
 * items that satisfy `before` (a prefix of the list, by its order), or null: two binary searches.
 */
function firstAbove(list: Prefix, before: (a: Executed) => boolean, seq: number): Executed | null {
  let lo = 0;
  let hi = list.items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(list.items[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  const end = lo;
  if (end === 0 || list.maxSeq[end - 1]! <= seq) return null;
  lo = 0;
  hi = end - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list.maxSeq[mid]! > seq) hi = mid;
    else lo = mid + 1;
  }
  return list.items[lo]!;
}

/**
 * The reply cache keeps one reply per client, its last executed request's (PROTOCOLS.md
 * `replyCache`, as BFT's last-reply cache): a `done` answers the request it names or none. A
 * node that executed a client's request s' (its `apply` fact, since its last boot and from an
 * earlier step) no longer holds the result of an older request s < s' of that client, so it
 * sends no `done` for s: a late copy of s is answered by nobody (the client moved on). Judged
 * from the simulator's reply record against the `apply` facts, not the node's own report of a
 * reply; not judged across a corruption. Mutation #5250 of the seed-41 sample (a leader
 * answered such a copy with the newer request's cached result; the client ignored it, so no
 * other check saw it) is the case this states.
 */
export function staleReply(run: RunRecord, replies: readonly ReplyFact[]): string | null {
  const resets = byNode(run.nodeEvents.filter((e) => e.kind === 'up' || e.kind === 'corrupted')
    .map((e) => [e.node, e.at] as const));
  // node → client → the node's lives (boot and corruption instants) → its executions.
  const index = new Map<string, Map<string, Executed[][]>>();
  for (const o of applies(run)) {
    const at = stepTime(o);
    let clients = index.get(o.node);
    if (clients === undefined) index.set(o.node, clients = new Map());
    let lives = clients.get(o.data.client);
    if (lives === undefined) clients.set(o.data.client, lives = []);
    (lives[bootsUpTo(resets.get(o.node), at)] ??= []).push({ step: o.step ?? -1, at,
      seq: o.data.seq });
  }
  const lists = new Map<string, Map<string, (Ordered | undefined)[]>>();
  for (const [node, clients] of index) {
    lists.set(node, new Map([...clients].map(([client, lives]) =>
      [client, Array.from(lives, (executed) =>
        (executed === undefined ? undefined : ordered(executed)))])));
  }
  for (const r of replies) {
    if (r.outcome !== 'done') continue;
    const mine = lists.get(r.node)?.get(r.to)?.[bootsUpTo(resets.get(r.node), r.stepAt)];
    if (mine === undefined) continue;
    const newer = firstAbove(mine.byStep, (a) => a.step < r.step, r.seq)
      ?? firstAbove(mine.byTime, (a) => a.at < r.stepAt, r.seq);
    if (newer === null) continue;
    return `${r.node} answered request #${r.seq} of ${r.to} (done) in its step at ` +
      `t=${r.stepAt}us after executing its request #${newer.seq} (t=${newer.at}us): the reply ` +
      'cache holds only the last request\'s result';
  }
  return null;
}

export const smartLeaderReplies: Property = {
  name: 'smart-leader-replies',
  description: 'only a leader answers a client\'s request (P1.4 step 5), and never a request ' +
    'older than one it executed (the reply cache), judged from the simulator\'s record of the ' +
    'replies sent against the role and apply facts',
  protocols: ['smart'],
  check(run) {
    const found = followerReply(run, run.replies) ?? staleReply(run, run.replies);
    if (found !== null) return fail(this.name, found);
    const answers = run.replies.filter((r) => r.outcome === 'done').length;
    if (answers === 0) return skip(this.name, 'no node answered a request');
    return pass(this.name, `every answer (${answers}) came from a node that led`);
  },
};
