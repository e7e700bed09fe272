/**
 * P2.6 #2 through the operator: a planned primary transfer asked of a converged group takes
 * effect. The scenario's `operator` command `handoff {svc, to}` reaches every replica; the
 * group's primary hands the role to `to` (HANDOFF, epoch+1), and the members follow `to`. An
 * operator interface that silently does nothing passes every other property (mutation #2354:
 * the command's arguments read as null, so it named no member and was dropped).
 *
 * Evidence: the command from the run's fault schedule (what was asked, and when), and the
 * members' own digests: at the command the group is converged (every live replica follows one
 * primary P at one epoch, P reports itself primary, `to` is a member other than P); within the
 * convergence bound after it, a member other than `to` follows `to`. Never `to`'s own report of
 * being primary. And no node but P hands the role off on that command (`opb.handoff` facts of
 * the steps that handled it). Judged only when the bound before and after the command is calm
 * (every node up, no cut, no perturbation or targeted fault), so P heard `to` lately and nothing
 * else moves the role.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { calmStretches } from './opb-overload.js';
import { buildWorld, CONVERGE_BOUND_US, snapshot, STALE_US } from './opb-world.js';
import { verdictOf, type Property } from './types.js';
import { stepTime } from './run-values.js';

/** A handoff command's service and target, or null when its arguments do not name them. */
function target(args: unknown): { svc: number; to: string } | null {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return null;
  const { svc, to } = args as { svc?: unknown; to?: unknown };
  return typeof svc === 'number' && typeof to === 'string' ? { svc, to } : null;
}

export function operatorHandoffProblems(run: RunRecord): { problems: string[]; judged: number } {
  const world = buildWorld(run);
  const stretches = calmStretches(run, world.nodes.length);
  const calm = (from: number, to: number): boolean =>
    stretches.some(([a, b]) => from >= a && to < b);
  const problems: string[] = [];
  let judged = 0;
  for (const f of run.faults) {
    if (f.kind !== 'operator' || f.name !== 'handoff') continue;
    const asked = target(f.args);
    if (asked === null) continue;
    if (!calm(Math.max(0, f.at - CONVERGE_BOUND_US), f.at + CONVERGE_BOUND_US)) continue;
    const { svc, to } = asked;
    // Just before the command: a digest of the command's own instant may already show its effect.
    const now = snapshot(world, svc, f.at - 1, STALE_US);
    const primary = now.find((d) => d.role === 'primary' && d.primary === d.node);
    if (primary === undefined || primary.node === to || !primary.members.includes(to)) continue;
    const converged = now.every((d) => d.primary === primary.node && d.epoch === primary.epoch);
    if (!converged || !now.some((d) => d.node === to)) continue;
    judged++;
    // The command reaches every replica, and only the primary may act on it: a backup that
    // hands the role off too (mutation #2438 of the seed-31 sample) races the real handoff.
    for (const o of world.obs('opb.handoff')) {
      if (o.data.service !== svc || stepTime(o) !== f.at || o.node === primary.node) {
        continue;
      }
      problems.push(`s${svc}: ${o.node}, not the primary ${primary.node}, handed the role to ` +
        `${o.data.to} on the operator's command at t=${f.at}us`);
    }
    const deadline = f.at + CONVERGE_BOUND_US;
    const followed = primary.members.some((m) => m !== to && (world.digests.get(`${m}|${svc}`)
      ?? []).some((d) => d.at > f.at && d.at <= deadline && d.primary === to));
    if (!followed) {
      problems.push(`s${svc}: the operator asked ${primary.node} (primary at ${primary.epoch}) ` +
        `to hand the role to member ${to} at t=${f.at}us; no other member followed ${to} ` +
        `within ${CONVERGE_BOUND_US}us`);
    }
  }
  return { problems, judged };
}

export const opbOperatorHandoff: Property = {
  name: 'opb-operator-handoff',
  description: 'P2.6 #2: an operator handoff asked of a converged group moves the primary role ' +
    'to the named member (the other members\' digests)',
  protocols: ['opb'],
  check(run: RunRecord) {
    const r = operatorHandoffProblems(run);
    return verdictOf(this.name, r.problems, { judged: r.judged },
      `${r.judged} operator handoffs judged, each followed by the group`);
  },
};
