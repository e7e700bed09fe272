/**
 * C8's policy half (P2.5): orphans of a lost conflict are handled as the run configured
 * (`policy`). Under `merge` no client is ever told a write was discarded (its history) and no
 * winner drops orphans; under `discard` no winner re-executes orphans (`opb.exec` with
 * `resubmit`, or an `opb.resubmit` fact).
 */
import { buildWorld } from './opb-world.js';
import { verdictOf, type Property } from './types.js';

export const opbPolicy: Property = {
  name: 'opb-c8-policy',
  description: 'C8: orphans are merged or discarded as the configured policy says, as the ' +
    'clients and the winners saw it',
  protocols: ['opb'],
  check(run) {
    const policy = run.params['policy'] === 'discard' ? 'discard' : 'merge';
    const world = buildWorld(run);
    const problems: string[] = [];
    if (policy === 'merge') {
      const told = run.history.ops.find((op) => op.discardedAt !== undefined);
      if (told !== undefined) problems.push(`policy merge, but ${told.client} was told at ` +
        `t=${told.discardedAt}us that op #${told.id} was discarded`);
      const dropped = world.obs('opb.discard').find((o) => o.data.lost > 0);
      if (dropped !== undefined) problems.push(`policy merge, but ${dropped.node} dropped ` +
        `${dropped.data.lost} orphan(s) of service ${dropped.data.service} at t=${dropped.at}us`);
    } else {
      const redo = world.obs('opb.exec').find((o) => o.data.resubmit);
      if (redo !== undefined) problems.push(`policy discard, but ${redo.node} re-executed ` +
        `orphan ${redo.data.client}#${redo.data.seq} at t=${redo.at}us`);
      const merged = world.obs('opb.resubmit').find((o) => o.data.executed > 0);
      if (merged !== undefined) problems.push(`policy discard, but ${merged.node} merged ` +
        `${merged.data.executed} orphan(s) at t=${merged.at}us`);
    }
    return verdictOf(this.name, problems, undefined, `orphans handled by policy ${policy}`);
  },
};
