/**
 * C8's overload half (P2.6 #2, issue 10): a node whose load stays above H (`highPct`, where the
 * design balances) while one of its primaries could move to a node with room under Cmax
 * (`cmaxPct`) must start a move within T_cool + T_mig + 2 load windows + a gossip period.
 * k, H, Cmax, T_cool, the window and the capacity come from the run; T_mig is the longest move
 * the run completed (start to done).
 *
 * Load is recomputed from independent evidence, never from the nodes' own `opb.load` reports
 * (only their times, the window boundaries, are used): the clients' history gives each service's
 * request rate (the key names its service), the role observations say which node was primary
 * of which service, and the digests which replicas a node hosted. The overloaded node's load is
 * a lower bound (only services it was primary of for the whole window, only requests called
 * early enough to arrive in it); a target's load is an upper bound over its windows of the last
 * three gossip periods (the age of what the deciding primary may know of it). Only calm time is
 * judged: every node up, no cut, no perturbation, and Δ_conv after the last fault changed.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { segments, targetedWindows, type Segment } from './fault-state.js';
import { buildWorld, CONVERGE_BOUND_US, type World } from './opb-world.js';
import { onceEach } from './memo.js';
import { verdictOf, type Property } from './types.js';
import { countBelow, numberParam, pushTo } from './run-values.js';

/** Slack for a request to reach its primary after the client called it (a few hops). */
export const ARRIVE_US = 50_000;
/** Forwards a request may take (protocol/optimistic/node.ts `route`: at most 3 hops). */
const FORWARDS = 3;

/**
 * The run's arrival slack: `ARRIVE_US`, plus the longest PCT hold for each forward. PCT holds a
 * low-priority sender's messages by up to `holdUs` per rank: explore trial 1730461 of
 * opb-diurnal (PCT depth 4, 4 ms) counted 19 calls of s1 for n4's window closing at 3.5 s, 300‰
 * (at Lw), but n1's forwards to n4 took 77-86 ms, three reached n4 after 3.5 s, and n4 executed
 * 18 in that window, 286‰ (below Lw, so its gather was right).
 */
export function arriveUs(run: RunRecord): number {
  return ARRIVE_US + FORWARDS * run.metrics.longestHoldUs;
}
/** A standing replica's share (5 % of capacity): slack for a target's view going stale. */
const MARGIN_PM = 50;

/** The service of a key, as P2.1 names it: the prefix `s{i}` before '/', else service 0. */
export function serviceOfKey(key: string, services: number): number {
  const m = /^s(\d+)\//.exec(key);
  return m === null ? 0 : Number(m[1]) % services;
}

/** What the load checks read (this file's and opb-room.ts's). */
export interface Ctx {
  readonly world: World;
  readonly cap: number;
  readonly win: number;
  /** The run's arrival slack (`arriveUs`). */
  readonly arrive: number;
  /** Per service, the clients' call times, sorted. */
  readonly calls: ReadonlyMap<number, readonly number[]>;
  /** Per "node|service", role changes in order: [at, primary?]. */
  readonly roles: ReadonlyMap<string, readonly (readonly [number, boolean])[]>;
}

/** Once per run: `opb-c8-overload` and `opb-c8-room` read the same view. */
export const context = onceEach((run: RunRecord): Ctx => {
  const world = buildWorld(run);
  const services = Math.max(1, numberParam(run, 'services', 1));
  const calls = new Map<number, number[]>();
  for (const op of run.history.ops) pushTo(calls, serviceOfKey(op.input.key, services), op.call);
  for (const list of calls.values()) list.sort((a, b) => a - b);
  const roles = new Map<string, [number, boolean][]>();
  for (const o of world.obs('opb.role')) {
    pushTo(roles, `${o.node}|${o.data.service}`, [o.at, o.data.role === 'primary']);
  }
  for (const e of run.nodeEvents) {
    if (e.kind !== 'down') continue;
    for (const svc of world.services) pushTo(roles, `${e.node}|${svc}`, [e.at, false]);
  }
  for (const list of roles.values()) list.sort((a, b) => a[0] - b[0]);
  return { world, cap: numberParam(run, 'capacityRps', 400),
    win: numberParam(run, 'windowUs', 250_000), arrive: arriveUs(run), calls, roles };
});

/** Calls of `svc` in [from, to). */
export function callsIn(c: Ctx, svc: number, from: number, to: number): number {
  const list = c.calls.get(svc) ?? [];
  return Math.max(0, countBelow(list, to) - countBelow(list, from));
}

