/**
 * A replica's role changes: the only places that build a replica of another role. Each spells
 * its fields out, so nothing of the old role (votes, leadership) rides along into the new one;
 * updates within a role keep the role and need none of this.
 */
import type { NodeId } from '../types.js';
import { SlotMap } from './slots.js';
import type { Candidate, Follower, Leader, Leadership, PollVote, Replica } from './types.js';

/** A new configuration's replica: it follows nobody yet and has logged nothing. */
export function newReplica(cfg: number, members: readonly NodeId[], first: number): Follower {
  return {
    cfg, members, first, role: 'follower', promised: 0, leader: null, log: SlotMap.empty(),
    trunc: first - 1, finished: false, readyFrom: [], held: [],
  };
}

/** Follows `leader` (null while an election is under way) at ballot `promised`. */
export function asFollower(r: Replica, promised: number, leader: NodeId | null): Follower {
  return {
    cfg: r.cfg, members: r.members, first: r.first, role: 'follower', promised, leader,
    log: r.log, trunc: r.trunc, finished: r.finished, readyFrom: r.readyFrom, held: r.held,
  };
}

/**
 * Campaigns at ballot `promised` with the votes counted so far. Its ELECTs behind JOINs are
 * counted per ballot; `keepReasked` (the declared mutant smart:reask-kept-across-ballots,
 * Stryker #7025) keeps those of a previous ballot.
 */
export function asCandidate(
  r: Follower | Candidate, promised: number, votes: ReadonlyMap<NodeId, PollVote>,
  keepReasked = false,
): Candidate {
  return {
    cfg: r.cfg, members: r.members, first: r.first, role: 'candidate', promised, leader: null,
    log: r.log, trunc: r.trunc, finished: r.finished, readyFrom: r.readyFrom, held: r.held, votes,
    reasked: r.role === 'candidate' && (r.promised === promised || keepReasked) ? r.reasked : [],
  };
}

/** Leads at its promised ballot; requests held while campaigning are the caller's to queue. */
export function asLeader(r: Replica, self: NodeId, lead: Leadership): Leader {
  return {
    cfg: r.cfg, members: r.members, first: r.first, role: 'leader', promised: r.promised,
    leader: self, log: r.log, trunc: r.trunc, finished: r.finished, readyFrom: r.readyFrom,
    held: [], lead,
  };
}
