/**
 * SMART P1.4 step 1: "Client sends REQUEST to the replica it believes is leader; a non-leader
 * answers REDIRECT". A machine whose newest replica follows a leader it knows answers a client's
 * REQUEST (or the operator's MIGRATE, also a request: P1.6 step 1) with a REDIRECT in the step
 * that handles it, not later. Found by mutation (seed-19 sample, #6302: every logged PROPOSE
 * left the follower in the candidate role, so it held the requests that reached it until the
 * next PROPOSE or heartbeat released them).
 *
 * "Follows a leader it knows" is judged from evidence other than the machine's report of its
 * role, for its newest replica, of configuration C (the highest `replica` fact it had at the
 * request, lost ones included while they were in memory, none retired by a `defunct` fact
 * of C or above):
 * - since its last boot (a restored replica follows nobody), a PROPOSE of C from another node
 *   that it logged in the same step (its `logged` fact: the step accepted the ballot; a slot
 *   already truncated is ignored and teaches it nothing), or a HEARTBEAT of C from another node
 *   while that replica existed, reached it, at a ballot B;
 * - B is the highest ballot of C it had met by then: in PROPOSEs, HEARTBEATs and ELECTs
 *   delivered to it (an ELECT above its promise leaves it leaderless: it voted) and in its own
 *   candidacies (`elect` facts, lost ones included, and the ELECTs it sent). Its promise only
 *   rises through these, and survives a crash on disk, so a leader's message at the highest of
 *   them was accepted, and nothing since made it a candidate or a voter.
 * The REQUEST is judged at its arrival: without a cost model or a pause a node handles a
 * message when it arrives, and the simulator's reply record names the step that answered it.
 *
 * Not judged, since the spec excuses them or the evidence cannot say: runs without a message
 * record (sweep, explore), with the cost model, or with an amnesia fault (outside P1.1's model;
 * a replica recorded on disk may be gone after a boot); a machine down, paused or corrupted between
 * that leader's message and the request; a machine without such evidence (no replica, a
 * candidate, a voter, a replica started or restored since, or one whose newest replica has no
 * known leader: the implementation then holds the request for the first leader it hears of,
 * releaseHeld, and P1.4 names nobody to redirect to); anything at the request's own instant
 * (a candidacy, an ELECT, a new replica, a defunct configuration: the order inside an instant
 * is not recorded). SMART's REQUEST names no configuration, so no request is for a
 * configuration other than the one the machine answers for.
 */
import type { MessageFact, RunRecord } from '../simulator/run-record.js';
import { droppedRecord } from './dropped.js';
import { handledMessages } from './handled-messages.js';
import { onceEach } from './memo.js';
import {
  defuncts, elections, fail, loggings, pass, replicaStarts, retirements, skip, stepTime,
} from './smart-observations.js';
import { pushTo, stepOf } from './run-values.js';
import type { Property } from './types.js';

