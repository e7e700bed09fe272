/**
 * OPB's load/power move budget (protocol/optimistic/README.md, "at most one load/power move per
 * node per window"): a node's load is measured per window and gossiped, so each move it decides
 * is judged against a load that does not yet count the moves decided beside it. Without the
 * budget an overloaded node sheds every primary it holds in the same window, each onto the room
 * another was just sent to take (mutation #1584 of the seed-37 sample: opb-spike seed 0, n1
 * moved s1, s2 and s3 at once; every check stayed green).
 *
 * Evidence: the message record. A move starts with a HANDOFF (a primary transfer) or a JOIN (a
 * new member) sent by the group's primary; both leave in the step that decided them. Per node
 * and instant, the HANDOFFs and JOINs sent, less those its own `opb.move` facts of that step
 * name as a repair (repairs are not budgeted), a handback (decided before the budget is asked)
 * or an operator's order, must be at most one. Not judged: instants in a stretch with a timing
 * fault in force (behind a slow disk, sends of several steps may leave at one instant).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { segments, unperturbed } from './fault-state.js';
import { buildWorld } from './opb-world.js';
import { NEVER_SENT } from './opb-role-facts.js';
import { pushTo, stepTime } from './run-values.js';
import { judgedVerdict, type Property } from './types.js';

const MOVE = /^(Handoff|Join) s(\d+) /;
const FREE = new Set(['repair', 'handback', 'operator']);

export function moveBudgetProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  if (run.messages === undefined) return 'the run kept no message record';
  const world = buildWorld(run);
  const segs = segments(run);
  // Moves exempt from the budget, per "node@instant": "svc>add" each.
  const free = new Map<string, string[]>();
  for (const o of world.obs('opb.move')) {
    if (o.data.phase !== 'start' || !FREE.has(o.data.kind)) continue;
    pushTo(free, `${o.node}@${stepTime(o)}`, `${o.data.service}>${String(o.data.add)}`);
  }
  const sent = new Map<string, string[]>();
  for (const m of run.messages) {
    const x = MOVE.exec(m.label);
    if (x !== null && m.drop !== NEVER_SENT) pushTo(sent, `${m.from}@${m.sent}`, `${x[2]}>${m.to}`);
  }
  const problems: string[] = [];
  let judged = 0;
  for (const [key, moves] of sent) {
    const at = Number(key.slice(key.indexOf('@') + 1));
    if (!unperturbed(segs, at - 1, at)) continue;
    judged++;
    const left = [...moves];
    for (const f of free.get(key) ?? []) {
      const i = left.indexOf(f);
      if (i >= 0) left.splice(i, 1);
    }
    if (left.length > 1) {
      problems.push(`${key.replace('@', ' at t=')}us started ${left.length} load/power moves ` +
        `in one window (service>target: ${left.join(', ')})`);
    }
  }
  return { problems, judged };
}

export const opbMoveBudget: Property = {
  name: 'opb-move-budget',
  description: 'at most one load/power move (HANDOFF or JOIN that is no repair, handback or ' +
    'operator order) per node per window (message record)',
  protocols: ['opb'],
  check(run: RunRecord) {
    return judgedVerdict(this.name, moveBudgetProblems(run), 'no move',
      (n) => `${n} move steps, each with at most one load/power move`);
  },
};