/** Whether `node` was primary of `svc` at every instant of [from, to] (`all`) or at some. */
export function primaryIn(c: Ctx, node: string, svc: number, from: number, to: number,
  all: boolean): boolean {
  let at = false;
  let some = false;
  let every = true;
  for (const [t, p] of c.roles.get(`${node}|${svc}`) ?? []) {
    if (t <= from) { at = p; continue; }
    if (t > to) break;
    if (p) some = true; else every = false;
  }
  return all ? at && every : at || some;
}

/** Services `node` sent a digest for in [from, to]. */
export function hostedIn(c: Ctx, node: string, from: number, to: number): Set<number> {
  const out = new Set<number>();
  for (const svc of c.world.services) {
    const list = c.world.digests.get(`${node}|${svc}`) ?? [];
    if (list.some((d) => d.at >= from && d.at <= to)) out.add(svc);
  }
  return out;
}

/** A node's load in per mille, as the protocol computes it from per-replica request rates. */
export function permille(c: Ctx, counts: readonly number[], hosted: number): number {
  let rps = hosted * Math.floor(c.cap / 20);
  for (const n of counts) rps += Math.floor((n * 1_000_000) / c.win);
  return Math.floor((rps * 1000) / c.cap);
}

/** Lower bound of `node`'s load in the window closing at `to`; its whole-window primaries. */
export function lowerLoad(c: Ctx, node: string, to: number):
  { load: number; primaries: number[] } {
  const from = to - c.win;
  const hb = numberParam(c.world.run, 'hbUs', 50_000);
  const early = hostedIn(c, node, from, from + 2 * hb);
  const late = hostedIn(c, node, to - 2 * hb, to);
  const hosted = [...early].filter((s) => late.has(s)).length;
  const primaries = c.world.services
    .filter((svc) => primaryIn(c, node, svc, from - c.arrive, to, true));
  const counts = primaries.map((svc) => callsIn(c, svc, from, to - c.arrive));
  return { load: permille(c, counts, hosted), primaries };
}

/** Upper bound of `node`'s load in the window closing at `to`. */
function upperLoad(c: Ctx, node: string, to: number): number {
  const from = to - c.win;
  const counts = c.world.services
    .filter((svc) => primaryIn(c, node, svc, from - c.arrive, to, false))
    .map((svc) => callsIn(c, svc, from - c.arrive, to));
  return permille(c, counts, hostedIn(c, node, from, to).size);
}

/** Window ends of `node` (the times of its load reports: only the times are used). */
export function windowEnds(c: Ctx, node: string): number[] {
  return c.world.obs('opb.load').filter((o) => o.node === node).map((o) => o.at);
}

/** Highest upper-bound load of `node` over its windows ending in [from, to]. */
function recentUpper(c: Ctx, ends: ReadonlyMap<string, readonly number[]>, node: string,
  from: number, to: number): number {
  let worst = 0;
  for (const t of ends.get(node) ?? []) {
    if (t >= from && t <= to) worst = Math.max(worst, upperLoad(c, node, t));
  }
  return worst;
}

/**
 * Calm stretches [from, to): every node up, no cut, no perturbation, no targeted message fault,
 * merged across segments. A targeted drop or delay (of transfers, say) is a fault like a cut:
 * a backup whose transfers it dropped catches up only after it (explore seed 703633: judged
 * 80 ms after a drop of transfers ended, a joining backup still waited for its retry).
 */
export function calmStretches(run: RunRecord, nodes: number): [number, number][] {
  const out: [number, number][] = [];
  const calm = (g: Segment): boolean => g.live.size === nodes && g.cut.size === 0 && !g.perturbed;
  for (const g of segments(run)) {
    const last = out[out.length - 1];
    if (!calm(g)) continue;
    if (last !== undefined && last[1] === g.from) last[1] = g.to;
    else out.push([g.from, g.to]);
  }
  return targetedWindows(run).reduce<[number, number][]>((stretches, [a, b]) => stretches.flatMap(
    ([from, to]): [number, number][] => {
      if (b <= from || a >= to) return [[from, to]];
      return [...(a > from ? [[from, a] as [number, number]] : []),
        ...(b < to ? [[b, to] as [number, number]] : [])];
    }), out);
}

