/**
 * P2.6: capacity conflicts between groups are settled at the target node, "first reservation
 * wins; losers retry elsewhere". A node takes a JOIN only with room for it (`reservationProblems`
 * below). A node that refused a group's JOIN (no room: it took another group's) does not end
 * up hosting that group anyway. A primary that ignored the refusal kept
 * the node as a member, its heartbeats made the node adopt the group, and the node hosted both
 * groups while the one it had accepted gave up on it (mutation #3245 of the seed-19 sample:
 * every other property held).
 *
 * Evidence: the message record (the node's negative JoinAck, and the primary's JOINs) and the
 * node's own facts (`opb.join`, `opb.leave`, down intervals). After N refuses P's JOIN of
 * service σ, N may come to host σ again only through a later JOIN to it (one P or another
 * primary sends after the refusal, delivered or not: a lost JOIN's heartbeat adoption is the
 * same JOIN) or a later positive JoinAck from it; a replica adopted otherwise (from a heartbeat
 * that still names it) must be gone within the convergence bound (a heartbeat in flight before
 * the refusal may name it: the primary's next one, without it, makes it leave; since a node
 * without room refuses such a heartbeat too, that takes a node that had room again).
 *
 * The refusal binds the primary P it reached for T_cool: P drops N (reorg.ts onJoinAck) and
 * names it in nothing it sends for T_cool. A primary's heartbeat naming N is that primary's own
 * reservation (dispatch.ts adoptMissing: the JOIN analogue, refused again without room), so an
 * adoption counts as a later JOIN if P kept to that and the heartbeat came from another primary
 * Q (its membership is not P's after the refusal) or from P after T_cool (a merge on heal may
 * take N back then, as a JOIN may ask it again). Explore trial 997282 of
 * opb-bridge-loser-leaves: n13 merged n1 and n7 back from a loser, n1 refused for load at 3.10 s;
 * n13 dropped it, merged it again at 4.29 s (1.1 s later, T_cool 1 s) and n1, with room by
 * then, joined. Its shrunk run: n13 merged the loser n7, n7 refused; n13 dropped it, but n1, cut
 * off in a1 with n13's earlier membership, became primary and named n7, which then had room.
 *
 * Not judged: runs without a message record; a refusal lost on the way (the primary still
 * counts the node a member); a node that went down in between (its refusal and its later state
 * are of different lives).
 *
 * "Losers retry elsewhere" also binds the primary: once P has taken N's refusal of σ (its
 * `opb.move` fact, phase `refused`), P sends no JOIN of σ to N again within T_cool of the
 * refused one (the message record). A primary that asked the refusing node again at once kept
 * asking the full node instead of another (seed-35 mutant #3448: every other property held).
 * Not judged across a crash of P (the refusal is volatile) or on a clock-skewed P (cool-downs
 * run on node clocks).
 */
import type { MessageFact, RunRecord } from '../simulator/run-record.js';
import { buildWorld, CONVERGE_BOUND_US, skewedNode, type World } from './opb-world.js';
import { numberParam, stepOf, stepTime } from './run-values.js';
import { verdictOf, type Property } from './types.js';

const JOIN_ACK = /^JoinAck s(\d+) ok=(true|false)$/;
const JOIN = /^Join s(\d+) /;

