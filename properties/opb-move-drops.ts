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
 */
import type { RunRecord } from '../simulator/run-record.js';
import { calmStretches } from './opb-overload.js';
import { buildWorld, CONVERGE_BOUND_US } from './opb-world.js';
import { verdictOf, type Property } from './types.js';

export function moveDropProblems(run: RunRecord): { problems: string[]; judged: number } {
  const world = buildWorld(run);
  const stretches = calmStretches(run, world.nodes.length);
  const calm = (from: number, to: number): boolean =>
    stretches.some(([a, b]) => from >= a && to < b);
  const moves = world.obs('opb.move');
  const leaves = world.obs('opb.leave');
  const joins = world.obs('opb.join');
  const problems: string[] = [];
  let judged = 0;
  for (const o of moves) {
    const { drop, service: svc } = o.data;
    if (o.data.phase !== 'done' || drop === null || drop === o.node) continue;
    const deadline = o.at + CONVERGE_BOUND_US;
    if (!calm(o.at, deadline)) continue;
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
  return { problems, judged };
}

export const opbMoveDrops: Property = {
  name: 'opb-move-drops',
  description: 'P2.6 make-before-break: a completed replica move takes the old replica out ' +
    '(the dropped node\'s digests)',
  protocols: ['opb'],
  check(run: RunRecord) {
    const r = moveDropProblems(run);
    return verdictOf(this.name, r.problems, { judged: r.judged },
      `${r.judged} completed moves judged, each dropped node left`);
  },
};
