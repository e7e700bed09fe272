/**
 * C8's other half (P2.6 #2): load balancing moves a primary or a replica only onto a node with
 * room for it under Cmax (`cmaxPct`). A balance that moves onto a node it overloads keeps every
 * other check green: the receiving node passes the service on after its cool-down, or no node
 * has room, which `opb-c8-overload` excuses (mutation #418 of the seed-33 sample added the
 * service's load with the wrong sign; a helper session found the rule and its margins).
 *
 * Evidence as for `opb-c8-overload`, never the nodes' own load figures (only the times of their
 * `opb.load` reports, the window boundaries): the target's load is a lower bound rebuilt from
 * the clients' requests, the role facts and the digests; the service's need is a lower bound of
 * its requests in the mover's window that closed at the decision (a balance decision runs right
 * after that window closes). The mover may decide on gossip up to three periods old plus one
 * period of delivery slack, about the target's last closed window then, so the target's bound
 * is the least over every window ending in that span. A move fails the rule when even that
 * least bound plus the need is above Cmax: whatever the mover knew, the target had no room.
 * Judged: `balance`, `spread` and `handback` moves (a `balance` handoff of the role, a `spread`
 * of a replica, the role handed back to a recovered top-priority member, which with `balance`
 * waits for room too) whose look-back lies in calm time (as `opb-c8-overload`), onto a
 * powered-on node. Mutation #589 of the seed-31 sample handed back regardless of room.
 * With `power` on, power-saving gathers (`consolidate`) too, P2.6 #3 gathers "such that each
 * stays ≤ Cmax": a gathered backup needs one replica's standing cost (5 % of the run's
 * capacityRps, as the protocol counts it), a primary role handed to a fuller node the service's
 * rate as above. Mutation #1105 of the seed-47 sample gathered only onto nodes above Cmax
 * (opb:consolidate-over-cmax; a busy target's lower bound is high only beside a hot service).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { CONVERGE_BOUND_US } from './opb-world.js';
import {
  calmStretches, callsIn, context, lowerLoad, permille, primaryIn, windowEnds,
  type Ctx,
} from './opb-overload.js';
import { numberParam, stepTime } from './run-values.js';
import { verdictOf, type Property } from './types.js';

const BALANCING: ReadonlySet<string> = new Set(['balance', 'spread', 'handback']);

/** Lower bound of `svc`'s rate (‰) that `node` measured in its window closing at `to`. */
function needOf(c: Ctx, node: string, svc: number, to: number): number {
  const from = to - c.win;
  // The move may end the role at `to` itself (a handoff decided as the window closed).
  if (!primaryIn(c, node, svc, from - c.arrive, to - 1, true)) return 0;
  return permille(c, [callsIn(c, svc, from, to - c.arrive)], 0);
}

/** Whether the run judges a move of `kind`: balancing ones with `balance`, gathers with `power`. */
function judgedKind(run: RunRecord, kind: string): boolean {
  if (kind === 'consolidate') return run.params['power'] === true;
  return BALANCING.has(kind) && run.params['balance'] === true;
}

/** Whether `node` was powered on at `t` (by its own power facts; on from boot). */
function poweredOn(c: Ctx, node: string, t: number): boolean {
  let on = true;
  for (const o of c.world.obs('opb.power')) if (o.node === node && o.at <= t) on = o.data.on;
  return on;
}

export function roomProblems(run: RunRecord): { problems: string[]; judged: number } {
  const problems: string[] = [];
  let judged = 0;
  if (run.params['reorg'] === false) return { problems, judged };
  const c = context(run);
  const cmax = numberParam(run, 'cmaxPct', 67) * 10;
  const lookBackUs = 4 * numberParam(run, 'gossipUs', 250_000) + c.win;
  const stretches = calmStretches(run, c.world.nodes.length);
  const ends = new Map(c.world.nodes.map((n) => [n, windowEnds(c, n)] as const));
  for (const o of c.world.obs('opb.move')) {
    const d = o.data;
    if (d.phase !== 'start' || !judgedKind(run, d.kind) || d.add === null) continue;
    const t = stepTime(o);
    const look = t - lookBackUs;
    const calm = stretches.some(([a, b]) =>
      look - c.win - c.arrive >= (a === 0 ? 0 : a + CONVERGE_BOUND_US) && t < b);
    if (!calm || !poweredOn(c, d.add, t)) continue;
    const seen = (ends.get(d.add) ?? []).filter((e) => e >= look && e <= t);
    if (seen.length === 0 || !(ends.get(o.node) ?? []).includes(t)) continue;
    judged++;
    const target = Math.min(...seen.map((e) => lowerLoad(c, d.add!, e).load));
    // A gathered backup costs its standing share; a role handed over, the service's rate.
    const backup = d.kind === 'consolidate' && d.drop !== o.node;
    const need = backup ? permille(c, [], 1) : needOf(c, o.node, d.service, t);
    if (target + need > cmax) {
      problems.push(`s${d.service}: ${o.node}'s ${d.kind} move to ${d.add} at t=${t}us: ` +
        `${d.add} had at least ${target}‰ in every window ${o.node} could know of and ` +
        `s${d.service} needs at least ${need}‰: ${target + need}‰ > Cmax ${cmax}‰`);
    }
  }
  return { problems, judged };
}

export const opbRoom: Property = {
  name: 'opb-c8-room',
  description: 'C8, P2.6 #2-#3: a balancing or power-saving move goes only onto a node with ' +
    'room under Cmax (loads recomputed from the clients\' requests, never the nodes\' reports)',
  protocols: ['opb'],
  completeRunOnly: true,
  check(run: RunRecord) {
    const { problems, judged } = roomProblems(run);
    return verdictOf(this.name, problems, { judged },
      `${judged} balancing or power-saving moves, each onto a node with room under Cmax`);
  },
};
