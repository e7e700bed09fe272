/**
 * SMART P1.5: a follower campaigns only after `leaderTimeoutUs` without news of a leader, and a
 * new replica's first timeout is staggered by its rank (`staggerUs`), so the configuration's
 * first member, which campaigns at once, usually leads without contention. Stryker #6764 of the
 * seed-54 sample (`smart:stagger-subtracted`) subtracted the stagger: later members of a new
 * configuration timed out sooner, ranks 3 and up at once, and 33 elections of the campaign came
 * before any timeout could have run out while every other check held.
 *
 * Judged from the `replica` and `elect` facts at their steps (not at their records, which may
 * wait for a disk write), for the first campaign of a member of rank k ≥ 1 after its replica
 * started:
 * - it comes no sooner than `leaderTimeoutUs` after the start: every election timer a replica
 *   arms lies at least that far ahead (start, restart, a leader's news, a lost campaign), and
 *   only rank 0 starts campaigning at once;
 * - while no other member of the configuration has campaigned by then, no sooner than
 *   `leaderTimeoutUs + k·staggerUs`: nothing but another member's ballot re-arms the timer of a
 *   replica that has heard no leader (a restart re-arms it at its own rank again).
 * A later start of the same node (after amnesia) is judged from its own fact. Not judged on a
 * node whose clock was skewed (its timers run at another rate); pauses and a busy CPU only
 * delay a timer.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { numberParam, pushTo } from './run-values.js';
import {
  configurations, elections, fail, pass, replicaStarts, skip, stepTime,
} from './smart-observations.js';
import type { Property } from './types.js';

/** The defaults of protocol/smart/index.ts, for a run that records no parameter. */
const LEADER_TIMEOUT_US = 300_000;
const STAGGER_US = 100_000;

export function firstTimeoutProblem(run: RunRecord): { problem: string | null; judged: number } {
  const timeoutUs = numberParam(run, 'leaderTimeoutUs', LEADER_TIMEOUT_US);
  const staggerUs = numberParam(run, 'staggerUs', STAGGER_US);
  const { table } = configurations(run);
  const skewed = new Set(run.nodeEvents.filter((e) => e.kind === 'skewed').map((e) => e.node));
  // Each configuration's campaigns in step order: who campaigned, when.
  const campaigns = new Map<number, { node: string; at: number }[]>();
  for (const e of elections(run)) {
    pushTo(campaigns, e.data.config, { node: e.node, at: stepTime(e) });
  }
  for (const list of campaigns.values()) list.sort((a, b) => a.at - b.at);
  let judged = 0;
  for (const start of replicaStarts(run)) {
    const c = table.get(start.data.config);
    if (c === undefined || skewed.has(start.node)) continue;
    const rank = c.members.indexOf(start.node);
    if (rank < 1) continue;
    const from = stepTime(start);
    const list = campaigns.get(c.num) ?? [];
    const mine = list.find((e) => e.node === start.node && e.at >= from);
    if (mine === undefined) continue;
    judged++;
    const others = list.some((e) => e.node !== start.node && e.at <= mine.at);
    const bound = from + timeoutUs + (others ? 0 : rank * staggerUs);
    if (mine.at < bound) {
      return {
        problem: `${start.node} (rank ${rank} of configuration ${c.num}, its replica started at ` +
          `t=${from}us) campaigned at t=${mine.at}us, before t=${bound}us` +
          (others ? '' : ', and no other member had campaigned yet') +
          ` (leaderTimeoutUs ${timeoutUs}, staggerUs ${staggerUs})`,
        judged,
      };
    }
  }
  return { problem: null, judged };
}

export const smartFirstTimeout: Property = {
  name: 'smart-first-timeout',
  description: 'a new replica of rank k ≥ 1 first campaigns no sooner than leaderTimeoutUs ' +
    'after it started, and no sooner than leaderTimeoutUs + k·staggerUs while no other member ' +
    'has campaigned (P1.5)',
  protocols: ['smart'],
  check(run: RunRecord) {
    const { problem, judged } = firstTimeoutProblem(run);
    if (problem !== null) return fail(this.name, problem);
    if (judged === 0) return skip(this.name, 'no member of rank 1 or more campaigned');
    return pass(this.name, `${judged} first campaign(s) of members of rank 1 or more, each ` +
      'after its timeout');
  },
};
