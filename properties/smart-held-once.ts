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
 * every run), not a node's report: two REDIRECTs from one node to one (client, seq) sent by one
 * step (the same `step` number). Steps, not instants: a node may take several steps at one
 * instant, and the same request is then legitimately answered by two of them -- NEW-CONFIGURATION
 * when it is first held behind an older configuration whose range is full, then REDIRECT at its
 * release (explore seed 820295 of smart-alpha-boundary: n1's request of c2 and n4's HEARTBEAT of
 * configuration 3, which released it, arrived at 514.131 ms); so are the messages a node that
 * resumed from a pause or came up handles one step each at one instant (smart-pause-skew seed
 * 0), and both copies of one request a duplicating network delivers together.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { skip } from './smart-observations.js';
import { verdictOf, type Property } from './types.js';

export function doubleRedirects(run: RunRecord): { problems: string[]; judged: number } {
  const seen = new Set<string>();
  const problems: string[] = [];
  let judged = 0;
  for (const r of run.replies) {
    if (r.outcome !== 'redirect') continue;
    judged++;
    const key = `${r.node}|${r.to}|${r.seq}|${r.step}`;
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
    const r = doubleRedirects(run);
    if (r.judged === 0) return skip(this.name, 'no node redirected a request');
    return verdictOf(this.name, r.problems, { judged: r.judged },
      `${r.judged} redirects, none repeated within a step`);
  },
};