export function joinRefusalProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  if (run.messages === undefined) return 'the run kept no message record';
  const world = buildWorld(run);
  const acks = acksOf(run.messages);
  const joins: Join[] = [];
  for (const m of run.messages) {
    const j = JOIN.exec(m.label);
    if (j !== null) joins.push({ sent: m.sent, from: m.from, to: m.to, svc: Number(j[1]) });
  }
  const coolUs = numberParam(run, 'coolUs', 1_500_000);
  const problems: string[] = retryProblems(world, joins, refusalsTaken(world, acks, coolUs));
  let judged = 0;
  // One refusal per node, service and instant: a node refuses a JOIN and the heartbeat naming
  // it a member that arrives with it alike (dispatch.ts adoptMissing), two JoinAcks of one act.
  const seen = new Set<string>();
  for (const refusal of acks) {
    // A refusal the primary never got leaves the node a member in its eyes: its heartbeats may
    // make the node adopt the group (explore-drawn trial 1274 of opb-join-refused, 17 % loss).
    if (refusal.ok || refusal.lost) continue;
    const { node, svc } = refusal;
    const key = `${node}|${svc}|${refusal.at}`;
    if (seen.has(key)) continue;
    seen.add(key);
    judged++;
    // Each joining of σ after the refusal, until a later JOIN or acceptance invites it.
    for (const joined of world.obs('opb.join')) {
      if (joined.node !== node || joined.data.service !== svc || joined.at < refusal.at) continue;
      const between = (at: number): boolean => at >= refusal.at && at <= joined.at;
      const invited = joins.some((j) => j.to === node && j.svc === svc && j.sent > refusal.at
        && j.sent <= joined.at)
        || acks.some((a) => a.ok && a.node === node && a.svc === svc && between(a.at))
        || reinvited(run, firstOfRun(acks, refusal, coolUs), joined.at,
          String(joined.data.primary), coolUs);
      const down = (world.down.get(node) ?? [])
        .some(([a, b]) => b >= refusal.at && a <= joined.at);
      if (invited || down) break;
      const deadline = joined.at + CONVERGE_BOUND_US;
      const left = world.obs('opb.leave').some((o) => o.node === node
        && o.data.service === svc && o.at >= joined.at && o.at <= deadline);
      const downAfter = (world.down.get(node) ?? [])
        .some(([a]) => a >= joined.at && a <= deadline);
      if (left || downAfter || deadline > run.endUs) continue;
      problems.push(`s${svc}: ${node} refused its JOIN at t=${refusal.at}us, then hosted it ` +
        `from t=${joined.at}us (joining from ${joined.data.primary}, no JOIN since) past ` +
        `${CONVERGE_BOUND_US}us`);
      break;
    }
  }
  return { problems, judged };
}

/** A JoinAck from `node` to `to`: sent `at`, arrived `got` (if not `lost`). */
interface Ack { readonly at: number; readonly got: number; readonly node: string;
  readonly to: string; readonly svc: number; readonly ok: boolean; readonly lost: boolean }

function acksOf(messages: readonly MessageFact[]): Ack[] {
  const acks: Ack[] = [];
  for (const m of messages) {
    const a = JOIN_ACK.exec(m.label);
    if (a !== null) {
      acks.push({ at: m.sent, got: m.at, node: m.from, to: m.to, svc: Number(a[1]),
        ok: a[2] === 'true', lost: m.drop !== null });
    }
  }
  return acks;
}

/**
 * The first of a run of N's refusals of σ reaching P, each within T_cool of the one before: P
 * takes the first and drops N, and the repeats (N refusing each heartbeat still in flight) reach
 * it after, so P's cool-down counts from the first (explore trial 997282: three refusals 50 ms
 * apart; the re-merge came only 8 ms after the last one's cool-down ended).
 */
function firstOfRun(acks: readonly Ack[], refusal: Ack, coolUs: number): Ack {
  let first = refusal;
  for (;;) {
    const before = acks.filter((a) => !a.ok && !a.lost && a.node === refusal.node
      && a.to === refusal.to && a.svc === refusal.svc && a.got < first.got
      && a.got >= first.got - coolUs);
    if (before.length === 0) return first;
    first = before.reduce((x, y) => (y.got < x.got ? y : x));
  }
}

/**
 * Whether N's joining at `at` from primary `q`'s heartbeat is a new reservation, not the refused
 * one: P (the refusal's receiver) named N a member of σ in nothing it sent for T_cool after the
 * refusal reached it (it dropped N), and the heartbeat came from another primary, or from P
 * once that cool-down was over (a merge may take N back then, as a JOIN may ask it again).
 */
function reinvited(run: RunRecord, refusal: Ack, at: number, q: string, coolUs: number):
  boolean {
  const { got, node, to: p, svc } = refusal;
  const hb = run.messages!.find((m) => m.from === q && m.to === node && m.at === at
    && m.drop === null && m.label.startsWith(`Hb s${svc} primary `));
  if (hb === undefined || (q === p && hb.sent <= got + coolUs)) return false;
  return !namedSince(run, p, svc, node, got, Math.min(at, got + coolUs));
}

const MEMBERS = /\bm\d+\[([^\]]*)\]/;

/**
 * Whether `p` sent a message naming `node` a member of σ within [from, to]: one of σ (heartbeat,
 * claim, update, transfer, JOIN) or a gossip whose claim of σ does.
 */
