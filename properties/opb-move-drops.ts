/**
 * P2.6 #2–#3, make-before-break: a replica move adds the new replica, then removes the old one;
 * consolidation then sleeps the emptied nodes. So a move its primary reports `done`, dropping D,
 * has taken D out of the group: D stops hosting the service (it learns the new membership from
 * the primary's answer to its next heartbeat). A move "done" whose old replica stays moved
 * nothing: the group grows by one and a trim takes the new replica back out (mutation #3191:
 * the diurnal consolidations never emptied a node, the same move repeated every cool-down).
 *
 * Evidence: D's own digests of the service (whether it still hosts it as a member), its leave,
 * its down intervals and the moves that add it back; not the primary's membership, whose report
 * of the drop is what is being checked. Judged only when the bound after `done` is calm (every
 * node up, no cut, no perturbation or targeted fault): D's first digest after the bound.
 *
 * Nor judged: a move whose reporter steps down as a conflict's loser (`opb.role` reason `lost`,
 * which `opb-loser-dominated` checks was to a dominating claim) after `done` and within the
 * bound. Its decision was one of concurrent primaries': "a deterministic dominance rule picks
 * one primary; the others step down, ... and all replicas adopt the winner's state" (P2.1), and
 * the memberships meet by "membership merge on heal (union then trim by placement policy)"
 * (P2.10 #4), so the winner's group decides whether D stays. Explore seed 166 of
 * opb-diurnal-four: n9, cut off from 7.6 s, finished its move dropping n4 at 8.0 s, 1 us after
 * the heal; n4 had promoted itself at 7.75 s, n9 lost to it at 8.006 s, and n4 still led s2
 * at 9.55 s. Counted as `superseded`.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { calmStretches } from './opb-overload.js';
import { buildWorld, CONVERGE_BOUND_US } from './opb-world.js';
import { verdictOf, type Property } from './types.js';

export function moveDropProblems(run: RunRecord):
  { problems: string[]; judged: number; superseded: number } {
  const world = buildWorld(run);
  const stretches = calmStretches(run, world.nodes.length);
  const calm = (from: number, to: number): boolean =>
    stretches.some(([a, b]) => from >= a && to < b);
  const moves = world.obs('opb.move');
  const leaves = world.obs('opb.leave');
  const joins = world.obs('opb.join');
  const losses = world.obs('opb.role').filter((r) => r.data.reason === 'lost');
  const problems: string[] = [];
  let judged = 0;
  let superseded = 0;
  for (const o of moves) {
    const { drop, service: svc } = o.data;
    if (o.data.phase !== 'done' || drop === null || drop === o.node) continue;
    const deadline = o.at + CONVERGE_BOUND_US;
    if (!calm(o.at, deadline)) continue;
    // The reporter lost a conflict within the bound: the winner's membership decides (P2.1).
    if (losses.some((l) => l.node === o.node && l.data.service === svc && l.at <= deadline
      && (l.at > o.at || (l.at === o.at && l.seq > o.seq)))) {
      superseded++;
      continue;
    }
    const next = (world.digests.get(`${drop}|${svc}`) ?? []).find((d) => d.at > deadline);
    const leftAt = leaves
      .find((l) => l.node === drop && l.data.service === svc && l.at > o.at)?.at;
    const end = next?.at ?? leftAt;
    if (end === undefined) continue;
    const between = (at: number): boolean => at > o.at && at <= end;
    // A move that adds D back, possibly decided in the very step that finished this one.
    const back = moves.some((m) => m.data.service === svc && m.data.add === drop
      && m.data.phase === 'start' && (between(m.at) || (m.at === o.at && m.seq > o.seq)));
    const joined = joins.some((j) => j.node === drop && j.data.service === svc && between(j.at));
    const down = (world.down.get(drop) ?? []).some(([from, to]) => to >= o.at && from <= end);
    if (back || joined || down) continue;
    judged++;
    if (next === undefined || (leftAt !== undefined && leftAt <= next.at)) continue;
    if (!next.members.includes(drop)) continue;
    problems.push(`s${svc}: ${o.node} reported its ${o.data.kind} move dropping ${drop} done ` +
      `at t=${o.at}us, but ${drop} still hosts it as a member at t=${next.at}us ` +
      `(members ${next.members.join(',')})`);
  }
  return { problems, judged, superseded };
}

export const opbMoveDrops: Property = {
  name: 'opb-move-drops',
  description: 'P2.6 make-before-break: a completed replica move takes the old replica out ' +
    '(the dropped node\'s digests)',
  protocols: ['opb'],
  check(run: RunRecord) {
    const r = moveDropProblems(run);
    return verdictOf(this.name, r.problems, { judged: r.judged, superseded: r.superseded },
      `${r.judged} completed moves judged, each dropped node left; ${r.superseded} superseded ` +
      'by a conflict their primary lost');
  },
};
