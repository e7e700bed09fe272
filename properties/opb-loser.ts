/**
 * P2.5's other half: "one total order decides everywhere ... **losers** step down". opb-dominance
 * judges that the dominated primary of two that meet steps down in time; this judges that the one
 * stepping down as a conflict's loser (`opb.role` reason `lost`) was dominated: some claim that
 * beats its own, by the spec's order (opb-dominance.ts `dominates`: membership version, rank in
 * the claim's own membership, epoch, node id), was made by a primary around then. A replica that
 * yields to a claim its own beats (a wrong order, say epochs before ranks) hands the service to
 * the wrong side: the other side's history survives and its own becomes orphans. The hand-back
 * to the top-priority member can hide that from every other check.
 *
 * Evidence: the loser's claim is its latest digest as primary before it stepped down (a later
 * re-claim only raises it); the candidate winners are every digest of another replica as primary,
 * and every claim a primary made for its successor at a planned handoff (`opb.handoff`: relayed
 * on its heartbeats before the successor claims, explore seed 860107 of opb-lost-handoff-silent,
 * where the HANDOFF itself was lost), from 2·T_fd + 250 ms before the step-down (a relayed
 * claim may be that old) to two digest periods after it (a claim heard then was made before it).
 * A pause, a timing fault or a targeted message fault lets a claim be relayed or delivered later
 * still: a window that reaches into one reaches back to 2·T_fd + 250 ms before its start
 * (explore seed 700196 of opb-recovered-freshest: n9, paused 1 s, relayed its crashed primary's
 * rank-0 claim on resuming, and the rank-3 primary rightly yielded to it). Not judged from the
 * run's first corruption on (claims scrambled outright), nor when the loser became primary after
 * its last digest (its claim is then unknown).
 *
 * Times are those of the steps: a fact stamped late, because it waited behind a slow disk write
 * of its node, held in memory from its step on, and the claim it shows was on the wire from then
 * (explore trial 921702 of opb-asymmetric: n5's disk was slow; its repair at 1.5 s made it
 * primary of membership version 1 and its gossip carried that claim at once, n1 yielded to it at
 * 1.513 s, but n5's digests of that claim were stamped at 1.615 s, past the window). A claim
 * counts when the span from its step to its stamp meets the window.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { segments } from './fault-state.js';
import { dominates, type ClaimSeen } from './opb-dominance.js';
import { buildWorld, latestAt, nodeFacts, SAMPLE_US, STALE_US, type World } from './opb-world.js';
import { numberParam, stepTime } from './run-values.js';
import { verdictOf, type Property } from './types.js';

/** A claim held from the step `from` (in memory) to at least the stamp `at` (recorded). */
interface Seen { readonly from: number; readonly at: number; readonly claim: ClaimSeen }

/** Stretches in which claims may travel late: pauses, timing faults, targeted message faults. */
function lateStretches(world: World): [number, number][] {
  const run = world.run;
  const out: [number, number][] = segments(run).filter((g) => g.perturbed)
    .map((g) => [g.from, g.to]);
  for (const f of run.faults) if (f.kind === 'targeted') out.push([f.at, f.untilUs]);
  for (const p of nodeFacts(world, 'paused')) {
    const back = nodeFacts(world, 'resumed', p.at).find((r) => r.node === p.node);
    out.push([p.at, back?.at ?? run.endUs]);
  }
  return out;
}

/** How far back a claim heard at `at` may have been made. */
function windowStart(at: number, lookBack: number, late: readonly [number, number][]): number {
  let from = at - lookBack;
  for (let changed = true; changed;) {
    changed = false;
    for (const [a, b] of late) {
      if (b >= from && a < at && a - lookBack < from) { from = a - lookBack; changed = true; }
    }
  }
  return from;
}

export function loserProblems(run: RunRecord): { problems: string[]; judged: number } {
  const world = buildWorld(run);
  const before = nodeFacts(world, 'corrupted')[0]?.at ?? Infinity;
  const lookBack = 2 * numberParam(run, 'fdUs', 150_000) + STALE_US;
  /** Per service: every digest of a primary, in time order. */
  const primaries = new Map<number, Seen[]>();
  for (const o of world.obs('opb.digest')) {
    if (o.data.role !== 'primary') continue;
    const list = primaries.get(o.data.service) ?? [];
    list.push({ from: stepTime(o), at: o.at, claim: { node: o.node, epoch: o.data.epoch,
      mver: o.data.membershipVersion, members: o.data.members as string[] } });
    primaries.set(o.data.service, list);
  }
  /** Per service: every claim a primary made for its successor (P2.6 #2), in time order. */
  const handedOff = new Map<number, Seen[]>();
  for (const o of world.obs('opb.handoff')) {
    const list = handedOff.get(o.data.service) ?? [];
    list.push({ from: stepTime(o), at: o.at, claim: { node: o.data.to, epoch: o.data.epoch,
      mver: o.data.membershipVersion, members: o.data.members as string[] } });
    handedOff.set(o.data.service, list);
  }
  const problems: string[] = [];
  let judged = 0;
  const late = lateStretches(world);
  const roles = world.obs('opb.role');
  for (const o of roles) {
    if (o.data.reason !== 'lost' || o.at >= before) continue;
    const list = primaries.get(o.data.service) ?? [];
    const mine = latestAt(list.filter((p) => p.claim.node === o.node), o.at);
    const promoted = latestAt(roles.filter((r) => r.node === o.node
      && r.data.service === o.data.service && r.data.role === 'primary'), o.at);
    if (mine === undefined || (promoted !== undefined && promoted.at > mine.at)) continue;
    judged++;
    const step = stepTime(o);
    const from = windowStart(step, lookBack, late);
    const around = [...list, ...handedOff.get(o.data.service) ?? []].filter((p) =>
      p.claim.node !== o.node && p.at >= from && p.from <= step + 2 * SAMPLE_US);
    if (around.some((p) => dominates(p.claim, mine.claim))) continue;
    const beaten = [...new Set(around.map((p) => p.claim.node))].sort();
    problems.push(`s${o.data.service}: ${o.node} stepped down as a loser at t=${step}us, but ` +
      `its claim (${mine.claim.epoch}, v${mine.claim.mver}, rank ` +
      `${mine.claim.members.indexOf(o.node)}) beats every primary's around then` +
      (beaten.length === 0 ? ' (none seen)' : ` (${beaten.join(', ')})`));
  }
  return { problems, judged };
}

export const opbLoser: Property = {
  name: 'opb-loser-dominated',
  description: 'P2.5: a primary steps down as a conflict\'s loser only to a claim that ' +
    'dominates its own (version, rank, epoch, node id)',
  protocols: ['opb'],
  check(run: RunRecord) {
    const r = loserProblems(run);
    return verdictOf(this.name, r.problems, { stepDowns: r.judged },
      `${r.judged} step-downs as a loser, each to a dominating claim`);
  },
};
