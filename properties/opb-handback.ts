/**
 * OPB's non-sticky primary (P2.10 #3, protocol/optimistic/README.md "Recovery guard"): after a
 * failover the role stays with the replica that took it only until the group's top-priority
 * member is back and caught up; then the primary hands the role back (planned HANDOFF). A
 * primary that never hands back keeps every other check green (mutation #567 of the seed-29
 * sample: the handback never fires), so the group's own order is judged here.
 *
 * Evidence: the members' digests, never the primary's report of who should lead. In a calm
 * stretch (every node up, no cut, perturbation or targeted fault), the group is converged under
 * P at one epoch with membership M (P's digest), M[0] = T ≠ P, and T's own digest follows P at
 * that epoch with an index at or past P's (caught up). Within the bound after that instant,
 * some member other than T follows T. The bound: a move in progress finishes (Δ_conv), the
 * cool-down after the last move passes (`coolUs`), and one heartbeat round runs the tick.
 * Judged once per service and calm stretch, at the first instant the condition holds. Not
 * judged: `reorg` off (no reorganization at all), `balance` on (the handback then also waits
 * for room on T's node, a load the digests do not carry), and a wait with an operator command
 * within its bound (a planned handoff re-ranks the group: explore seed 284 of
 * opb-operator-handoff handed the role to n5 by command while n9 waited), nor one during which
 * the primary's digests rank another member first (a repair removed or re-ranked T).
 *
 * A `sticky` group is judged the other way (P2.10 #3's option: a recovered higher-rank member
 * waits for a planned HANDOFF): from the same instant to the end of the calm stretch no member
 * follows T, unless T claimed the role itself within T_fd + T_hb of the stretch's start (a
 * suspicion left over from the cut: the optimistic failover, see `claimedFromCut`). A primary
 * that hands back regardless of `sticky` passes the rest (mutation #572 of the seed-33 sample).
 * Not judged with power saving on or an operator handoff in the run: both may move the role to
 * T by plan.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { calmStretches } from './opb-overload.js';
import {
  buildWorld, CONVERGE_BOUND_US, SAMPLE_US, snapshot, STALE_US, type Digest, type World,
} from './opb-world.js';
import { numberParam, stepTime } from './run-values.js';
import { verdictOf, type Property } from './types.js';

/** The first instant in [from, to] at which `svc`'s group waits for a handback, if any. */
function waiting(world: World, svc: number, from: number, to: number):
  { at: number; primary: Digest; top: string } | null {
  for (let t = from; t <= to; t += SAMPLE_US) {
    const now = snapshot(world, svc, t, STALE_US);
    const p = now.find((d) => d.role === 'primary' && d.primary === d.node);
    const top = p?.members[0];
    if (p === undefined || top === undefined || top === p.node) continue;
    const converged = now.every((d) => d.primary === p.node && d.epoch === p.epoch);
    const t0 = now.find((d) => d.node === top);
    if (converged && t0 !== undefined && t0.role === 'backup' && t0.idx >= p.idx) {
      return { at: t, primary: p, top };
    }
  }
  return null;
}

/** The first digest in (from, to] of a member other than `top` that follows `top`, if any. */
function followerOf(world: World, members: readonly string[], svc: number, top: string,
  from: number, to: number): Digest | null {
  let first: Digest | null = null;
  for (const m of members) {
    if (m === top) continue;
    const d = (world.digests.get(`${m}|${svc}`) ?? [])
      .find((x) => x.at > from && x.at <= to && x.primary === top);
    if (d !== undefined && (first === null || d.at < first.at)) first = d;
  }
  return first;
}

/**
 * Whether `top` took the role by its own claim (not a HANDOFF) by `until`, in a step at most
 * `reachUs` (T_fd + T_hb) after the calm stretch began at `from`: its failure detector may still
 * count a silence of the cut that ended there, so it suspects the primary at its next tick, and
 * its claim may win by dominance. That is the optimistic failover, not a handback (explore
 * trial 940582 of opb-one-way-relayed-primary, sticky: n1, cut off from 2.808 s to 2.999999 s,
 * claimed at its tick at 3.0 s under a new epoch generation, and n5 followed it at 3.05 s).
 */
