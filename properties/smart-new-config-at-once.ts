/**
 * SMART P1.6 step 4: a replica whose configuration's range is full tells a client the newest
 * configuration (NEW-CONFIGURATION) instead of taking its request. A machine whose newest
 * replica knows no leader (a candidate, or a follower that lost or never had one) holds a
 * request for the first leader it hears of (releaseHeld, P1.4 step 1); but when an older replica
 * on that machine still leads a configuration whose range is full, the client may know only
 * that older configuration and reach no other node, so the machine answers NEW-CONFIGURATION in
 * the step that first holds the request (explore seeds 680149 and 952098). Stryker #5734 of the
 * seed-45 sample (`smart:new-config-on-resend`) told the client only when its resend found the
 * request already held: one request timeout later, and every other check held.
 *
 * Judged from the message record, the reply record and facts that are not the answer itself,
 * for a REQUEST (or the operator's MIGRATE) delivered to machine M and handed to step k at t:
 * - M's newest replica, of configuration N, is the highest `replica` fact it had at t (as in
 *   smart-follower-redirects: lost ones while in memory, none started at t itself, none retired
 *   by a `defunct` fact of N or above, nor a `retire` fact of N by t);
 * - M does not lead N at t: since its last boot, no `leader` fact of N (recorded or lost with a
 *   crash) by t and no PROPOSE or HEARTBEAT of N sent by M by t. So the newest replica is a
 *   candidate or a follower, and the request is either held or answered REDIRECT;
 * - an older configuration C < N that M leads at ballot B with its range full, at t:
 *   - M executed the MIGRATE that created C+1 since its last boot (its `cfg` fact of C+1 before
 *     t), so its table knows LastSlot_C = FirstSlot_{C+1} − 1;
 *   - before t, M proposed slot LastSlot_C in C at ballot B (its `propose` fact), or was elected
 *     in C at B with its first slot past LastSlot_C (its `leader` fact's `start`): a leader's
 *     next slot only rises while it leads;
 *   - from then to t no PROPOSE, HEARTBEAT or ELECT of C above B reached M (a leader leaves
 *     its role only on meeting a higher ballot, replica.ts follow; a PREEMPT leaves a leader
 *     alone), the instant t included;
 *   - M was never down, paused or corrupted from the first of these facts to t;
 * - the request is the first copy of its (client, sequence number) that reached M since M's
 *   last boot (by step number, copies at one instant included): a copy already held is not
 *   told again, and held lists do not survive a boot.
 * Then step k sends the client a REDIRECT-type reply (the simulator's reply record, matched by
 * step number): NEW-CONFIGURATION if the newest replica knows no leader, the plain REDIRECT to
 * its leader if it follows one (the reply record cannot tell them apart; either tells the client
 * where to go in that step, and P1 allows nothing less).
 *
 * Not judged, since the spec excuses them or the evidence cannot say: runs without a message
 * record (sweep, explore without --record), with the cost model (a busy node handles a message
 * after its arrival) or with an amnesia fault (outside P1.1's model); a delivery not handed to a
 * step on arrival; a machine down, paused or corrupted between the evidence and the later
 * message; a resent copy (it may be held already); an older leader whose range became full, or
 * whose table learned C+1, only through a state copy or at a boot (no fact says when); a newest
 * replica M ever led since its boot, or one started at the request's own instant.
 */
import type { MessageFact, RunRecord } from '../simulator/run-record.js';
import { droppedRecord } from './dropped.js';
import {
  lastUp, newestReplica, nodeLives, requestRecord, type NodeLife,
} from './smart-follower-redirects.js';
import {
  cfgFacts, configurations, fail, leaderships, pass, proposals, retirements, skip, stepTime,
} from './smart-observations.js';
import { pushTo, stepOf } from './run-values.js';
import type { Property } from './types.js';

