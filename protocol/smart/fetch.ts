/**
 * A machine's request for its starting state (P1.6 steps 5 and 7): a new member asks a
 * FINISHED sender, or its configuration's leader when a heartbeat shows it behind. With
 * `fetchRetryUs` 0 every such reason sends a request, so a large state could be copied by
 * several machines at once and over and over while it travels. With it set, one request is
 * outstanding at a time (renewed after `fetchRetryUs` without the state), and it goes to a
 * preferred source when there is one: a member of the new configuration (it keeps the state; a
 * departing machine may be switched off mid-copy) other than its leader (every client request
 * passes through the leader). Any other machine is asked only when no preferred one gave a
 * reason to ask it within `fetchRetryUs`. The copy's cost then falls on a member a quorum can
 * do without when there is one: the paper's B, or D with five replicas.
 * Every other state request of the machine goes through it as well (a lagging leader's catch-up,
 * a follower's at a heartbeat), so a copy asked for one configuration is not asked again for
 * another while it travels.
 *
 * The default stays 0. Without `stateBytes` and a streamed cost model a copy costs nothing, so
 * asking every source loses nothing and the first answer wins; a retry period, by contrast,
 * leaves a newcomer whose one request or copy was lost (lossy links, a crashed source) without
 * its starting state for that long, and the period that suits a 53 s copy (the migration
 * experiment's 120 s) would stall every fault scenario's recovery. Scenarios that copy a large
 * state over a costed link set it, as the experiment does.
 */
import type { NodeId } from '../types.js';
import type { Ctx, Replica, State } from './types.js';
import { emWith, stateWith } from './update.js';
import { send } from './util.js';

/** Whether this machine still lacks the starting state of its replica `r`. */
export function lacksStartingState(s: State, r: Replica): boolean {
  // The declared mutant smart:lacks-state-past-first counts slots first-1 and first as lacking.
  return s.em.lastExec < r.first + (s.flags.lacksStatePastFirst ? 1 : -1);
}

/**
 * Whether `node` is a preferred source of `r`'s starting state: a member of `r`'s configuration
 * that neither leads it nor will first (its first member) while no leader is known.
 */
export function preferredSource(s: State, r: Replica, node: NodeId): boolean {
  if (s.flags.noPreferredSource) return false; // The mutant prefers no source.
  return node !== s.id && r.members.includes(node) && node !== (r.leader ?? r.members[0]);
}

/** Asks `from` (a preferred source or not) for state, as said above. */
export function fetchState(
  s: State, from: NodeId, cfg: number, preferred: boolean, ctx: Ctx,
): State {
  const retryUs = s.params.fetchRetryUs;
  const f = s.em.fetch;
  const stale = f !== null && ctx.now >= f.at + retryUs;
  if (retryUs > 0 && f !== null && !stale && (f.from !== null || !preferred)) return s;
  // The declared mutant smart:ask-unpreferred-at-once skips the wait: it asks at once.
  if (retryUs > 0 && f === null && !preferred && !s.flags.askUnpreferredAtOnce) {
    return stateWith(s, { em: emWith(s.em, { fetch: { from: null, at: ctx.now } }) });
  }
  send(ctx, from, { t: 'stateRequest', cfg, have: s.em.lastExec });
  if (retryUs === 0 || s.flags.fetchFromAll) return s; // The mutant keeps no record.
  return stateWith(s, { em: emWith(s.em, { fetch: { from, at: ctx.now } }) });
}
