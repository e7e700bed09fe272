/**
 * An installed transfer reported as a reconciliation is one (P2.10: a replica that lost a
 * conflict reconciles towards the winner): `opb.install`'s `reconciling` is the non-vacuity
 * event `reconciliation` (sometimes.ts), which scenarios such as opb-asymmetric and
 * opb-one-way-loser declare, and C4's reconciliation counts. Stryker #442 of the seed-49 sample
 * (`opb:install-says-reconciling`) reported every install so, a backup's catch-up too: a
 * scenario asking for a reconciliation could pass without one, and every other check held.
 *
 * Evidence: the replica's own `opb.role` facts, which opb-role-facts holds to the heartbeats it
 * sends. Judged: each install whose replica's role is known at its step: by the last role fact
 * of that node and service from an earlier step, or from the same step before it. Unknown (not
 * judged) after a boot, crash or corruption of the node (another life, or a scrambled role), or a
 * leave or join of the service (another replica), until the next role fact. A role fact a
 * crash dropped with its write counts from its step: the step ran in memory. Facts are ordered
 * by their step's instant, then as recorded (within a step, as the step listed them).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { buildWorld } from './opb-world.js';
import { stepTime } from './run-values.js';
import { judgedVerdict, type Property } from './types.js';

type Event = { readonly at: number; readonly seq: number; readonly apply: () => string | null };

export function installRoleProblems(run: RunRecord): { problems: string[]; judged: number } {
  const world = buildWorld(run);
  const role = new Map<string, string>();
  const key = (node: string, service: number): string => `${node}|${service}`;
  const events: Event[] = [];
  for (const o of [...world.obs('opb.role'), ...world.lost('opb.role')]) {
    events.push({ at: stepTime(o), seq: o.seq, apply: () => {
      role.set(key(o.node, o.data.service), o.data.role);
      return null;
    } });
  }
  for (const o of [...world.obs('opb.leave'), ...world.obs('opb.join')]) {
    events.push({ at: stepTime(o), seq: o.seq, apply: () => {
      role.delete(key(o.node, o.data.service));
      return null;
    } });
  }
  for (const e of run.nodeEvents) {
    if (e.kind !== 'down' && e.kind !== 'up' && e.kind !== 'corrupted') continue;
    events.push({ at: e.at, seq: e.seq, apply: () => {
      for (const k of [...role.keys()]) if (k.startsWith(`${e.node}|`)) role.delete(k);
      return null;
    } });
  }
  let judged = 0;
  for (const o of world.obs('opb.install')) {
    events.push({ at: stepTime(o), seq: o.seq, apply: () => {
      const last = role.get(key(o.node, o.data.service));
      if (last === undefined) return null;
      judged++;
      if (o.data.reconciling === (last === 'reconciling')) return null;
      return `${o.node} installed s${o.data.service}'s transfer from ${o.data.from} at ` +
        `t=${o.at}us reported ${o.data.reconciling ? 'as' : 'not as'} a reconciliation, but ` +
        `its role facts say ${last}`;
    } });
  }
  events.sort((a, b) => a.at - b.at || a.seq - b.seq);
  const problems: string[] = [];
  for (const e of events) {
    const problem = e.apply();
    if (problem !== null) problems.push(problem);
  }
  return { problems, judged };
}

export const opbInstallRole: Property = {
  name: 'opb-install-role',
  description: 'an installed transfer is reported as a reconciliation exactly when the ' +
    'replica\'s role facts say it was reconciling (the non-vacuity event reconciliation)',
  protocols: ['opb'],
  check(run: RunRecord) {
    return judgedVerdict(this.name, installRoleProblems(run), 'no install of a known role',
      (n) => `${n} installs, each reported as its replica's role facts say`);
  },
};
