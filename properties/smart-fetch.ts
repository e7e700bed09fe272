/**
 * SMART's fetch of a starting state with `fetchRetryUs` set (our documented choice for P1.6
 * step 5, protocol/smart/fetch.ts and docs/smart.md): one STATE-REQUEST outstanding per machine
 * at a time, renewed only after `fetchRetryUs` without the state. Without it a large state is
 * copied by several sources at once (mutation #4460 of the seed-31 sample: a new member asked
 * every source within half a millisecond, nine copies instead of three).
 *
 * Evidence: the message record (the simulator's sends, never a node's account of its fetch).
 * Two STATE-REQUESTs of one machine with the same `have` (it got no state in between) may not
 * leave within half of `fetchRetryUs` of each other: half, since a send leaves when its step's
 * disk write and CPU wait are done, not at the step. Not judged across the machine going down or
 * up, nor while a timing fault (slow node or disk, pause, skew, clog) is in force, nor from the
 * machine's first pause on: on resume it handles everything it held, and a send of an early step
 * of that backlog queues behind the CPU (cost model) and disk work of all of it, so it may leave
 * any time later (explore trial 2 of smart-leader-fetch-once: n6, paused 12-906 ms, asked n1 at
 * a step at 906.2 ms and n4 at 936.75 ms, a renewal 30.5 ms later as the rule says, but the
 * first request left at 936.8 ms and the second 10.6 ms after it). The record gives no step
 * instants to tell how long such a backlog lasts.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { segments, unperturbed } from './fault-state.js';
import { bouncedBetween, firstHeld, numberParam } from './run-values.js';
import { skip } from './smart-observations.js';
import { verdictOf, type Property } from './types.js';

const REQUEST = /^StateRequest c=(\d+) have=(\d+)$/;

export function fetchProblems(run: RunRecord): { problems: string[]; judged: number } | string {
  const retryUs = numberParam(run, 'fetchRetryUs', 0);
  if (retryUs <= 0) return 'fetchRetryUs is 0: every reason to fetch may send a request';
  if (run.messages === undefined) return 'the run kept no message record';
  const segs = segments(run);
  const calm = (from: number, to: number): boolean => unperturbed(segs, from, to);
  const firstPause = firstHeld(run);
  const last = new Map<string, { sent: number; have: number }>();
  const problems: string[] = [];
  let judged = 0;
  for (const m of run.messages) {
    const r = REQUEST.exec(m.label);
    if (r === null) continue;
    const have = Number(r[2]);
    const before = last.get(m.from);
    last.set(m.from, { sent: m.sent, have });
    if (before === undefined || before.have !== have) continue;
    if (bouncedBetween(run, m.from, before.sent, m.sent) || !calm(before.sent, m.sent)) continue;
    if ((firstPause.get(m.from) ?? Infinity) <= m.sent) continue; // See above: a held backlog.
    judged++;
    if (m.sent - before.sent < retryUs / 2) {
      problems.push(`${m.from} sent STATE-REQUEST (have=${have}) at t=${before.sent}us and again ` +
        `to ${m.to} at t=${m.sent}us, ${m.sent - before.sent}us later, with no state in between: ` +
        `one request at a time, renewed after fetchRetryUs (${retryUs}us)`);
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
