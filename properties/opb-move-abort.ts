/**
 * P2.6's make-before-break moves give their new member time to catch up: a move "aborts after
 * 20 T_fd" (protocol/optimistic/README.md, docs/opb.md), and the aborted member is marked
 * refused for a cool-down. A move aborted after about one window instead dropped healthy
 * candidates one after another (mutation #3398 of the seed-37 sample, `20 / fdUs`:
 * opb-lost-transfer-to-empty seed 1, three live candidates aborted and refused before the fourth
 * completed; unmutated the first move takes 490 ms).
 *
 * Evidence: the message record and the primary's `opb.move` aborts. A move starts with the JOIN
 * its primary P sends to the new member A (the latest JOIN of the service from P to A at or
 * before the abort). Judged: an abort of P's move adding A when A accepted the JOIN (a JoinAck
 * ok=true from A reached P after the JOIN) and is live and acking (an ACK or heartbeat of the
 * service from A reached P within T_fd before the abort). It must come at least 20 T_fd after
 * the JOIN.
 *
 * Nor may such a move abort once A has caught up: make-before-break (P2.6 #1-#2) adds the new
 * replica, brings it up to date, then removes the old one, and the 20 T_fd are for a member
 * that does not catch up. Under steady writes no ACK is ever at the primary's tip when it lands,
 * so "up to date" is what the group already keeps: A holds at least what a live backup holds.
 * P decides at its reorganization rounds (every `windowUs`, the JOIN's and the abort's among
 * them); at a round r after the JOIN, A has caught up when its latest ACK at P's epoch (P2.4's
 * ackd[b]) that reached P before r covers at least the latest one of another member B of the
 * JOIN's membership that P heard within T_fd before r (a heartbeat or ACK of the service). Then
 * the move completes at r and must not abort later (mutation #3390 of the seed-39 sample, no
 * backup's ACK taken as that floor: the move chased the tip and aborted after 20 T_fd). Only
 * ACKs that P took count: ACKs of X after the JOIN and more than T_fd after P's latest state
 * transfer to X (a transfer forgets X's ACK; one that does not match P's log asks for a
 * transfer, sent unless one went within T_fd). Nor an ACK P may have forgotten as lost: a
 * heartbeat of X reporting an index below it that reached P 2 T_hb or more after it (P2.6 #2's
 * lost-ACK rule, `forgetLostAck` in protocol/optimistic/primary.ts, for any member heartbeat on
 * P's lineage; the record does not show the lineage, so such an ACK is unknown). Explore trial
 * 1652272 of opb-stale-group-back: n9, back without its disk at 3.2 s, reported index 0 to n5
 * at 3.226 s; n5 forgot its ACK of 197 (2.02 s), so at the 3.25 s round n9 set no floor and n2
 * (at 311) had to reach the tip; taking 197 for the floor judged that abort wrong. A round with
 * an ACK of A or B, a transfer to either, or such a heartbeat at its very instant is not judged
 * (the order within the instant is unknown), nor a move whose primary got a refusing JoinAck in
 * between (that drops the refusing member).
 *
 * A move whose new member refused it (a JoinAck ok=false from A reached P more than T_fd before
 * the abort, P primary throughout) ended then, phase `refused`: P2.6's "losers retry elsewhere"
 * at once, not after the 20 T_fd a member that accepted gets (Stryker #3704 of the seed-48
 * sample kept the move open and aborted it 3 s later: opb-join-refused seed 0). Judged before
 * the newer-membership exclusion, since P's own drop of A raises its membership version.
 *
 * Nor may a move complete (`done`) before its new member caught up, the same rule from the other
 * side: at the `done` round, if every other member of the JOIN's membership has an ACK P took
 * (as above) above every ACK of the service A sent that reached P by then (its instant included,
 * any epoch), each was a floor A had not reached (Stryker #3633 of the seed-48 sample took A's
 * own ACK for a floor: opb-diurnal seed 0, n4's move adding n10 done with n10 at 58 and both
 * other members at 59). A member whose taken ACK is unknown judges nothing. The same exclusions.
 *
 * Not judged: runs without a message record; a move with a timing fault in force between the
 * JOIN and the abort, or P's clock not showing global time in between (the wait runs on P's
 * clock; a skew set back to zero before the JOIN counts as over); a down, pause,
 * resume, corruption or lost writes of P or A in between; a move abandoned because P changed
 * role (an `opb.role` fact of P for the service in between) or learnt a newer membership (a
 * message of the service reached P in between carrying a membership version above the JOIN's):
 * both abandon the move at once by design.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { segments, unperturbed } from './fault-state.js';
import { messageLinks, type MessageLinks } from './message-links.js';
import { ACK_LABEL } from './opb-ack-label.js';
import { forgotAsLost, HB_INDEX, hbUsOf, type Report } from './opb-lost-ack.js';
import { NEVER_SENT } from './opb-role-facts.js';
import { buildWorld } from './opb-world.js';
import { disturbed, numberParam, stepOf, stepTime } from './run-values.js';
import { judgedVerdict, type Property } from './types.js';

const JOIN = /^Join s(\d+) [^@\s]+@(\S+) m(\d+)\[([^\]]*)\]/;
const ACCEPT = /^JoinAck s(\d+) ok=true$/;
const REFUSE = /^JoinAck s(\d+) ok=false$/;
const XFER = /^Xfer s(\d+) /;
const LIVE = /^(?:Ack|Hb) s(\d+) /;
/** A membership version a message of the service carries (heartbeats, claims, updates...). */
const MVER = /^\w+ s(\d+) .*? m(\d+)\[/;
/** The claims a gossip carries, each with its service and membership version. */
const GOSSIP_CLAIM = /[=,]s(\d+):\S+? m(\d+)\[/g;
/** protocol/optimistic/params.ts's default T_fd. */
const FD_US = 150_000;
/** Its default reorganization round. */
const WINDOW_US = 250_000;
const WINDOWS = 20;

/**
 * Whether `node`'s clock showed global time throughout [from, to]: no skew fact of it in
 * (from, to], and its latest before that (if any) set offset and rate back to zero. A skew the
 * settle heal leaves in force (it lifts no skew) counts as skewed.
 */
function trueClock(run: RunRecord, node: string, from: number, to: number): boolean {
  const facts = run.nodeEvents
    .filter((e) => e.node === node && e.kind === 'skewed' && e.at <= to);
  if (facts.some((e) => e.at > from)) return false;
  const last = facts.at(-1);
  if (last === undefined) return true;
  const set = run.faults.filter((f) => f.kind === 'skew' && f.at === last.at);
  return set.length > 0
    && set.every((f) => f.kind === 'skew' && f.offsetUs === 0 && f.ratePpm === 0);
}

interface Move {
  readonly svc: number;
  readonly p: string;
  readonly add: string;
  readonly t0: number;
  /** P's epoch, as the JOIN's claim shows it. */
  readonly epoch: string;
  /** The JOIN's membership but P and the new member. */
  readonly members: readonly string[];
}

interface Round { r: number; a: number; aAt: number; b: string; bi: number; bAt: number }

interface Acks {
  /** X's ACKs at P's epoch delivered to P after the JOIN. */
  readonly acks: (x: string) => { at: number; i: number }[];
  /** P's transfers to X (their steps). */
  readonly xfers: (x: string) => number[];
  /** P's last words of X: its heartbeats and ACKs (`as`) delivered to P. */
  readonly heard: (x: string, as: readonly { at: number }[]) => number[];
  /** X's ACK P holds at round r: undefined if unknown or none. */
  readonly taken: (x: string, r: number, xs: readonly number[],
    as: readonly { at: number; i: number }[]) => { at: number; i: number } | undefined;
}

function ackReader(links: MessageLinks, mv: Move, fdUs: number, hbUs: number): Acks {
  const svcOf = (label: string, re: RegExp): RegExpExecArray | null => {
    const x = re.exec(label);
    return x !== null && Number(x[1]) === mv.svc ? x : null;
  };
  const xfers = (to: string): number[] => links.between(mv.p, to)
    .filter((m) => svcOf(m.label, XFER) !== null)
    .map(stepOf);
  const acks = (from: string): { at: number; i: number }[] => links.between(from, mv.p)
    .filter((m) => m.drop === null && m.at > mv.t0)
    .flatMap((m) => {
      const x = svcOf(m.label, ACK_LABEL);
      return x === null || x[2] !== mv.epoch ? [] : [{ at: m.at, i: Number(x[3]) }];
    });
  // What sets P's last word of X: a heartbeat, or an ACK at P's epoch (another is ignored).
  const heard = (from: string, as: readonly { at: number }[]): number[] => [...as.map((a) => a.at),
    ...links.between(from, mv.p).filter((m) => m.drop === null
      && m.label.startsWith('Hb ') && svcOf(m.label, LIVE) !== null).map((m) => m.at)];
  // X's heartbeats that reached P, with the index each reports.
  const reports = (from: string): Report[] => links.between(from, mv.p)
    .filter((m) => m.drop === null)
    .flatMap((m) => {
      const x = svcOf(m.label, HB_INDEX);
      return x === null ? [] : [{ at: m.at, idx: Number(x[2]) }];
    });
  /** X's ACK P holds at round r: undefined if unknown or none. */
  const taken = (x: string, r: number, xs: readonly number[],
    as: readonly { at: number; i: number }[]): { at: number; i: number } | undefined => {
    if (as.some((a) => a.at === r) || xs.includes(r)) return undefined;
    const lastX = Math.max(-Infinity, ...xs.filter((s) => s <= r));
    const a = as.filter((b) => b.at < r && b.at > lastX + fdUs).at(-1);
    // A report below it 2 T_hb or more later, by r: P may have forgotten it as lost.
    if (a !== undefined && forgotAsLost(reports(x), { at: a.at, idx: a.i }, r, hbUs)) {
      return undefined;
    }
    return a;
  };
  return { acks, xfers, heard, taken };
}

/**
 * The first reorganization round of P in (JOIN, abort] at which the new member had caught up,
 * from the ACKs P took (see the header), or null. Rounds are `windowUs` apart on P's clock,
 * which showed global time throughout; none is judged if the abort is off the JOIN's grid.
 */
function caughtUpRound(run: RunRecord, links: MessageLinks, mv: Move, at: number,
  fdUs: number): Round | null {
  const windowUs = numberParam(run, 'windowUs', WINDOW_US);
  if ((at - mv.t0) % windowUs !== 0) return null;
  const { acks, xfers, heard, taken } = ackReader(links, mv, fdUs, hbUsOf(run));
  const ofAdd = { xs: xfers(mv.add), as: acks(mv.add) };
  const others = mv.members.map((b) => {
    const as = acks(b);
    return { b, xs: xfers(b), as, hb: heard(b, as) };
  });
  for (let r = mv.t0 + windowUs; r <= at; r += windowUs) {
    const a = taken(mv.add, r, ofAdd.xs, ofAdd.as);
    if (a === undefined) continue;
    for (const o of others) {
      if (!o.hb.some((h) => h < r && h > r - fdUs)) continue;
      const b = taken(o.b, r, o.xs, o.as);
      if (b !== undefined && a.i >= b.i) {
        return { r, a: a.i, aAt: a.at, b: o.b, bi: b.i, bAt: b.at };
      }
    }
  }
  return null;
}

/**
 * A `done` of P's move adding A at its round `at` that came before A caught up: every other
 * member of the JOIN's membership had an ACK P took at `at` (see `taken`) above the most A could
 * have acked to P by then (any ACK of the service from A delivered up to `at`, its instant
 * included, whatever its epoch), so each was a floor A had not reached, and P's tip is at least
 * theirs. An unknown ACK of any of them judges nothing (it might be a floor A reached).
 */
function earlyDone(run: RunRecord, links: MessageLinks, mv: Move, at: number,
  fdUs: number, kind: string): string | null {
  const windowUs = numberParam(run, 'windowUs', WINDOW_US);
  if ((at - mv.t0) % windowUs !== 0 || mv.members.length === 0) return null;
  const ofA = links.between(mv.add, mv.p)
    .filter((m) => m.drop === null && m.at <= at)
    .flatMap((m) => {
      const x = ACK_LABEL.exec(m.label);
      return x === null || Number(x[1]) !== mv.svc ? [] : [Number(x[3])];
    });
  if (ofA.length === 0) return null;
  const most = Math.max(...ofA);
  const { acks, xfers, taken } = ackReader(links, mv, fdUs, hbUsOf(run));
  const floors: string[] = [];
  for (const b of mv.members) {
    const t = taken(b, at, xfers(b), acks(b));
    if (t === undefined || t.i <= most) return null;
    floors.push(`${b} i=${t.i} (t=${t.at}us)`);
  }
  return `s${mv.svc}: ${mv.p} completed its ${kind} move adding ${mv.add} at t=${at}us, but ` +
    `${mv.add} had acked at most i=${most} while every other member held more (` +
    `${floors.join(', ')}): make-before-break removes the old replica only once the new one ` +
    'is up to date';
}

export function moveAbortProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  if (run.messages === undefined) return 'the run kept no message record';
  const world = buildWorld(run);
  const segs = segments(run);
  const fdUs = numberParam(run, 'fdUs', FD_US);
  const links = messageLinks(run.messages.filter((m) => m.drop !== NEVER_SENT));
  const roles = world.obs('opb.role');
  const problems: string[] = [];
  let judged = 0;
  for (const o of world.obs('opb.move')) {
    const { service: svc, add, phase } = o.data;
    if ((phase !== 'abort' && phase !== 'done') || add === null) continue;
    const p = o.node;
    const at = stepTime(o);
    const join = links.between(p, add).filter((m) => m.sent <= at)
      .map((m) => ({ m, x: JOIN.exec(m.label) }))
      .filter(({ x }) => x !== null && Number(x[1]) === svc).at(-1);
    if (join === undefined) continue;
    const t0 = join.m.sent;
    const mver = Number(join.x![3]);
    if (!unperturbed(segs, t0, at) || !trueClock(run, p, t0, at)) continue;
    if (disturbed(run, [p, add], t0, at)) continue;
    if (roles.some((r) => r.node === p && r.data.service === svc && r.at >= t0 && r.at <= at)) {
      continue;
    }
    const toP = links.into(p).filter((m) => m.drop === null && m.at > t0 && m.at <= at);
    const ofSvc = (re: RegExp, label: string): RegExpExecArray | null => {
      const x = re.exec(label);
      return x !== null && Number(x[1]) === svc ? x : null;
    };
    // A refusal P took (T_fd before the abort at least) ended the move then: no abort follows.
    // Read before the newer-membership exclusion: P's own drop of A raises the version.
    const refusal = phase === 'abort' ? toP.find((m) => m.from === add
      && ofSvc(REFUSE, m.label) !== null && m.at + fdUs <= at) : undefined;
    if (refusal !== undefined) {
      judged++;
      problems.push(`s${svc}: ${p} aborted its ${o.data.kind} move adding ${add} at t=${at}us, ` +
        `but ${add} had refused its JOIN (t=${t0}us) in a JoinAck that reached ${p} at ` +
        `t=${refusal.at}us: the refusal ends the move at once, and the loser retries elsewhere ` +
        '(P2.6 RESERVE+JOIN)');
      continue;
    }
    // Gossip too: a directory entry it updates abandons the move as a heartbeat would (a
    // 3 ms-disk variant of opb-partition-halves seed 19: n9's gossip of s0 at m3 reached n1 at
    // the heal, and n1 aborted its m1 move adding n3 in that step).
    const newer = toP.some((m) => {
      const x = ofSvc(MVER, m.label);
      if (x !== null && Number(x[2]) > mver) return true;
      return m.label.startsWith('Gossip ') && [...m.label.matchAll(GOSSIP_CLAIM)]
        .some((c) => Number(c[1]) === svc && Number(c[2]) > mver);
    });
    if (newer) continue;
    if (phase === 'done') {
      const move: Move = { svc, p, add, t0, epoch: join.x![2]!,
        members: join.x![4]!.split(',').filter((m) => m !== p && m !== add) };
      judged++;
      const early = earlyDone(run, links, move, at, fdUs, o.data.kind);
      if (early !== null) problems.push(early);
      continue;
    }
    const accepted = toP.some((m) => m.from === add && ofSvc(ACCEPT, m.label) !== null);
    const acking = toP.some((m) => m.from === add && m.at >= at - fdUs
      && ofSvc(LIVE, m.label) !== null);
    if (!accepted || !acking) continue;
    judged++;
    if (at - t0 < WINDOWS * fdUs) {
      problems.push(`s${svc}: ${p} aborted its ${o.data.kind} move adding ${add} at t=${at}us, ` +
        `${at - t0}us after its JOIN (t=${t0}us), before ${WINDOWS} T_fd = ${WINDOWS * fdUs}us, ` +
        `while ${add} had accepted the JOIN and was acking`);
      continue;
    }
    if (toP.some((m) => ofSvc(REFUSE, m.label) !== null)) continue;
    const move: Move = { svc, p, add, t0, epoch: join.x![2]!,
      members: join.x![4]!.split(',').filter((m) => m !== p && m !== add) };
    const round = caughtUpRound(run, links, move, at, fdUs);
    if (round !== null) {
      problems.push(`s${svc}: ${p} aborted its ${o.data.kind} move adding ${add} at t=${at}us, ` +
        `but at its round t=${round.r}us ${add} had acked i=${round.a} (t=${round.aAt}us), at ` +
        `least live backup ${round.b}'s latest ack i=${round.bi} (t=${round.bAt}us): ${add} had ` +
        'caught up and the move should have completed (make-before-break)');
    }
  }
  return { problems, judged };
}

export const opbMoveAbort: Property = {
  name: 'opb-move-abort',
  description: 'a move whose new member accepted the JOIN and keeps acking aborts only after ' +
    '20 T_fd, and never once it holds what a live backup holds; nor completes before that; a ' +
    'refused move ends at the refusal (message record)',
  protocols: ['opb'],
  check(run: RunRecord) {
    return judgedVerdict(this.name, moveAbortProblems(run), 'no abort judged',
      (n) => `${n} aborted or completed moves, each on time`);
  },
};
