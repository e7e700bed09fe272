/**
 * SMART leader stability, judged during the run from independent evidence (the `elect`
 * observations of the nodes that start elections, not the leader's own report): once a
 * configuration has a leader, a stretch of the run that no fault touches must see no new
 * election in that configuration. A leader that stops heartbeating, or a failure detector that
 * suspects a healthy leader, shows as an election in the middle of a quiet stretch.
 */
import type { RunRecord } from '../simulator/run-record.js';
import type { Property } from './types.js';
import { configurations, elections, fail, leaderships, pass, skip } from './smart-observations.js';
import { numberParam } from './run-values.js';

/**
 * The [from, to) stretches no fault touches: before the first fault, and from the settle heal
 * (which heals everything, restarts every crashed node and quiets the network) to the end.
 * Between faults a crash or a partition may still be in force, and a cut-off member then keeps
 * campaigning legitimately.
 */
function quietStretches(run: RunRecord): [number, number][] {
  const first = Math.min(run.faultWindowEndUs, ...run.faults.map((f) => f.at));
  return [[0, first], [run.faultWindowEndUs, run.endUs + 1]];
}

export const smartLeaderStability: Property = {
  name: 'smart-leader-stability',
  description: 'once a configuration has a leader, no election starts in it during a stretch ' +
    'that no fault touches (after a settling grace of two suspicion timeouts)',
  protocols: ['smart'],
  check(run) {
    const { table } = configurations(run);
    // A fault's after-effects (campaigns started while cut off, delayed messages) may still
    // elect once: judge a stretch only after every member could have timed out twice.
    const size = Math.max(...[...table.values()].map((c) => c.members.length));
    const grace = 2 * (numberParam(run, 'leaderTimeoutUs', 300_000)
      + size * numberParam(run, 'staggerUs', 100_000));
    const leaders = leaderships(run);
    const elects = elections(run);
    let judged = 0;
    for (const [from, to] of quietStretches(run)) {
      const start = from + grace;
      if (start >= to) continue;
      for (const c of table.keys()) {
        // Judged only where this configuration already had a leader when the stretch settled.
        const led = leaders.some((l) => l.data.config === c && l.at <= start);
        if (!led) continue;
        judged++;
        const e = elects.find((x) => x.data.config === c && x.at >= start && x.at < to);
        if (e !== undefined) {
          return fail(this.name, `${e.node} started an election in configuration ${c} at ` +
            `t=${e.at}us, in a stretch [${from}, ${to})us that no fault touched`);
        }
      }
    }
    if (judged === 0) return skip(this.name, 'no quiet stretch long enough to judge');
    return pass(this.name, `${judged} quiet stretch(es) × configuration without an election`);
  },
};