export function namedSince(run: RunRecord, p: string, svc: number, node: string, from: number,
  to: number): boolean {
  const inGossip = new RegExp(`[=,]s${svc}:[^,]*? m\\d+\\[([^\\]]*)\\]`);
  return run.messages!.some((m) => {
    if (m.from !== p || m.sent < from || m.sent > to) return false;
    const members = m.label.startsWith('Gossip ') ? inGossip.exec(m.label)
      : m.label.includes(` s${svc} `) ? MEMBERS.exec(m.label) : null;
    return members !== null && members[1]!.split(',').includes(node);
  });
}

interface Join { readonly sent: number; readonly from: string; readonly to: string;
  readonly svc: number }

/** A refusal P must have taken: N refused P's JOIN of σ, and it reached P at `at`. */
export interface Taken { readonly p: string; readonly add: string; readonly svc: number;
  readonly at: number; readonly coolUs: number }

/**
 * The refusals the run's primaries took (see `refusalsTaken`), for checks that bind a primary
 * to one for T_cool beyond its JOINs (opb-merge-union: its merge on heal leaves the node out).
 */
export function takenRefusals(run: RunRecord): Taken[] {
  if (run.messages === undefined) return [];
  return refusalsTaken(buildWorld(run), acksOf(run.messages),
    numberParam(run, 'coolUs', 1_500_000));
}

/**
 * The refusals P took, from two witnesses: P's own `opb.move` fact of phase `refused`, and,
 * independent of it, N's negative JoinAck reaching P (the message record) while P was primary
 * of σ, up, with a move adding N open since its start (no later move fact of P for σ, no role
 * change): the move's target refused, so P drops it (reorg.ts onJoinAck), and a primary that
 * failed to say so is still bound by it (seed-47 survivor #3703 removed the fact and the rule
 * then judged nothing). Not from the record under the cost model (arrival is not handling).
 */
function refusalsTaken(world: World, acks: readonly Ack[], coolUs: number): Taken[] {
  const taken: Taken[] = [];
  const moves = world.obs('opb.move');
  for (const o of moves) {
    if (o.data.phase !== 'refused' || o.data.add === null) continue;
    taken.push({ p: o.node, add: o.data.add, svc: o.data.service, at: stepTime(o),
      coolUs: o.data.coolUs });
  }
  // Under the cost model a node handles a message after it arrives, when the move may be over.
  for (const a of world.run.metrics.costs === undefined ? acks : []) {
    if (a.ok || a.lost) continue;
    const p = a.to;
    const last = moves.filter((o) => o.node === p && o.data.service === a.svc
      && stepTime(o) < a.got).at(-1);
    if (last === undefined || last.data.phase !== 'start' || last.data.add !== a.node) continue;
    const from = stepTime(last);
    const stepped = world.obs('opb.role').some((r) => r.node === p && r.data.service === a.svc
      && stepTime(r) > from && stepTime(r) <= a.got);
    const down = (world.down.get(p) ?? []).some(([x, y]) => y > from && x <= a.got);
    if (!stepped && !down) taken.push({ p, add: a.node, svc: a.svc, at: a.got, coolUs });
  }
  return taken;
}

/**
 * P's JOINs of σ to N within T_cool of the refused one. Timed from the refused JOIN's sending,
 * the start of the move it belonged to: a balancing move may start again T_cool after the
 * previous start (hysteresis), and may then pick N again (opb-diurnal-four seed 18: refused at
 * 5.517 s, the next consolidation at 6.5 s asks N again, which accepts). Each retry is
 * reported once, however many witnesses the refusal has.
 */
function retryProblems(world: World, joins: readonly Join[], taken: readonly Taken[]):
  string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const t of taken) {
    const { p, add, svc, at } = t;
    const toN = (j: Join): boolean => j.from === p && j.to === add && j.svc === svc;
    const refused = joins.filter((j) => toN(j) && j.sent <= at).at(-1);
    if (refused === undefined) continue;
    const again = joins.find((j) => toN(j) && j.sent > at && j.sent < refused.sent + t.coolUs);
    if (again === undefined) continue;
    const down = (world.down.get(p) ?? []).some(([a, b]) => b >= at && a <= again.sent);
    if (down || skewedNode(world, p, again.sent)) continue;
    const key = `${p}|${add}|${svc}|${refused.sent}|${again.sent}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(`s${svc}: ${add} refused ${p}'s JOIN sent at ` +
      `t=${refused.sent}us (taken at t=${at}us); ${p} sent it a JOIN again at ` +
      `t=${again.sent}us, within the cool-down ${t.coolUs}us (losers retry elsewhere)`);
  }
  return problems;
}

