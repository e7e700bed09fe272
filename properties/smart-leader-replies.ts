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
import { applies, fail, pass, skip, stepTime } from './smart-observations.js';
import { pushTo } from './run-values.js';
import type { Property } from './types.js';

/** Per node, the given instants in ascending order. */
function byNode(items: Iterable<readonly [string, number]>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const [node, at] of items) {
    const list = out.get(node);
    if (list === undefined) out.set(node, [at]);
    else list.push(at);
  }
  for (const list of out.values()) list.sort((a, b) => a - b);
  return out;
}

/**
 * The first `done` reply sent by a node that had not led since it came up, or null. The replies
 * are in the order their steps ran, so one cursor per node walks its role and boot instants.
 */
export function followerReply(run: RunRecord, replies: readonly ReplyFact[]): string | null {
  const led = byNode(readCommon(run, 'role').filter((o) => o.data.role === 'leader')
    .map((o) => [o.node, o.stepAt ?? o.at] as const));
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
  const applied = new Map<string, { step: number; at: number; seq: number }[]>();
  for (const o of applies(run)) {
    pushTo(applied, `${o.node}|${o.data.client}`,
      { step: o.step ?? -1, at: stepTime(o), seq: o.data.seq });
  }
  const resets = run.nodeEvents.filter((e) => e.kind === 'up' || e.kind === 'corrupted');
  for (const r of replies) {
    if (r.outcome !== 'done') continue;
    const since = Math.max(-1, ...resets.filter((e) => e.node === r.node && e.at <= r.stepAt)
      .map((e) => e.at));
    const newer = (applied.get(`${r.node}|${r.to}`) ?? []).find((a) => a.seq > r.seq
      && a.at >= since && (a.step >= 0 ? a.step < r.step : a.at < r.stepAt));
    if (newer === undefined) continue;
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