/** The ballot span of protocol/smart/util.ts: a ballot is round·1024 + the node's index. */
const BALLOT_SPAN = 1024;
const BALLOT_MSG = /^(Propose|Heartbeat|Elect) c=(\d+) b=(\d+)\.(\d+)/;
const REQUEST = /^(?:Request #(\d+) |Operator #(\d+) migrate )/;

const showBallot = (b: number): string => `${Math.floor(b / BALLOT_SPAN)}.${b % BALLOT_SPAN}`;

/** Per `node|config`: ballots that reach it from others, and what it sent as a leader. */
function ballotsMet(messages: readonly MessageFact[]): { met: Map<string, [number, number][]>;
  led: Map<string, number[]> } {
  const met = new Map<string, [number, number][]>();
  const led = new Map<string, number[]>();
  for (const m of messages) {
    const hit = BALLOT_MSG.exec(m.label);
    if (hit === null) continue;
    const [, kind, cfg, round, idx] = hit;
    if (kind !== 'Elect') pushTo(led, `${m.from}|${cfg}`, stepOf(m));
    if (m.drop !== null || m.from === m.to) continue;
    pushTo(met, `${m.to}|${cfg}`, [m.at, Number(round) * BALLOT_SPAN + Number(idx)]);
  }
  return { met, led };
}

/** An older configuration the machine led at `t` with its range full, and the evidence. */
interface FullLeader { readonly cfg: number; readonly ballot: number; readonly last: number;
  readonly fullAt: number; readonly how: 'proposed' | 'elected' }

/** Counts of what was judged, and the first request held without NEW-CONFIGURATION, or null. */
export function heldUntold(run: RunRecord, messages: readonly MessageFact[]):
  { judged: number; problem: string | null } {
  const lives = nodeLives(run);
  const dropped = droppedRecord(run);
  const { table } = configurations(run);
  const { met, led } = ballotsMet(messages);
  // Per node|config: when it executed the MIGRATE creating that configuration.
  const created = new Map<string, number[]>();
  for (const o of [...cfgFacts(run), ...cfgFacts(dropped)]) {
    pushTo(created, `${o.node}|${o.data.config}`, stepTime(o));
  }
  const lastOf = (cfg: number): number | null => {
    const next = table.get(cfg + 1);
    return next === undefined ? null : next.first - 1;
  };
  // Per node|config: when it was elected, and the evidence that its range was full (a proposal
  // of the range's last slot, or an election whose first slot is past it), as [time, ballot].
  const elected = new Map<string, number[]>();
  const full = new Map<string, [number, number, FullLeader['how']][]>();
  for (const o of [...leaderships(run), ...leaderships(dropped)]) {
    const d = o.data;
    pushTo(elected, `${o.node}|${d.config}`, stepTime(o));
    const last = lastOf(d.config);
    if (last !== null && d.start > last) {
      pushTo(full, `${o.node}|${d.config}`, [stepTime(o), d.ballot, 'elected']);
    }
  }
  for (const o of [...proposals(run), ...proposals(dropped)]) {
    const d = o.data;
    if (d.slot === lastOf(d.config)) {
      pushTo(full, `${o.node}|${d.config}`, [stepTime(o), d.ballot, 'proposed']);
    }
  }
  const retired = [...retirements(run), ...retirements(dropped)];
  // Per node|client|seq: the steps (or times, when a delivery names no step) copies reached it.
  const copies = new Map<string, { at: number; step: number }[]>();
  for (const m of messages) {
    const hit = REQUEST.exec(m.label);
    if (hit === null || m.drop !== null) continue;
    pushTo(copies, `${m.to}|${m.from}|${hit[1] ?? hit[2]}`, { at: m.at, step: m.step ?? -1 });
  }
  const redirected = new Set(run.replies.filter((r) => r.outcome === 'redirect')
    .map((r) => `${r.node}|${r.to}|${r.seq}|${r.step}`));
  const nodes = new Set(run.endpoints.filter((e) => !e.client).map((e) => e.name));

  /** An older configuration M led at `t` with its range full, or null. */
  const fullLeader = (node: string, newest: number, t: number, up: number, life: NodeLife):
    FullLeader | null => {
    for (let cfg = newest - 1; cfg >= 1; cfg--) {
      const last = lastOf(cfg);
      if (last === null) continue;
      const knew = (created.get(`${node}|${cfg + 1}`) ?? []).filter((x) => x > up && x < t);
      if (knew.length === 0) continue;
      const gone = retired.some((o) => o.node === node && o.data.config === cfg
        && stepTime(o) <= t) || life.defunct.some(([when, c]) => when <= t && c >= cfg);
      if (gone) continue;
      for (const [fullAt, ballot, how] of full.get(`${node}|${cfg}`) ?? []) {
        if (fullAt <= up || fullAt >= t) continue;
        // Deposed only by a higher ballot of C reaching it (PROPOSE, HEARTBEAT, ELECT), or a
        // boot; the instant t itself counts, as its order is not recorded.
        const higher = (met.get(`${node}|${cfg}`) ?? []).some(([at, b]) => b > ballot
          && at >= fullAt && at <= t);
        if (higher) continue;
        const from = Math.min(fullAt, ...knew);
        if (life.off.some(([a, b]) => a <= t && b >= from)) continue;
        return { cfg, ballot, last, fullAt, how };
      }
    }
    return null;
  };

  let judged = 0;
  for (const m of messages) {
    const hit = REQUEST.exec(m.label);
    if (hit === null || m.drop !== null || !nodes.has(m.to) || m.step === undefined) continue;
    const node = m.to;
    const seq = Number(hit[1] ?? hit[2]);
    const life = lives.get(node);
    if (life === undefined) continue;
    const t = m.at;
    const up = lastUp(life, t);
    if (life.off.some(([a, b]) => a <= t && b >= t)) continue;
    const newest = newestReplica(life, t, up);
    if (typeof newest === 'string' || newest < 2) continue;
    if (retired.some((o) => o.node === node && o.data.config === newest && stepTime(o) <= t)) {
      continue;
    }
    // M does not lead its newest configuration: never elected in it, nor sent as its leader,
    // since its boot.
    if ((elected.get(`${node}|${newest}`) ?? []).some((at) => at >= up && at <= t)) continue;
    if ((led.get(`${node}|${newest}`) ?? []).some((at) => at >= up && at <= t)) continue;
    // The first copy since the boot and since the newest replica started: held lists belong
    // to a replica, and do not survive a boot.
    const since = Math.max(up, ...life.starts.filter(([when, c, durable]) => c === newest
      && when <= t && (durable || when > up)).map(([when]) => when));
    const step = m.step;
    const earlier = (copies.get(`${node}|${m.from}|${seq}`) ?? []).some((c) => c.at >= since
      && c.at <= t && (c.at < t || c.step < 0 || c.step < step));
    if (earlier) continue;
    const lead = fullLeader(node, newest, t, up, life);
    if (lead === null) continue;
    judged++;
    if (redirected.has(`${node}|${m.from}|${seq}|${step}`)) continue;
    const why = lead.how === 'proposed'
      ? `proposed slot ${lead.last}, the range's last,`
      : `was elected past slot ${lead.last}, the range's last,`;
    return { judged, problem: `${node} held ${m.from}'s request #${seq} (first reached it at ` +
      `t=${t}us, step ${step}) without answering NEW-CONFIGURATION in that step, although it ` +
      `did not lead its newest replica (configuration ${newest}) and its replica of ` +
      `configuration ${lead.cfg} led a full range: it ${why} at ballot ` +
      `${showBallot(lead.ballot)} at t=${lead.fullAt}us, and no higher ballot reached it ` +
      'since (P1.6 step 4)' };
  }
  return { judged, problem: null };
}

export const smartNewConfigAtOnce: Property = {
  name: 'smart-new-config-at-once',
  description: 'P1.6 step 4: a machine that first holds a request while an older replica of ' +
    'its leads a full range answers NEW-CONFIGURATION in that step, not at the client\'s ' +
    'resend (judged from the message record)',
  protocols: ['smart'],
  check(run) {
    const messages = requestRecord(run);
    if (typeof messages === 'string') return skip(this.name, messages);
    const { judged, problem } = heldUntold(run, messages);
    if (problem !== null) return fail(this.name, problem);
    if (judged === 0) {
      return skip(this.name, 'no request first reached a machine whose newest replica it did ' +
        'not lead while an older one led a full range');
    }
    return pass(this.name, `${judged} request(s) first reached a machine whose older replica ` +
      'led a full range and whose newest it did not lead: each was answered with a redirect ' +
      'in the step that handled it', { judged });
  },
};
