/**
 * SMART's fetch of a starting state with `fetchRetryUs` set (our documented choice for P1.6
 * step 5, protocol/smart/fetch.ts and docs/smart.md): one STATE-REQUEST outstanding per machine
 * at a time, renewed only after `fetchRetryUs` without the state. Without it a large state is
 * copied by several sources at once (mutation #4460 of the seed-31 sample: a new member asked
 * every source within half a millisecond, nine copies instead of three).
 *
 * Evidence: the message record (the simulator's sends, never a node's account of its fetch).
 * Two STATE-REQUESTs of one machine with the same `have` (it got no state in between) may not
 * come from steps less than `fetchRetryUs` apart: the steps' instants, not the sends', since a
 * send leaves when its step's disk write and CPU wait are done (explore trial 2 of
 * smart-leader-fetch-once: n6, paused 12-906 ms, asked n1 at a step at 906.2 ms and n4 at one
 * at 936.75 ms, a renewal 30.5 ms later as the rule says, but the first request left behind the
 * resumed backlog at 936.8 ms, 10.6 ms before the second). Not judged across the machine going
 * down or up, nor while a timing fault (slow node or disk, pause, skew, clog) is in force.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { segments, unperturbed } from './fault-state.js';
import { bouncedBetween, numberParam, stepOf } from './run-values.js';
import { skip } from './smart-observations.js';
import { verdictOf, type Property } from './types.js';

const REQUEST = /^StateRequest c=(\d+) have=(\d+)$/;

export function fetchProblems(run: RunRecord): { problems: string[]; judged: number } | string {
  const retryUs = numberParam(run, 'fetchRetryUs', 0);
  if (retryUs <= 0) return 'fetchRetryUs is 0: every reason to fetch may send a request';
  if (run.messages === undefined) return 'the run kept no message record';
  const segs = segments(run);
  const calm = (from: number, to: number): boolean => unperturbed(segs, from, to);
  const last = new Map<string, { step: number; have: number }>();
  const problems: string[] = [];
  let judged = 0;
  // In step order: the record lists messages as they leave or arrive.
  const asks = run.messages.filter((m) => REQUEST.test(m.label))
    .map((m) => ({ m, step: stepOf(m) })).sort((a, b) => a.step - b.step);
  for (const { m, step } of asks) {
    const have = Number(REQUEST.exec(m.label)![2]);
    const before = last.get(m.from);
    last.set(m.from, { step, have });
    if (before === undefined || before.have !== have) continue;
    if (bouncedBetween(run, m.from, before.step, step) || !calm(before.step, step)) continue;
    judged++;
    if (step - before.step < retryUs) {
      problems.push(`${m.from} sent STATE-REQUEST (have=${have}) at a step at t=${before.step}us ` +
        `and again to ${m.to} at one at t=${step}us, ${step - before.step}us later, with no ` +
        `state in between: one request at a time, renewed after fetchRetryUs (${retryUs}us)`);
    }
  }
  return { problems, judged };
}

export const smartFetch: Property = {
  name: 'smart-fetch-one-at-a-time',
  description: 'P1.6 step 5 with fetchRetryUs: one state request per machine at a time, renewed ' +
    'only after fetchRetryUs without the state (the message record)',
  protocols: ['smart'],
  check(run: RunRecord) {
    const r = fetchProblems(run);
    if (typeof r === 'string') return skip(this.name, r);
    return verdictOf(this.name, r.problems, { judged: r.judged }, `${r.judged} repeated state ` +
      'requests, each after half the retry period or more');
  },
};
