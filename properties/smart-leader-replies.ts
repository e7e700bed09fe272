/**
 * SMART P1.4 step 5: "only the leader replies to the client (as in the paper's implementation)".
 * Judged from the simulator's record of every message's journey (RunRecord.messages, kept with
 * the trace) — the replies that actually left — against the `role` facts: a node that has not
 * taken a leader role since it last came up sends no `done` reply (redirects and
 * NEW-CONFIGURATION may come from anyone). A follower that answers the clients it executed for
 * costs messages only, so no other check sees it (found by mutation, #3788). Weaker than "it
 * led at that instant" on purpose: a reply that waited behind a disk write may leave after its
 * sender stepped down. Skipped when the run kept no message record.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { fail, pass, skip } from './smart-observations.js';
import type { Property } from './types.js';

/** A reply label of the `done` kind (simulator/describe.ts: "Reply #seq ok|failed ..."). */
const DONE = /^Reply #\d+ (ok|failed)\b/;

/** The first `done` reply sent by a node that had not led since it came up, or null. */
export function followerReply(run: RunRecord, messages: NonNullable<RunRecord['messages']>):
  string | null {
  const clients = new Set(run.endpoints.filter((e) => e.client).map((e) => e.name));
  // Per node, the instants it took a leader role and the instants it came up, ascending.
  const led = new Map<string, number[]>();
  for (const o of run.observations) {
    const data = o.data as { role?: unknown } | null;
    if (o.label !== 'role' || data?.role !== 'leader') continue;
    led.set(o.node, [...(led.get(o.node) ?? []), o.at]);
  }
  const ups = new Map<string, number[]>();
  for (const e of run.nodeEvents) {
    if (e.kind === 'up') ups.set(e.node, [...(ups.get(e.node) ?? []), e.at]);
  }
  const latest = (list: readonly number[] | undefined, at: number): number =>
    Math.max(-1, ...(list ?? []).filter((t) => t <= at));
  for (const m of messages) {
    if (!clients.has(m.to) && m.to !== 'operator') continue;
    if (!DONE.test(m.label)) continue;
    const since = latest(ups.get(m.from), m.sent);
    if (latest(led.get(m.from), m.sent) >= since) continue;
    return `${m.from} sent "${m.label}" to ${m.to} at t=${m.sent}us without having led any ` +
      `configuration since it came up (t=${since}us): only the leader replies`;
  }
  return null;
}

export const smartLeaderReplies: Property = {
  name: 'smart-leader-replies',
  description: 'only a leader answers a client\'s request (P1.4 step 5), judged from the ' +
    'messages that left against the role facts',
  protocols: ['smart'],
  check(run) {
    if (run.messages === undefined) return skip(this.name, 'the run kept no message record');
    const found = followerReply(run, run.messages);
    if (found !== null) return fail(this.name, found);
    return pass(this.name, 'every answer came from a node that led');
  },
};
