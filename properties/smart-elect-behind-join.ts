/**
 * Our ELECT behind a JOIN (docs/smart.md P1.6 step 3, `onJoinRequest` [ours]): a candidate
 * whose ELECT reached a member that had not joined the configuration yet is answered with
 * JOIN-REQUEST (P1.6 step 10; the ELECT itself was dropped there). The candidate answers JOIN
 * and sends its ELECT again behind it, after the disk write that makes its promise durable, so
 * the new member can vote in this election rather than after a whole election timeout. Without
 * it an election whose quorum needs the newcomer stalls for `leaderTimeoutUs` (mutation #5529
 * of the seed-35 sample: no ELECT re-sent; every other bound held).
 *
 * Evidence: the message record only. X is a candidate of configuration C at t when its last
 * ELECT of C (ballot B) left before t and, since its first ELECT at B left, X sent no
 * HEARTBEAT, PROPOSE or POLL-REPLY of C (it led or voted), was delivered no ELECT of C above B
 * nor HEARTBEAT or PROPOSE of C at B or above (it would follow), and got POLL-REPLYs at B or
 * above from fewer members than a quorum needs besides itself (it would lead). The members
 * are X and the machines its ELECT at B went to. A JOIN-REQUEST of C delivered to X at t from
 * such a member Y must be followed by an ELECT of C at B or above from X to Y within half a
 * leader timeout (it leaves after one disk write; without the rule the next one waits for X's
 * election timer), unless X had already sent Y that ELECT again as often as it may: by t X had
 * sent Y ELECTs at B at more than MAX_ELECTS_BEHIND_JOIN (3) different times (the campaign's
 * and that many behind JOINs). The bound stops a loop: a member whose JOINs are lost answers every
 * ELECT with another JOIN-REQUEST (explore seed 932136 of smart-join-request-forgotten). Not
 * judged: with the cost model, across X going down, up, pausing or being corrupted, after X
 * retired from C or learned it defunct, or while a timing fault is in force in that window.
 */
import type { MessageFact, RunRecord } from '../simulator/run-record.js';
import { segments, unperturbed } from './fault-state.js';
import { handledMessages } from './handled-messages.js';
import { disturbed, numberParam, pushTo } from './run-values.js';
import { defuncts, majority, retirements, skip, stepTime } from './smart-observations.js';
import { verdictOf, type Property } from './types.js';

const MSG = /^(Elect|PollReply|Heartbeat|Propose) c=(\d+) b=(\d+)\.(\d+)/;
const JOIN_REQUEST = /^JoinRequest c=(\d+)$/;
/** MAX_ELECTS_BEHIND_JOIN (protocol/smart/limits.ts): ELECTs behind JOINs per member, ballot. */
const ELECTS_BEHIND_JOIN = 3;

interface Parsed {
  readonly m: MessageFact;
  readonly kind: string;
  readonly cfg: number;
  readonly ballot: number;
}

function parse(m: MessageFact): Parsed | null {
  const r = MSG.exec(m.label);
  if (r === null) return null;
  // Rounds and proposer indices compare lexicographically; indices stay below 10^6.
  return { m, kind: r[1]!, cfg: Number(r[2]), ballot: Number(r[3]) * 1e6 + Number(r[4]) };
}

