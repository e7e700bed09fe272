/**
 * SMART P1.3 step 1 (docs/smart.md): a candidate, or a follower that knows no leader, holds a
 * client's request and redirects it to the first leader it hears of. A client's retry of a
 * request already held is the same request (same client and sequence number), so it is held
 * once and redirected once: a machine never answers one request with two REDIRECTs in one step.
 * Holding every retry (mutation #4734 of the seed-35 sample: the held list's dedupe off) sent a
 * client as many REDIRECTs at the release as it had sent attempts, and filled the bounded held
 * list (MAX_HELD_REQUESTS) with copies, so another client's request could be dropped; every
 * other check held.
 *
 * Evidence: the simulator's record of the replies each step sent (RunRecord.replies, kept in
 * every run), not a node's report: two REDIRECTs from one node to one (client, seq) with the
 * same step instant. Not judged at an instant the node resumed from a pause or came up: the
 * messages that waited for it are then handled one step each at that same instant
 * (smart-pause-skew seed 0: two retries of one request, each redirected by a follower); nor in a
 * run whose network duplicated messages: both copies of one request may arrive at one instant
 * (a duplicating network, explore).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { skip } from './smart-observations.js';
import { verdictOf, type Property } from './types.js';

/** The caller skips runs whose network duplicated messages (see above). */
export function doubleRedirects(run: RunRecord): { problems: string[]; judged: number } {
  const seen = new Set<string>();
  const woke = new Set(run.nodeEvents.filter((e) => e.kind === 'resumed' || e.kind === 'up')
    .map((e) => `${e.node}|${e.at}`));
  const problems: string[] = [];
  let judged = 0;
  for (const r of run.replies) {
    if (r.outcome !== 'redirect' || woke.has(`${r.node}|${r.stepAt}`)) continue;
    judged++;
    const key = `${r.node}|${r.to}|${r.seq}|${r.stepAt}`;
    if (seen.has(key)) {
      problems.push(`${r.node} redirected request #${r.seq} of ${r.to} twice in its step at ` +
        `t=${r.stepAt}us: a request is held, and released, once however often it was resent`);
    }
    seen.add(key);
  }
  return { problems, judged };
}

export const smartHeldOnce: Property = {
  name: 'smart-redirect-once',
  description: 'a machine answers one client request with at most one REDIRECT per step: a ' +
    'retried request is held and released once (P1.3 step 1; the reply record)',
  protocols: ['smart'],
  check(run: RunRecord) {
    if (run.metrics.duplicates > 0) return skip(this.name, 'the network duplicated messages');
    const r = doubleRedirects(run);
    if (r.judged === 0) return skip(this.name, 'no node redirected a request');
    return verdictOf(this.name, r.problems, { judged: r.judged },
      `${r.judged} redirects, none repeated within a step`);
  },
};
