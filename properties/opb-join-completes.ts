/**
 * P2.6's make-before-break: a replica added to a group is brought up to the group's state ("add
 * new replica, then remove old"). A joiner holds it once its primary has shipped it (a transfer,
 * or, for an empty history at an empty tip, at once); until then it is `joining` and reports no
 * `state`, so the convergence checks pass it over. A joiner left `joining` at its primary's tip
 * stayed out of every convergence judgement to the end (mutation #242 of the seed-23 sample).
 *
 * Evidence: the node's own facts: its latest `opb.join` of the service, its `opb.digest`s (it
 * hosts the service) and its `state` facts (the common observation convergence reads), and the
 * node facts. Judged: a join whose node stayed up from the join to the end, still hosts the
 * service (a digest) later than Δ_conv after both the join and the end of the fault window.
 * It must report the service's state at some time after that join.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { readCommon } from './observed.js';
import { buildWorld, CONVERGE_BOUND_US } from './opb-world.js';
import { disturbed } from './run-values.js';
import { verdictOf, type Property } from './types.js';

export function joinCompletionProblems(run: RunRecord): { problems: string[]; judged: number } {
  const world = buildWorld(run);
  const latest = new Map<string, { at: number; node: string; service: number }>();
  for (const j of world.obs('opb.join')) {
    latest.set(`${j.node} ${j.data.service}`, { at: j.at, node: j.node, service: j.data.service });
  }
  const digests = world.obs('opb.digest');
  const states = readCommon(run, 'state');
  const problems: string[] = [];
  let judged = 0;
  for (const j of latest.values()) {
    const deadline = Math.max(j.at, run.faultWindowEndUs) + CONVERGE_BOUND_US;
    if (disturbed(run, [j.node], j.at, Infinity)) continue;
    if (!digests.some((d) => d.node === j.node && d.data.service === j.service
      && d.at > deadline)) continue;
    judged++;
    const group = `s${j.service}`;
    if (!states.some((o) => o.node === j.node && o.data.group === group && o.at >= j.at)) {
      problems.push(`${j.node} joined s${j.service} at t=${j.at}us and still hosted it after ` +
        `t=${deadline}us without ever holding its state`);
    }
  }
  return { problems, judged };
}

export const opbJoinCompletes: Property = {
  name: 'opb-join-completes',
  description: 'P2.6 make-before-break: a replica added to a group comes to hold the group\'s ' +
    'state within the convergence bound once faults stop',
  protocols: ['opb'],
  check(run: RunRecord) {
    const r = joinCompletionProblems(run);
    return verdictOf(this.name, r.problems, { judged: r.judged },
      `${r.judged} joiners, each holding its group's state`);
  },
};