/**
 * "First reservation wins" at the node itself: a node takes a JOIN only with room, its load plus
 * one replica's standing cost (5 % of capacity, as the protocol counts it) within `highPct`, and
 * each JOIN it takes reserves that cost until its next load window closes (agent.ts onJoin). Its
 * load is a sum of non-negative shares, only a window's close lowers it, and a restart starts it
 * at 0, so at a JOIN it is at least the standing cost of the JOINs it took since its last window
 * closed in this life. A positive JoinAck that adds a replica (the node's `opb.join` fact of
 * that step) after n positive JoinAcks since then fails the rule when (n + 1) standing costs are
 * above `highPct`: the node had no room, and the second of two racing groups must lose (seed-48
 * survivor #175, `!room || stale` → `&&`: on opb-join-refused n10, with room for one replica,
 * took both groups' JOINs at 1.26 s, and no other check minded; declared `opb:join-without-room`).
 * Evidence: the JoinAcks of the message record (decided at their step), the times of the node's
 * `opb.load` facts (window closes, never their figures), its `opb.join` facts and boots. JoinAcks
 * of one instant count in the record's order. Not judged without a message record.
 */
export function reservationProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  if (run.messages === undefined) return 'the run kept no message record';
  const world = buildWorld(run);
  const cap = numberParam(run, 'capacityRps', 400);
  const high = numberParam(run, 'highPct', 80) * 10;
  const cost = Math.floor((Math.floor(cap / 20) * 1000) / cap);
  const taken: { at: number; node: string; svc: number }[] = [];
  // One reservation per node, service and step: a duplicated JOIN is answered twice (the second
  // by the replica the first made) and the network may copy an answer, but the step took room
  // once (explore trial 1260575 of opb-merge-refused counted n11's two answers to one JOIN, sent
  // twice, as two reservations).
  const acts = new Set<string>();
  for (const m of run.messages) {
    const a = JOIN_ACK.exec(m.label);
    if (a === null || a[2] !== 'true') continue;
    const at = stepOf(m);
    const key = `${m.from}|${a[1]}|${at}`;
    if (acts.has(key)) continue;
    acts.add(key);
    taken.push({ at, node: m.from, svc: Number(a[1]) });
  }
  const problems: string[] = [];
  let judged = 0;
  taken.forEach((t, i) => {
    const joined = world.obs('opb.join').some((o) => o.node === t.node
      && o.data.service === t.svc && stepTime(o) === t.at);
    if (!joined) return;
    judged++;
    let from = 0;
    for (const o of world.obs('opb.load')) {
      const at = stepTime(o);
      if (o.node === t.node && at <= t.at) from = Math.max(from, at);
    }
    for (const e of run.nodeEvents) {
      if (e.node === t.node && e.kind === 'up' && e.at <= t.at) from = Math.max(from, e.at);
    }
    const before = taken.slice(0, i).filter((u) => u.node === t.node && u.at >= from).length;
    if ((before + 1) * cost <= high) return;
    problems.push(`s${t.svc}: ${t.node} took its JOIN at t=${t.at}us after ${before} other ` +
      `JOIN(s) since its load window closed at t=${from}us: ${before + 1} x ${cost}‰ standing ` +
      `cost is above highPct ${high}‰ (no room; first reservation wins)`);
  });
  return { problems, judged };
}

export const opbJoinRefusal: Property = {
  name: 'opb-join-refusal',
  description: 'P2.6: a node takes a JOIN only with room for it, one that refused a group\'s ' +
    'JOIN does not end up hosting it without a later JOIN, and its primary retries elsewhere ' +
    'for T_cool (first reservation wins; losers retry elsewhere; message record, its own facts)',
  protocols: ['opb'],
  check(run: RunRecord) {
    const r = joinRefusalProblems(run);
    const room = reservationProblems(run);
    if (typeof r === 'string') return { property: this.name, status: 'skip', message: r };
    const taken = typeof room === 'string' ? 0 : room.judged;
    const problems = [...(typeof room === 'string' ? [] : room.problems), ...r.problems];
    return verdictOf(this.name, problems, { judged: r.judged, taken },
      `${r.judged} refused JOINs, no refusing node hosting the group without a later JOIN; ` +
      `${taken} JOINs taken, each with room`);
  },
};
