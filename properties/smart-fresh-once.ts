/**
 * SMART P1.4 step 2: "the leader answers duplicates from the reply cache, otherwise queues the
 * request". A leader holds each request it queued or proposed until its machine has executed
 * it (the SMART invariant on `inflight`), and from then on its reply cache answers a retry, so
 * one leadership (configuration, ballot) proposes a client's request in at most one of its own
 * slots. Its own slots are those above the poll (`pollMax` of its `leader` fact): below, it
 * re-proposes what a vote reported, which may repeat a request a client retried meanwhile.
 * A leader that skips its reply cache proposes an executed request again (found by mutation,
 * #4444: at-most-once still held, the EM skipping the second execution, so no other check saw
 * it). Judged from the `propose` facts, in trace order, and the `logged` facts of the
 * members that answered (a proposal nobody logged never left: ignored).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { bySeq } from './smart-evidence.js';
import { fail, leaderships, loggings, pass, proposals, skip } from './smart-observations.js';
import type { Property } from './types.js';

/** The first leadership that proposed one request in two of its own slots, or null. */
export function freshRepeat(run: RunRecord): string | null {
  const pollMax = new Map<string, number>();
  for (const o of leaderships(run)) {
    pollMax.set(`${o.data.config}/${o.data.ballot}`, o.data.pollMax);
  }
  // A proposal counts once a member logged it at its ballot: it reached the members.
  const logged = new Set<string>();
  for (const o of loggings(run)) {
    logged.add(`${o.data.config}/${o.data.ballot}/${o.data.slot}/${o.data.command}`);
  }
  const seen = new Map<string, number>();
  for (const o of bySeq(proposals(run))) {
    const { config, ballot, slot, command } = o.data;
    if (command === 'null') continue;
    const lead = `${config}/${ballot}`;
    const top = pollMax.get(lead);
    if (top === undefined || slot <= top) continue;
    if (!logged.has(`${lead}/${slot}/${command}`)) continue;
    const key = `${lead}/${command}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, slot);
    else if (first !== slot) {
      return `${o.node}, leading configuration ${config} at ballot ${ballot}, proposed ` +
        `${command} in slot ${first} and again in slot ${slot} (t=${o.at}us), both above its ` +
        `poll (slot ${top}): a duplicate not answered from the reply cache`;
    }
  }
  return null;
}

export const smartFreshOnce: Property = {
  name: 'smart-fresh-once',
  description: 'a leader proposes each request in at most one of its own slots (above ' +
    'its poll): a duplicate is answered from the reply cache (P1.4 step 2)',
  protocols: ['smart'],
  check(run) {
    if (proposals(run).length === 0) return skip(this.name, 'no proposal');
    const found = freshRepeat(run);
    if (found !== null) return fail(this.name, found);
    return pass(this.name, 'no leader proposed a client request twice in its own slots');
  },
};
