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
import { fail, pass, skip } from './smart-observations.js';
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
