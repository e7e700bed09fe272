/**
 * SMART's `exec` facts as several checks read them, gathered in one walk per run. Every machine
 * executes every slot, so a run has tens of thousands of these facts, and a walk over them costs
 * more in reaching each fact than in what a check does with it: the checks that want each slot's
 * command or one node's executions read them here instead of walking every fact again.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { onceEach } from './memo.js';
import { executions } from './smart-observations.js';

export interface ExecIndex {
  /**
   * Per slot, the command of its first `exec` fact in record order (`command[slot] ??= …` over
   * the facts, so a slot that is no array index is a key of the array all the same).
   */
  readonly command: readonly string[];
  /** Per node, the positions in `executions(run)` of its facts, ascending. */
  readonly positions: ReadonlyMap<string, readonly number[]>;
}

export const execIndex: (run: RunRecord) => ExecIndex = onceEach((run: RunRecord): ExecIndex => {
  const command: string[] = [];
  const positions = new Map<string, number[]>();
  let node = '';
  let mine: number[] = [];
  for (let ix = 0, xs = executions(run); ix < xs.length; ix++) {
    const o = xs[ix]!;
    command[o.data.slot] ??= o.data.command;
    // A node's facts come in runs (one step executes several slots): the last list kept at hand.
    if (o.node !== node || ix === 0) {
      node = o.node;
      const known = positions.get(node);
      if (known === undefined) positions.set(node, mine = []);
      else mine = known;
    }
    mine.push(ix);
  }
  return { command, positions };
});
