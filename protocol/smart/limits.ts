/**
 * SMART's fixed bounds that are not protocol parameters: each caps how much one machine holds or
 * sends in one step, so that a flood or a long lag costs bounded memory and bounded effects. None
 * decides safety; each only decides how soon a client or a lagging machine asks again.
 */

/**
 * Client requests a candidate holds while campaigning (a few round trips). A closed-loop client
 * has one request outstanding, so 64 covers more clients than any scenario runs against one
 * configuration; a request beyond it is dropped and its client's retry finds the winner.
 */
export const MAX_HELD_REQUESTS = 64;

/**
 * Decided slots one DECIDED-RANGE (the answer to a STATE-REQUEST, beside any checkpoint) carries.
 * The requester asks again at its next heartbeat while it still lags, so catch-up proceeds 64
 * slots per heartbeat: more than the default α window (10) and a third of the default log (200),
 * yet one answer to a long-lagging machine stays a message of bounded size, not the whole log.
 */
export const MAX_DECIDED_PER_STATE_REPLY = 64;

/**
 * ELECTs a candidate sends one member again behind a JOIN, per ballot (onJoinRequest). A JOIN
 * may arrive after the ELECT behind it (it is delayed, or the network reorders), so the member
 * asks again and a few more tries win this election (smart-elect-behind-join: JOINs delayed
 * 1 ms, n4 needed three). Unbounded, a member whose JOINs are lost answers every ELECT with
 * JOIN-REQUEST and the pair loops at one round trip, one more loop per election (explore seed
 * 932136 of smart-join-request-forgotten: 36,116 ELECTs in 1.2 s while a fault dropped every
 * JOIN). Past the bound the member waits for the candidate's next campaign.
 */
export const MAX_ELECTS_BEHIND_JOIN = 3;