function claimedFromCut(world: World, svc: number, top: string, from: number, until: number,
  reachUs: number): boolean {
  return world.obs('opb.role').some((o) => o.node === top && o.data.service === svc
    && o.data.role === 'primary' && o.data.reason !== 'handoff'
    && stepTime(o) <= Math.min(until, from + reachUs) && stepTime(o) >= from);
}

/**
 * Whether the primary's digests in (from, to] rank another member first: a repair under way
 * (make-before-break) or one decided since removed or re-ranked `top`, so no handback is owed
 * it (opb-merged-member-floor seeds 18 and 64: n11's placement repair, started at 2.25 s to
 * replace n9, of the same zone as n11, completed after the wait began at 2.4 s and dropped n9).
 */
function reranked(world: World, svc: number, primary: string, top: string, from: number,
  to: number): boolean {
  return (world.digests.get(`${primary}|${svc}`) ?? [])
    .some((d) => d.at > from && d.at <= to && d.role === 'primary' && d.members[0] !== top);
}

/** Whether the scenario gives an operator command in [from, to]. */
function planned(run: RunRecord, from: number, to: number): boolean {
  return run.faults.some((f) => f.kind === 'operator' && f.at >= from && f.at <= to);
}

export function handbackProblems(run: RunRecord): { problems: string[]; judged: number } {
  const problems: string[] = [];
  let judged = 0;
  const sticky = run.params['sticky'] === true;
  if (run.params['reorg'] === false || run.params['balance'] === true || (sticky
    && (run.params['power'] === true || planned(run, -Infinity, Infinity)))) {
    return { problems, judged };
  }
  const world = buildWorld(run);
  const hbUs = numberParam(run, 'hbUs', 50_000);
  const fdUs = numberParam(run, 'fdUs', 150_000);
  const boundUs = CONVERGE_BOUND_US + numberParam(run, 'coolUs', 1_500_000) + 2 * hbUs;
  const services = new Set([...world.digests.values()].flatMap((l) => l.map((d) => d.svc)));
  for (const [from, to] of calmStretches(run, world.nodes.length)) {
    for (const svc of [...services].sort((a, b) => a - b)) {
      const w = waiting(world, svc, from, sticky ? to : to - boundUs);
      // An operator handoff in the window moves the role by plan and re-ranks the group.
      if (w === null || (!sticky && planned(run, w.at, w.at + boundUs))) continue;
      judged++;
      if (sticky) {
        const back = followerOf(world, w.primary.members, svc, w.top, w.at, to);
        if (back !== null && !claimedFromCut(world, svc, w.top, from, back.at, fdUs + hbUs)) {
          problems.push(`s${svc}: sticky, yet ${back.node} followed the recovered top-priority ` +
            `member ${w.top} at t=${back.at}us (primary ${w.primary.node} at ` +
            `${w.primary.epoch} since t=${w.at}us or before, calm until t=${to}us)`);
        }
        continue;
      }
      const deadline = w.at + boundUs;
      const back = followerOf(world, w.primary.members, svc, w.top, w.at, deadline);
      if (back === null && !reranked(world, svc, w.primary.node, w.top, w.at, deadline)) {
        problems.push(`s${svc}: at t=${w.at}us ${w.primary.node} was primary at ` +
          `${w.primary.epoch} and its top-priority member ${w.top} was back and caught up ` +
          `(index ${w.primary.idx}); no other member followed ${w.top} within ${boundUs}us ` +
          `(calm until t=${to}us)`);
      }
    }
  }
  return { problems, judged };
}

export const opbHandback: Property = {
  name: 'opb-handback',
  description: 'P2.10 #3: once the top-priority member is back and caught up in a calm group, ' +
    'the primary hands the role back to it, unless sticky: then never (the members\' digests)',
  protocols: ['opb'],
  check(run: RunRecord) {
    const r = handbackProblems(run);
    return verdictOf(this.name, r.problems, { judged: r.judged },
      run.params['sticky'] === true
        ? `${r.judged} sticky groups with their top-priority member back judged, none handed back`
        : `${r.judged} groups waiting for a handback judged, each handed back in time`);
  },
};
