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
 *
 * The upper side, from the same record: X sends member Y at most 1 + MAX_ELECTS_BEHIND_JOIN
 * ELECTs of C at one ballot B (its campaign's broadcast, which goes once per ballot since every
 * campaign takes a new ballot, and three behind JOINs; nothing else re-sends an ELECT, no timer
 * and no retransmission). Counted by distinct (step, send time), so a network duplicate
 * counts once, and two steps at one instant whose ELECTs leave together count twice. Judged
 * whatever the timing faults (the cap counts sends, not time), not with the cost model, nor
 * when X went down, paused, resumed or
 * was corrupted between its first ELECT at B and the one past the cap (a lost disk image may
 * take B again). Without it the loop of explore seed 932136 passed the check (mutation #6292
 * of the seed-49 sample, the cap counted the ELECTs re-sent to the other members).
 */
import type { MessageFact, RunRecord } from '../simulator/run-record.js';
import { segments, unperturbed } from './fault-state.js';
import { handledMessages } from './handled-messages.js';
import { countBelow, disturbed, numberParam, pushTo, stepOf } from './run-values.js';
import { defuncts, majority, retirements, skip, stepTime } from './smart-observations.js';
import { verdictOf, type Property } from './types.js';

const MSG = /^(Elect|PollReply|Heartbeat|Propose) c=(\d+) b=(\d+)\.(\d+)/;
const JOIN_REQUEST = /^JoinRequest c=(\d+)$/;
/** MAX_ELECTS_BEHIND_JOIN (protocol/smart/limits.ts): ELECTs behind JOINs per member, ballot. */
const ELECTS_BEHIND_JOIN = 3;

/** An ELECT, POLL-REPLY, HEARTBEAT or PROPOSE: its configuration and ballot as one number. */
export interface Parsed {
  readonly m: MessageFact;
  readonly kind: string;
  readonly cfg: number;
  readonly ballot: number;
}

export function parseBallotMessage(m: MessageFact): Parsed | null {
  const r = MSG.exec(m.label);
  if (r === null) return null;
  // Rounds and proposer indices compare lexicographically; indices stay below 10^6.
  return { m, kind: r[1]!, cfg: Number(r[2]), ballot: Number(r[3]) * 1e6 + Number(r[4]) };
}

/**
 * One send of an ELECT: a network duplicate shares it, two steps of one instant whose ELECTs
 * leave together do not (the sending step's number, or its instant in a hand-made record).
 * Not `step`, the receiving step's number: each copy of a duplicate gets its own (explore trial
 * 1473470 of smart-preempt-dup, half the messages duplicated: n2's JOIN-REQUESTs and n3's
 * ELECTs at ballot 1.2 each arrived twice, and 4 sends counted as 6, past the cap of 4).
 */
const sendOf = (m: MessageFact): string => `${m.sentStep ?? stepOf(m)}|${m.sent}`;

/** Facts ascending by one time (stable: record order among equal times), with those times. */
interface ByTime { readonly facts: readonly Parsed[]; readonly times: readonly number[] }

function byTime(facts: readonly Parsed[], time: (p: Parsed) => number): ByTime {
  const sorted = [...facts].sort((a, b) => time(a) - time(b));
  return { facts: sorted, times: sorted.map(time) };
}

/** The facts of `list` whose time lies in [from, to], by bisection. */
function within(list: ByTime, from: number, to: number): readonly Parsed[] {
  return list.facts.slice(countBelow(list.times, from), countBelow(list.times, to, true));
}

/**
 * One candidate's facts of one configuration, indexed once (explore seed 932136 had 36,190
 * JOIN-REQUESTs and 36,116 ELECTs; scanning them per JOIN-REQUEST never finished).
 */
interface Candidacy {
  /** Its ELECTs, by send time. */
  readonly elects: ByTime;
  /** Per ballot: the first ELECT's send time and the machines its ELECTs went to. */
  readonly ballots: ReadonlyMap<number, { first: number; to: Set<string> }>;
  /** Per addressee and ballot ("y|b"): its ELECTs there, one per step and send time, by send. */
  readonly asked: ReadonlyMap<string, readonly number[]>;
  /** Its HEARTBEATs, PROPOSEs and POLL-REPLYs (it led or voted), by send time. */
  readonly moved: ByTime;
  /** What was delivered to it, by arrival. */
  readonly got: ByTime;
}

function candidacy(sent: readonly Parsed[], got: readonly Parsed[]): Candidacy {
  const ballots = new Map<number, { first: number; to: Set<string> }>();
  const elects = sent.filter((p) => p.kind === 'Elect');
  for (const p of elects) {
    const b = ballots.get(p.ballot);
    if (b === undefined) ballots.set(p.ballot, { first: p.m.sent, to: new Set([p.m.to]) });
    else {
      b.to.add(p.m.to);
      if (p.m.sent < b.first) b.first = p.m.sent;
    }
  }
  // One send per step and send time, as the cap counts them (a network duplicate counts once,
  // two steps' ELECTs leaving together behind one disk write count twice: seed 96 of
  // smart-elect-behind-vote, two JOIN-REQUESTs handled in two steps at 402,447 us, both answers
  // left at 402,547 us, were read as one re-ask, and one past the cap was asked for).
  const asked = new Map<string, number[]>();
  const once = new Set<string>();
  for (const p of elects) {
    const k = `${p.m.to}|${p.ballot}|${sendOf(p.m)}`;
    if (once.has(k)) continue;
    once.add(k);
    pushTo(asked, `${p.m.to}|${p.ballot}`, p.m.sent);
  }
  for (const times of asked.values()) times.sort((a, b) => a - b);
  return { elects: byTime(elects, (p) => p.m.sent), ballots, asked,
    moved: byTime(sent.filter((p) => p.kind !== 'Elect'), (p) => p.m.sent),
    got: byTime(got, (p) => p.m.at) };
}

