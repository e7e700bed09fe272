/**
 * SMART P1.4 step 7: "execution of requests is blocked while saving" a checkpoint. With the
 * cost model's checkpoint time (`checkpointUs` plus `checkpointNsPerByte` per byte of the
 * checkpoint, P1.9's phase 4), a machine that saved a checkpoint at index i executes no slot
 * above i until the save is done. Only latency changes if it does not, so no other check sees it
 * (mutations #4150 and #4157 of the seed-29 sample: the per-byte part dropped, the pause gone).
 *
 * Evidence: the machine's own `ckpt` (saved, not adopted by transfer) and `exec` facts at their
 * step times, against a lower bound of the save's time from the run's parameters: `checkpointUs`
 * plus `checkpointNsPerByte` × `stateBytes` (the checkpoint's own entries only add to it). Not
 * judged on a machine whose clock was skewed in the run (the pause runs on its local clock) or
 * that went down or came up before its next execution.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { checkpoints, executions, fail, pass, stepTime } from './smart-observations.js';
import { bouncedBetween, countBelow, numberParam } from './run-values.js';
import type { Property } from './types.js';

export function checkpointPauseProblems(run: RunRecord): { problems: string[]; judged: number } {
  const pauseUs = numberParam(run, 'checkpointUs', 0) + Math.floor(
    numberParam(run, 'checkpointNsPerByte', 0) * numberParam(run, 'stateBytes', 0) / 1000);
  const problems: string[] = [];
  let judged = 0;
  if (pauseUs === 0) return { problems, judged };
  const skewed = new Set(run.nodeEvents.filter((e) => e.kind === 'skewed').map((e) => e.node));
  // Per node, its executions in step-time order: times and slots side by side.
  const execs = new Map<string, { ats: number[]; slots: number[] }>();
  const rows = executions(run).map((e) => ({ node: e.node, at: stepTime(e), slot: e.data.slot }))
    .sort((a, b) => a.at - b.at);
  for (const e of rows) {
    const x = execs.get(e.node) ?? { ats: [], slots: [] };
    x.ats.push(e.at);
    x.slots.push(e.slot);
    execs.set(e.node, x);
  }
  for (const c of checkpoints(run)) {
    if (c.data.transfer === true || skewed.has(c.node)) continue;
    const saved = stepTime(c);
    const x = execs.get(c.node);
    if (x === undefined) continue;
    let i = countBelow(x.ats, saved);
    while (i < x.slots.length && x.slots[i]! <= c.data.index) i++;
    if (i === x.slots.length) continue;
    const next = { at: x.ats[i]!, slot: x.slots[i]! };
    if (bouncedBetween(run, c.node, saved, next.at)) continue;
    judged++;
    if (next.at < saved + pauseUs) {
      problems.push(`${c.node} saved checkpoint ${c.data.index} at t=${saved}us and executed ` +
        `slot ${next.slot} at t=${next.at}us, ${next.at - saved}us later: the save takes at ` +
        `least ${pauseUs}us (checkpointUs + checkpointNsPerByte × stateBytes)`);
    }
  }
  return { problems, judged };
}

export const smartCheckpointPause: Property = {
  name: 'smart-checkpoint-pause',
  description: 'P1.4 step 7: execution is blocked while a checkpoint is saved, for at least ' +
    'the cost model\'s checkpoint time (ckpt and exec facts)',
  protocols: ['smart'],
  check(run: RunRecord) {
    const r = checkpointPauseProblems(run);
    if (r.problems.length > 0) return fail(this.name, r.problems[0]!);
    return pass(this.name, `${r.judged} saved checkpoints followed by execution, each after ` +
      'its save time', { judged: r.judged });
  },
};