export function electBehindJoinProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  const messages = handledMessages(run);
  if (typeof messages === 'string') return messages;
  const sentBy = new Map<string, Parsed[]>();
  const deliveredTo = new Map<string, Parsed[]>();
  const asks: MessageFact[] = [];
  for (const m of messages) {
    if (JOIN_REQUEST.test(m.label)) {
      if (m.drop === null) asks.push(m);
      continue;
    }
    const p = parse(m);
    if (p === null) continue;
    pushTo(sentBy, m.from, p);
    if (m.drop === null) pushTo(deliveredTo, m.to, p);
  }
  if (asks.length === 0) return { problems: [], judged: 0 };
  const windowUs = numberParam(run, 'leaderTimeoutUs', 300_000) / 2;
  const segs = segments(run);
  const retired = retirements(run);
  const defunct = defuncts(run);
  const problems: string[] = [];
  let judged = 0;
  for (const ask of asks) {
    const cfg = Number(JOIN_REQUEST.exec(ask.label)![1]);
    const x = ask.to;
    const y = ask.from;
    const t = ask.at;
    const own = (sentBy.get(x) ?? []).filter((p) => p.cfg === cfg);
    // X's last ELECT of C that had left by t, and the machines that ELECT went to.
    let elect: Parsed | undefined;
    for (const p of own) {
      const later = elect === undefined || p.m.sent >= elect.m.sent;
      if (p.kind === 'Elect' && p.m.sent <= t && later) {
        elect = p;
      }
    }
    if (elect === undefined) continue;
    const b = elect.ballot;
    // Timed from the campaign's first ELECT at B: a later one (itself sent behind a JOIN, after
    // a disk write) may leave after X already led (smart-elect-behind-join seed 112: elected at
    // 203086, its ELECT behind an earlier JOIN-REQUEST left at 203131).
    let e = elect.m.sent;
    const members = new Set([x]);
    for (const p of own) {
      if (p.kind !== 'Elect' || p.ballot !== b) continue;
      members.add(p.m.to);
      if (p.m.sent < e) e = p.m.sent;
    }
    if (!members.has(y) || y === x) continue;
    // Led or voted since: no longer a candidate.
    if (own.some((p) => p.kind !== 'Elect' && p.m.sent >= e && p.m.sent <= t)) continue;
    const got = (deliveredTo.get(x) ?? []).filter((p) => p.cfg === cfg && p.m.at >= e
      && p.m.at <= t);
    if (got.some((p) => (p.kind === 'Elect' && p.ballot > b)
      || ((p.kind === 'Heartbeat' || p.kind === 'Propose') && p.ballot >= b))) continue;
    const voters = new Set(got.filter((p) => p.kind === 'PollReply' && p.ballot >= b
      && members.has(p.m.from)).map((p) => p.m.from));
    voters.delete(x);
    if (voters.size + 1 >= majority(members.size)) continue;
    const until = t + windowUs;
    if (disturbed(run, [x], e, until) || !unperturbed(segs, e, until)) continue;
    if (retired.some((o) => o.node === x && o.data.config === cfg && stepTime(o) <= until)
      || defunct.some((o) => o.node === x && o.data.config >= cfg && stepTime(o) <= until)) {
      continue;
    }
    if (until > run.endUs) continue;
    const asked = new Set(own.filter((p) => p.kind === 'Elect' && p.m.to === y && p.ballot === b
      && p.m.sent <= t).map((p) => p.m.sent));
    if (asked.size > ELECTS_BEHIND_JOIN) continue;
    judged++;
    const again = own.some((p) => p.kind === 'Elect' && p.m.to === y && p.ballot >= b
      && p.m.sent >= t && p.m.sent <= until);
    if (!again) {
      problems.push(`${x}, a candidate of configuration ${cfg} (its ${elect.m.label} left at ` +
        `t=${e}us), got JOIN-REQUEST from member ${y} at t=${t}us and sent it no ELECT within ` +
        `${windowUs}us`);
    }
  }
  return { problems, judged };
}

export const smartElectBehindJoin: Property = {
  name: 'smart-elect-behind-join',
  description: 'our ELECT behind a JOIN: a candidate answers a member\'s JOIN-REQUEST with JOIN ' +
    'and its ELECT again (the message record)',
  protocols: ['smart'],
  check(run: RunRecord) {
    const r = electBehindJoinProblems(run);
    if (typeof r === 'string') return skip(this.name, r);
    return verdictOf(this.name, r.problems, { judged: r.judged }, `${r.judged} JOIN-REQUESTs ` +
      'to a candidate, each followed by its ELECT');
  },
};