/**
 * The upper side: per candidate X, configuration C, member Y and ballot B, the ELECTs X sent Y
 * (dropped or not) at more than 1 + ELECTS_BEHIND_JOIN distinct (step, send time).
 */
function electCapProblems(run: RunRecord, messages: readonly MessageFact[]):
  { problems: string[]; judged: number } {
  const sends = new Map<string, MessageFact[]>();
  for (const m of messages) {
    const p = m.label.startsWith('Elect ') ? parseBallotMessage(m) : null;
    if (p !== null) pushTo(sends, `${m.from}|${m.to}|${p.cfg}|${p.ballot}`, m);
  }
  const problems: string[] = [];
  let judged = 0;
  for (const facts of sends.values()) {
    const seen = new Set<string>();
    const distinct = [...facts].sort((a, b) => a.sent - b.sent).filter((m) => {
      const k = sendOf(m);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    const past = distinct[1 + ELECTS_BEHIND_JOIN];
    if (past === undefined) {
      judged++;
      continue;
    }
    const x = past.from;
    if (disturbed(run, [x], stepOf(distinct[0]!), past.sent)) continue;
    judged++;
    problems.push(`${x} sent member ${past.to} ${distinct.length} ELECTs at one ballot ` +
      `(${past.label}, t=${distinct[0]!.sent}us to t=${distinct.at(-1)!.sent}us): at most ` +
      `${1 + ELECTS_BEHIND_JOIN}, its campaign's and ${ELECTS_BEHIND_JOIN} behind JOINs; the ` +
      `${2 + ELECTS_BEHIND_JOIN}th left at t=${past.sent}us`);
  }
  return { problems, judged };
}

export function electBehindJoinProblems(run: RunRecord):
  { problems: string[]; judged: number; capped: number } | string {
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
    const p = parseBallotMessage(m);
    if (p === null) continue;
    pushTo(sentBy, `${m.from}|${p.cfg}`, p);
    if (m.drop === null) pushTo(deliveredTo, `${m.to}|${p.cfg}`, p);
  }
  const capped = electCapProblems(run, messages);
  if (asks.length === 0) return { problems: capped.problems, judged: 0, capped: capped.judged };
  const windowUs = numberParam(run, 'leaderTimeoutUs', 300_000) / 2;
  const segs = segments(run);
  const retired = retirements(run);
  const defunct = defuncts(run);
  const candidacies = new Map<string, Candidacy>();
  const problems: string[] = [];
  let judged = 0;
  for (const ask of asks) {
    const cfg = Number(JOIN_REQUEST.exec(ask.label)![1]);
    const x = ask.to;
    const y = ask.from;
    const t = ask.at;
    const key = `${x}|${cfg}`;
    let c = candidacies.get(key);
    if (c === undefined) {
      c = candidacy(sentBy.get(key) ?? [], deliveredTo.get(key) ?? []);
      candidacies.set(key, c);
    }
    // X's last ELECT of C that had left by t (the latest send; of equal ones, the later in the
    // record), and the machines that ELECT went to.
    const n = countBelow(c.elects.times, t, true);
    if (n === 0) continue;
    const elect = c.elects.facts[n - 1]!;
    const b = elect.ballot;
    // Timed from the campaign's first ELECT at B: a later one (itself sent behind a JOIN, after
    // a disk write) may leave after X already led (smart-elect-behind-join seed 112: elected at
    // 203086, its ELECT behind an earlier JOIN-REQUEST left at 203131).
    const ballot = c.ballots.get(b)!;
    const e = ballot.first;
    const members = new Set([x, ...ballot.to]);
    if (!members.has(y) || y === x) continue;
    // Led or voted since: no longer a candidate.
    if (within(c.moved, e, t).length > 0) continue;
    const got = within(c.got, e, t);
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
    if (countBelow(c.asked.get(`${y}|${b}`) ?? [], t, true) > ELECTS_BEHIND_JOIN) continue;
    judged++;
    const again = within(c.elects, t, until).some((p) => p.m.to === y && p.ballot >= b);
    if (!again) {
      problems.push(`${x}, a candidate of configuration ${cfg} (its ${elect.m.label} left at ` +
        `t=${e}us), got JOIN-REQUEST from member ${y} at t=${t}us and sent it no ELECT within ` +
        `${windowUs}us`);
    }
  }
  return { problems: [...capped.problems, ...problems], judged, capped: capped.judged };
}

export const smartElectBehindJoin: Property = {
  name: 'smart-elect-behind-join',
  description: 'our ELECT behind a JOIN: a candidate answers a member\'s JOIN-REQUEST with JOIN ' +
    'and its ELECT again, at most three times per member and ballot (the message record)',
  protocols: ['smart'],
  check(run: RunRecord) {
    const r = electBehindJoinProblems(run);
    if (typeof r === 'string') return skip(this.name, r);
    return verdictOf(this.name, r.problems, { judged: r.judged, capped: r.capped },
      `${r.judged} JOIN-REQUESTs to a candidate, each followed by its ELECT; ${r.capped} ` +
      `(candidate, member, ballot), each with at most ${1 + ELECTS_BEHIND_JOIN} ELECTs`);
  },
};