/** The ballot span of protocol/smart/util.ts: a ballot is round·1024 + the node's index. */
const BALLOT_SPAN = 1024;
const LEADER_MSG = /^(Propose|Heartbeat) c=(\d+) b=(\d+)\.(\d+)(?: s=(\d+))?/;
const ELECT = /^Elect c=(\d+) b=(\d+)\.(\d+)$/;
const REQUEST = /^(?:Request #(\d+) |Operator #(\d+) migrate )/;

const ballot = (round: string, idx: string): number => Number(round) * BALLOT_SPAN + Number(idx);

/** A leader's PROPOSE or HEARTBEAT that reached the machine, and whether the step accepted it. */
interface LeadMsg { readonly at: number; readonly ballot: number; readonly from: string;
  readonly kind: 'Propose' | 'Heartbeat'; readonly accepted: boolean }

/** Per machine and configuration: what it met of that configuration's ballots. */
interface Ballots {
  /** Leaders' messages delivered to it, in arrival order. */
  readonly leads: LeadMsg[];
  /** ELECTs delivered to it and its own candidacies, as [time, ballot]. */
  readonly elects: [number, number][];
}

export interface NodeLife {
  readonly ups: number[];
  /** Down, paused and corrupted intervals: [from, to] (to: Infinity while unended). */
  readonly off: [number, number][];
  /** Replica starts as [step time, configuration], recorded or lost with a crash. */
  readonly starts: [number, number, boolean][];
  /** Defunct facts as [step time, configuration]. */
  readonly defunct: [number, number][];
}

export function nodeLives(run: RunRecord): Map<string, NodeLife> {
  const lives = new Map<string, NodeLife>();
  const of = (node: string): NodeLife => {
    let l = lives.get(node);
    if (l === undefined) lives.set(node, l = { ups: [], off: [], starts: [], defunct: [] });
    return l;
  };
  const openSince = new Map<string, number>();
  for (const e of run.nodeEvents) {
    const l = of(e.node);
    if (e.kind === 'up') l.ups.push(e.at);
    if (e.kind === 'corrupted') l.off.push([e.at, Infinity]);
    const key = `${e.node}|${e.kind === 'down' || e.kind === 'up' ? 'down' : 'paused'}`;
    if (e.kind === 'down' || e.kind === 'paused') {
      if (!openSince.has(key)) openSince.set(key, e.at);
    } else if (e.kind === 'up' || e.kind === 'resumed') {
      const since = openSince.get(key);
      if (since !== undefined) l.off.push([since, e.at]);
      openSince.delete(key);
    }
  }
  for (const [key, since] of openSince) of(key.split('|')[0]!).off.push([since, Infinity]);
  const dropped = droppedRecord(run);
  for (const o of replicaStarts(run)) of(o.node).starts.push([stepTime(o), o.data.config, true]);
  for (const o of replicaStarts(dropped)) {
    of(o.node).starts.push([stepTime(o), o.data.config, false]);
  }
  for (const o of [...defuncts(run), ...defuncts(dropped)]) {
    of(o.node).defunct.push([stepTime(o), o.data.config]);
  }
  return lives;
}

/** The last `up` at or before `t`, or -Infinity. */
export function lastUp(l: NodeLife, t: number): number {
  let up = -Infinity;
  for (const u of l.ups) if (u <= t) up = u;
  return up;
}

/**
 * The configuration of the newest replica the machine had at `t`, or a reason not to judge:
 * a start counts if it was recorded (on disk, restored at a boot) or ran since the last boot.
 */
export function newestReplica(l: NodeLife, t: number, up: number): number | string {
  let cfg = 0;
  let at = -1;
  for (const [when, c, durable] of l.starts) {
    if (when > t || (!durable && when <= up)) continue;
    if (c > cfg) [cfg, at] = [c, when];
  }
  if (cfg === 0) return 'no replica';
  if (at === t) return 'a replica started at the instant';
  if (l.defunct.some(([when, c]) => when <= t && c >= cfg)) return 'defunct';
  return cfg;
}

/** Whether replica `cfg` existed on the machine at `t` (started before it, since the boot `up`). */
function hadReplica(l: NodeLife, cfg: number, t: number, up: number): boolean {
  return l.starts.some(([when, c, durable]) => c === cfg && when < t && (durable || when > up));
}

/**
 * Both sides of the check read the same ballots (≈ 20 ms a recorded run to build): built once per
 * run and message record (the tests judge edited copies of either).
 */
const ballotsByRecord = onceEach((run: RunRecord) =>
  onceEach((messages: readonly MessageFact[]) => buildBallots(run, messages)));

function ballotsOf(run: RunRecord, messages: readonly MessageFact[]): Map<string, Ballots> {
  return ballotsByRecord(run)(messages);
}

function buildBallots(run: RunRecord, messages: readonly MessageFact[]): Map<string, Ballots> {
  const out = new Map<string, Ballots>();
  const of = (node: string, cfg: number): Ballots => {
    const key = `${node}|${cfg}`;
    let b = out.get(key);
    if (b === undefined) out.set(key, b = { leads: [], elects: [] });
    return b;
  };
  const dropped = droppedRecord(run);
  const logged = new Set<string>();
  for (const o of [...loggings(run), ...loggings(dropped)]) {
    const d = o.data;
    logged.add(`${o.node}|${d.config}|${d.ballot}|${d.slot}|${stepTime(o)}`);
  }
  for (const o of [...elections(run), ...elections(dropped)]) {
    of(o.node, o.data.config).elects.push([stepTime(o), o.data.ballot]);
  }
  for (const m of messages) {
    const e = ELECT.exec(m.label);
    if (e !== null) {
      const b = ballot(e[2]!, e[3]!);
      of(m.from, Number(e[1])).elects.push([m.sent, b]);
      if (m.drop === null && m.to !== m.from) of(m.to, Number(e[1])).elects.push([m.at, b]);
      continue;
    }
    const hit = LEADER_MSG.exec(m.label);
    if (hit === null || m.drop !== null || m.from === m.to) continue;
    const [, kind, c, round, idx, slot] = hit;
    const cfg = Number(c);
    const b = ballot(round!, idx!);
    const accepted = kind === 'Heartbeat'
      || logged.has(`${m.to}|${cfg}|${b}|${slot}|${m.at}`);
    of(m.to, cfg).leads.push({ at: m.at, ballot: b, from: m.from,
      kind: kind as LeadMsg['kind'], accepted });
  }
  for (const b of out.values()) {
    b.leads.sort((x, y) => x.at - y.at);
    b.elects.sort((x, y) => x[0] - y[0]);
  }
  return out;
}

/**
 * The leader's message that shows the machine following a known leader in `cfg` at `t`, or a
 * reason not to judge (see the header).
 */
function knownLeader(b: Ballots | undefined, l: NodeLife, cfg: number, t: number, up: number):
  LeadMsg | string {
  if (b === undefined) return 'no leader message';
  let top = -1;
  for (const [when, x] of b.elects) if (when <= t) top = Math.max(top, x);
  let best: LeadMsg | null = null;
  for (const m of b.leads) {
    if (m.at >= t) break;
    if (m.ballot > top) {
      top = m.ballot;
      best = null;
    }
    if (m.ballot === top && m.at > up && m.accepted
      && (m.kind === 'Propose' || hadReplica(l, cfg, m.at, up))) best = m;
  }
  if (best === null) return 'no accepted leader message at its highest ballot since its boot';
  return best;
}

/** Counts of what was judged, and the first request held instead of redirected, or null. */
export function heldByFollower(run: RunRecord, messages: readonly MessageFact[]):
  { judged: number; problem: string | null } {
  const lives = nodeLives(run);
  const ballots = ballotsOf(run, messages);
  const answered = new Set(run.replies.filter((r) => r.outcome === 'redirect')
    .map((r) => `${r.node}|${r.to}|${r.seq}|${r.stepAt}`));
  const nodes = new Set(run.endpoints.filter((e) => !e.client).map((e) => e.name));
  let judged = 0;
  for (const m of messages) {
    const hit = REQUEST.exec(m.label);
    if (hit === null || m.drop !== null || !nodes.has(m.to)) continue;
    const seq = Number(hit[1] ?? hit[2]);
    const life = lives.get(m.to);
    if (life === undefined) continue;
    const t = m.at;
    const up = lastUp(life, t);
    const cfg = newestReplica(life, t, up);
    if (typeof cfg === 'string') continue;
    const lead = knownLeader(ballots.get(`${m.to}|${cfg}`), life, cfg, t, up);
    if (typeof lead === 'string') continue;
    if (life.off.some(([from, to]) => from <= t && to >= lead.at)) continue;
    judged++;
    if (answered.has(`${m.to}|${m.from}|${seq}|${t}`)) continue;
    const b = `${Math.floor(lead.ballot / BALLOT_SPAN)}.${lead.ballot % BALLOT_SPAN}`;
    return { judged, problem: `${m.to} handled ${m.from}'s request #${seq} at t=${t}us ` +
      `without answering REDIRECT, although its newest replica (configuration ${cfg}) ` +
      `followed ${lead.from}: ${lead.kind === 'Propose' ? 'it logged' : 'it received'} ` +
      `${lead.from}'s ${lead.kind.toUpperCase()} at ballot ${b} (t=${lead.at}us), the highest ` +
      'ballot of that configuration it had met, and neither campaigned nor voted since' };
  }
  return { judged, problem: null };
}

/**
 * The held side (P1.4 step 1 and docs/smart.md: "a candidate, or a follower that knows no
 * leader, holds the request and redirects it to the first leader it hears of", releaseHeld):
 * a request that reached a machine whose newest replica, of configuration C, had no leader by
 * the evidence above, and that the step handling it did not answer, is answered with REDIRECT by
 * the step that first accepts a leader's message of C after it (a HEARTBEAT from another node
 * while the replica exists, or a PROPOSE it logged, at the highest ballot of C it had met then).
 * Judged only for a machine that sent no ELECT, HEARTBEAT or PROPOSE of C and made no candidacy
 * of C since its boot (up to that release: a candidate that wins serves what it held itself),
 * that stayed up, unpaused and uncorrupted in between, learned no configuration defunct, did
 * not retire from C, had fewer than MAX_HELD_REQUESTS (64) unanswered requests since its boot
 * (a full list drops more), and when no ELECT reached it at the release's own instant.
 * Mutation #6138 of the seed-41 sample (the release forgot the clients: they waited out their
 * request timeouts instead; every other check held) is the case this states. The REDIRECT names
 * that leader (the reply record keeps the leader a redirect names): Stryker #6364 of the seed-48
 * sample released them with a bare REDIRECT, and the clients tried the other members in turn.
 */
export function heldNotReleased(run: RunRecord, messages: readonly MessageFact[]):
  { judged: number; problem: string | null } {
  const lives = nodeLives(run);
  const ballots = ballotsOf(run, messages);
  const answeredAt = new Set(run.replies.map((r) => `${r.node}|${r.to}|${r.seq}|${r.stepAt}`));
  const redirected = new Map(run.replies.filter((r) => r.outcome === 'redirect')
    .map((r) => [`${r.node}|${r.to}|${r.seq}|${r.stepAt}`, r] as const));
  const nodes = new Set(run.endpoints.filter((e) => !e.client).map((e) => e.name));
  // Per machine and configuration, when it campaigned or led: its ELECTs, HEARTBEATs, PROPOSEs
  // and candidacies (lost ones included).
  const own = new Map<string, number[]>();
  for (const m of messages) {
    const e = ELECT.exec(m.label) ?? LEADER_MSG.exec(m.label);
    if (e === null) continue;
    pushTo(own, `${m.from}|${e[0].startsWith('Elect') ? e[1] : e[2]}`, stepOf(m));
  }
  for (const o of [...elections(run), ...elections(droppedRecord(run))]) {
    pushTo(own, `${o.node}|${o.data.config}`, stepTime(o));
  }
  const retired = retirements(run);
  const unanswered = new Map<string, number[]>();
  for (const m of messages) {
    const hit = REQUEST.exec(m.label);
    if (hit === null || m.drop !== null || !nodes.has(m.to)) continue;
    const seq = Number(hit[1] ?? hit[2]);
    if (answeredAt.has(`${m.to}|${m.from}|${seq}|${m.at}`)) continue;
    pushTo(unanswered, m.to, m.at);
  }
  let judged = 0;
  for (const m of messages) {
    const hit = REQUEST.exec(m.label);
    if (hit === null || m.drop !== null || !nodes.has(m.to)) continue;
    const seq = Number(hit[1] ?? hit[2]);
    const node = m.to;
    const t = m.at;
    if (answeredAt.has(`${node}|${m.from}|${seq}|${t}`)) continue;
    const life = lives.get(node);
    if (life === undefined) continue;
    const up = lastUp(life, t);
    const cfg = newestReplica(life, t, up);
    if (typeof cfg === 'string') continue;
    const b = ballots.get(`${node}|${cfg}`);
    if (typeof knownLeader(b, life, cfg, t, up) !== 'string' || b === undefined) continue;
    // The first leader's message of C it accepted after the request.
    let release: LeadMsg | null = null;
    for (const lead of b.leads) {
      if (lead.at <= t) continue;
      let top = -1;
      for (const [when, x] of b.elects) if (when <= lead.at) top = Math.max(top, x);
      if (lead.ballot >= top && lead.accepted
        && (lead.kind === 'Propose' || hadReplica(life, cfg, lead.at, up))) {
        release = lead;
        break;
      }
    }
    if (release === null) continue;
    const tf = release.at;
    if (b.elects.some(([when]) => when === tf)) continue;
    if ((own.get(`${node}|${cfg}`) ?? []).some((x) => x >= up && x <= tf)) continue;
    if (life.off.some(([from, to]) => from <= tf && to >= t)) continue;
    if (life.defunct.some(([when]) => when <= tf)) continue;
    if (retired.some((o) => o.node === node && o.data.config === cfg && stepTime(o) <= tf)) {
      continue;
    }
    const waiting = (unanswered.get(node) ?? []).filter((x) => x >= up && x <= t).length;
    if (waiting >= 64) continue;
    judged++;
    const redirect = redirected.get(`${node}|${m.from}|${seq}|${tf}`);
    if (redirect !== undefined && redirect.leader === release.from) continue;
    if (redirect !== undefined) {
      return { judged, problem: `${node} held ${m.from}'s request #${seq} (it arrived at ` +
        `t=${t}us, when its newest replica, of configuration ${cfg}, knew no leader) and ` +
        `redirected it when it first followed ${release.from} (its ` +
        `${release.kind.toUpperCase()} at t=${tf}us) naming ` +
        `${redirect.leader === undefined ? 'no leader' : redirect.leader}: a held request ` +
        `goes to the first leader the replica hears of` };
    }
    return { judged, problem: `${node} held ${m.from}'s request #${seq} (it arrived at ` +
      `t=${t}us, when its newest replica, of configuration ${cfg}, knew no leader) and did not ` +
      `redirect it when it first followed ${release.from} (its ${release.kind.toUpperCase()} ` +
      `at t=${tf}us): a held request goes to the first leader the replica hears of` };
  }
  return { judged, problem: null };
}

/**
 * The message record for the checks of how a machine answers a request (this one and
 * smart-new-config-at-once), or why a run cannot be judged: arrival must be handling (no cost
 * model) and a replica on disk must survive a boot (no amnesia, outside P1.1's model).
 */
export function requestRecord(run: RunRecord): readonly MessageFact[] | string {
  const messages = handledMessages(run);
  if (typeof messages === 'string') return messages;
  if (run.faults.some((f) => f.kind === 'restart' && f.amnesia === true)) {
    return 'amnesia: a replica on disk may be gone after a boot';
  }
  return messages;
}

export const smartFollowerRedirects: Property = {
  name: 'smart-follower-redirects',
  description: 'P1.4 step 1: a machine whose newest replica follows a known leader answers a ' +
    'request with REDIRECT when it handles it, not later, and one that knew no leader redirects ' +
    'it to the first leader it follows (judged from the message record)',
  protocols: ['smart'],
  check(run) {
    const messages = requestRecord(run);
    if (typeof messages === 'string') return skip(this.name, messages);
    const { judged, problem } = heldByFollower(run, messages);
    if (problem !== null) return fail(this.name, problem);
    const held = heldNotReleased(run, messages);
    if (held.problem !== null) return fail(this.name, held.problem);
    if (judged === 0 && held.judged === 0) {
      return skip(this.name, 'no request reached a follower that knew its leader, nor was held');
    }
    return pass(this.name, `${judged} request(s) reached a follower that knew its leader: ` +
      'each was answered with REDIRECT in the step that handled it; ' +
      `${held.judged} held request(s), each redirected to the first leader followed`);
  },
};
