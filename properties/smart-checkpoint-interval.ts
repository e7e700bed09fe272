/**
 * When SMART saves checkpoints (P1.4 step 7 and docs/smart.md, step 6 of normal operation):
 * every `checkpointEvery` executed requests (client operations and MIGRATEs; the nulls that
 * fill a range are no requests), at each configuration's final slot, and at least every
 * `maxLogSize − α` slots. A machine that checkpoints far more often pays a save (and, with the
 * cost model, a pause) per slot for nothing: mutation #4312 of the seed-31 sample took every
 * slot for a configuration's last and saved after each one (1,146 checkpoints against 57 on
 * smart-steady seed 0), which every other check let through.
 *
 * Evidence: the commands of the slots from every machine's `exec` facts (slots are agreed, so
 * any machine's execution names the command), the configuration table from executed MIGRATEs,
 * and the machine's `ckpt` facts for when it saved. Between two consecutive checkpoints a < b
 * that the machine saved itself (not adopted by transfer, no crash or restart between), b must
 * be justified: at least `checkpointEvery` requests in slots a+1..b, or b − a ≥ maxLogSize − α,
 * or b the last slot of a configuration (the slot before the next one's first). A slot no
 * machine's execution names counts as a request (lenient). Nor rarer: b − a ≤ maxLogSize − α,
 * the log-size rule's own reach (Stryker #4916 of the seed-49 sample saved it one slot late,
 * every maxLogSize − α + 1 slots, and every other check held).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { bouncedBetween, numberParam } from './run-values.js';
import { execIndex } from './smart-exec-index.js';
import { checkpoints, configurations } from './smart-observations.js';
import { verdictOf, type Property } from './types.js';

export function checkpointIntervalProblems(run: RunRecord):
  { problems: string[]; judged: number } {
  const every = numberParam(run, 'checkpointEvery', 50);
  const forcedSlots = numberParam(run, 'maxLogSize', 200) - numberParam(run, 'alpha', 10);
  const lasts = new Set([...configurations(run).table.values()].filter((c) => c.first > 1)
    .map((c) => c.first - 1));
  // Each slot's first command in record order, as a Map of the facts would hold it.
  const { command } = execIndex(run);
  const requestsIn = (from: number, to: number): number => {
    let n = 0;
    for (let slot = from + 1; slot <= to; slot++) if (command[slot] !== 'null') n++;
    return n;
  };
  const previous = new Map<string, { index: number; at: number; saved: boolean }>();
  const problems: string[] = [];
  let judged = 0;
  for (const c of checkpoints(run)) {
    const prev = previous.get(c.node);
    const saved = c.data.transfer !== true;
    previous.set(c.node, { index: c.data.index, at: c.at, saved });
    if (prev === undefined || !saved || c.data.index <= prev.index) continue;
    if (bouncedBetween(run, c.node, prev.at, c.at)) continue;
    judged++;
    const [a, b] = [prev.index, c.data.index];
    if (b - a > forcedSlots) {
      problems.push(`${c.node} saved checkpoint ${b} at t=${c.at}us, ${b - a} slots after its ` +
        `checkpoint ${a}: the log-size rule saves one at least every maxLogSize - alpha ` +
        `(${forcedSlots}) slots`);
      continue;
    }
    if (b - a === forcedSlots || lasts.has(b)) continue;
    const requests = requestsIn(a, b);
    if (requests >= every) continue;
    problems.push(`${c.node} saved checkpoint ${b} at t=${c.at}us, ${b - a} slots after its ` +
      `checkpoint ${a} with ${requests} requests between: checkpoints come every ` +
      `checkpointEvery (${every}) requests, at a configuration's last slot, or every ` +
      `maxLogSize - alpha (${forcedSlots}) slots`);
  }
  return { problems, judged };
}

export const smartCheckpointInterval: Property = {
  name: 'smart-checkpoint-interval',
  description: 'P1.4: a checkpoint every checkpointEvery requests, at a configuration\'s last ' +
    'slot, or every maxLogSize - alpha slots, not more often nor rarer (exec, ckpt and cfg ' +
    'facts)',
  protocols: ['smart'],
  check(run: RunRecord) {
    const r = checkpointIntervalProblems(run);
    return verdictOf(this.name, r.problems, { judged: r.judged },
      `${r.judged} checkpoints after an earlier one, each justified`);
  },
};