/** Longest completed move of the run (start to done), per P2.6 make-before-break. */
export function longestMoveUs(world: World): number {
  const started = new Map<string, number>();
  let worst = 0;
  for (const o of world.obs('opb.move')) {
    const key = `${o.data.service}|${o.node}|${o.data.add ?? ''}`;
    if (o.data.phase === 'start') started.set(key, o.at);
    const at = started.get(key);
    if (o.data.phase === 'done' && at !== undefined) worst = Math.max(worst, o.at - at);
  }
  return worst;
}

/** A primary of `node` and a node with room for it under Cmax, if any (else null). */
function admissibleMove(c: Ctx, ends: ReadonlyMap<string, readonly number[]>, node: string,
  primaries: readonly number[], to: number): string | null {
  const run = c.world.run;
  const cmax = numberParam(run, 'cmaxPct', 67) * 10;
  const stale = 3 * numberParam(run, 'gossipUs', 250_000);
  for (const svc of primaries) {
    const digest = [...(c.world.digests.get(`${node}|${svc}`) ?? [])].reverse()
      .find((d) => d.at <= to);
    if (digest === undefined) continue;
    const usedDcs = new Set(digest.members.map((m) => c.world.dcOf.get(m)));
    const need = permille(c, [callsIn(c, svc, to - c.win - c.arrive, to)], 0);
    for (const t of c.world.nodes) {
      if (t === node || usedDcs.has(c.world.dcOf.get(t))) continue;
      const load = recentUpper(c, ends, t, to - stale - c.win, to);
      if (load + need + MARGIN_PM <= cmax) {
        return `s${svc} (${need}‰) could go to ${t} (at most ${load}‰)`;
      }
    }
  }
  return null;
}

/** Moves `node` started (any kind: a handoff, a spread, a repair), and primary roles it left. */
function actionTimes(world: World, node: string): number[] {
  const moves = world.obs('opb.move')
    .filter((o) => o.node === node && o.data.phase === 'start').map((o) => o.at);
  const left = world.obs('opb.role')
    .filter((o) => o.node === node && o.data.role !== 'primary').map((o) => o.at);
  return [...moves, ...left].sort((a, b) => a - b);
}

export function overloadProblems(run: RunRecord): { problems: string[]; worstUs: number } {
  const problems: string[] = [];
  if (run.params['balance'] !== true || run.params['reorg'] === false) {
    return { problems, worstUs: 0 };
  }
  const c = context(run);
  const high = numberParam(run, 'highPct', 80) * 10;
  const bound = numberParam(run, 'coolUs', 1_500_000) + longestMoveUs(c.world) + 2 * c.win
    + numberParam(run, 'gossipUs', 250_000);
  const ends = new Map(c.world.nodes.map((n) => [n, windowEnds(c, n)] as const));
  const stretches = calmStretches(run, c.world.nodes.length);
  let worstUs = 0;
  for (const node of c.world.nodes) {
    const acts = actionTimes(c.world, node);
    let since: number | null = null;
    for (const to of ends.get(node) ?? []) {
      const from = to - c.win;
      const calm = stretches.some(([a, b]) => from >= (a === 0 ? 0 : a + CONVERGE_BOUND_US)
        && to < b);
      const lower = calm ? lowerLoad(c, node, to) : null;
      const move = lower !== null && lower.load > high + MARGIN_PM
        ? admissibleMove(c, ends, node, lower.primaries, to) : null;
      if (move === null) {
        since = null;
        continue;
      }
      const start: number = since ?? from;
      // A move restarts the clock: the next one may wait for the budget of the next window.
      const clock = acts.filter((t) => t > start && t <= to).pop() ?? start;
      since = clock;
      worstUs = Math.max(worstUs, to - clock);
      if (to - clock > bound) {
        problems.push(`${node} above ${high}‰ (at least ${lower!.load}‰) since t=${clock}us, ` +
          `no move for ${to - clock}us (bound ${bound}us): ${move}`);
        since = null;
      }
    }
  }
  return { problems, worstUs };
}

export const opbOverload: Property = {
  name: 'opb-c8-overload',
  description: 'C8: a node above H (load recomputed from the clients\' requests) whose primary ' +
    'could move to a node with room under Cmax starts a move within T_cool + T_mig + 2 windows ' +
    '+ a gossip period',
  protocols: ['opb'],
  completeRunOnly: true,
  check(run: RunRecord) {
    const { problems, worstUs } = overloadProblems(run);
    return verdictOf(this.name, problems, { overloadWithRoomUs: worstUs },
      'no overloaded node kept a movable primary too long');
  },
};
