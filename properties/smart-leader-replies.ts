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
import { fail, pass, skip } from './smart-observations.js';
import type { Property } from './types.js';

/** The first `done` reply sent by a node that had not led since it came up, or null. */
export function followerReply(run: RunRecord, replies: readonly ReplyFact[]): string | null {
  // Per node, the instants it took a leader role and the instants it came up.
  const led = new Map<string, number[]>();
  for (const o of run.observations) {
    const data = o.data as { role?: unknown } | null;
    if (o.label !== 'role' || data?.role !== 'leader') continue;
    led.set(o.node, [...(led.get(o.node) ?? []), o.stepAt ?? o.at]);
  }
  const ups = new Map<string, number[]>();
  for (const e of run.nodeEvents) {
    if (e.kind === 'up') ups.set(e.node, [...(ups.get(e.node) ?? []), e.at]);
  }
  const latest = (list: readonly number[] | undefined, at: number): number =>
    Math.max(-1, ...(list ?? []).filter((t) => t <= at));
  for (const r of replies) {
    if (r.outcome !== 'done') continue;
    const since = latest(ups.get(r.node), r.stepAt);
    if (latest(led.get(r.node), r.stepAt) >= since) continue;
    return `${r.node} answered request #${r.seq} of ${r.to} (done) in its step at ` +
      `t=${r.stepAt}us without having led any configuration since it came up (t=${since}us): ` +
      'only the leader replies';
  }
  return null;
}

export const smartLeaderReplies: Property = {
  name: 'smart-leader-replies',
  description: 'only a leader answers a client\'s request (P1.4 step 5), judged from the ' +
    'simulator\'s record of the replies sent against the role facts',
  protocols: ['smart'],
  check(run) {
    const found = followerReply(run, run.replies);
    if (found !== null) return fail(this.name, found);
    const answers = run.replies.filter((r) => r.outcome === 'done').length;
    if (answers === 0) return skip(this.name, 'no node answered a request');
    return pass(this.name, `every answer (${answers}) came from a node that led`);
  },
};
