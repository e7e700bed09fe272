/**
 * P1.2: "each machine's promised ballot is a pair (round, machine index)": ballots of different
 * machines differ, so two candidates of one round are ordered by their index (the higher one's
 * ELECT overrides the lower promise) instead of splitting the votes. Paxos needs one proposer per
 * ballot; checks keyed by (configuration, ballot), such as smart-elect-behind-join's and
 * smart-fresh-once's, assume it too.
 *
 * Evidence: the message record and the topology. A machine's index is its place in the
 * scenario's node list (the endpoints the simulator names, not anything the machine reports).
 * Judged: every ELECT, PROPOSE and HEARTBEAT a machine sent, the messages that carry the
 * sender's own ballot (a candidate's ELECT, a leader's proposals, retransmissions included, and
 * beats). The ballot's index (`b=round.index`) names the sender. LOGGED, DECIDED, PREEMPT and
 * POLL-REPLY echo another machine's ballot and are not judged. Mutation #5903 of the seed-49
 * sample gave every machine index 0: n2 campaigned at `b=2.0` and every other check passed.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { pass, skip } from './smart-observations.js';
import { verdictOf, type Property } from './types.js';

const OWN_BALLOT = /^(Elect|Propose|Heartbeat) c=\d+ b=\d+\.(\d+)/;

export function ballotOwnerProblems(run: RunRecord): { problems: string[]; judged: number }
  | string {
  if (run.messages === undefined) return 'the run kept no message record';
  const index = new Map<string, number>();
  run.endpoints.filter((e) => !e.client).forEach((e, i) => index.set(e.name, i));
  const problems: string[] = [];
  let judged = 0;
  for (const m of run.messages) {
    const own = OWN_BALLOT.exec(m.label);
    if (own === null) continue;
    judged++;
    const idx = index.get(m.from);
    if (idx !== undefined && Number(own[2]) === idx) continue;
    problems.push(`${m.from} (machine index ${idx ?? 'none'}) sent ${m.label.split(' ', 3)
      .join(' ')} to ${m.to} at t=${m.sent}us: its ballot names machine index ${own[2]}`);
  }
  return { problems, judged };
}

export const smartBallotOwner: Property = {
  name: 'smart-ballot-owner',
  description: 'P1.2: a ballot is (round, machine index): every ELECT, PROPOSE and HEARTBEAT ' +
    'carries a ballot naming its sender (message record)',
  protocols: ['smart'],
  check(run: RunRecord) {
    const r = ballotOwnerProblems(run);
    if (typeof r === 'string') return skip(this.name, r);
    if (r.problems.length > 0) return verdictOf(this.name, r.problems, { judged: r.judged }, '');
    return pass(this.name, `${r.judged} ELECTs, PROPOSEs and HEARTBEATs, each at a ballot of its ` +
      'sender', { judged: r.judged });
  },
};
