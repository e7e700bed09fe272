/**
 * Which built-in scenario catches each SMART mutant (P1.10), shared by the tests, the seed bench
 * and the report. A mutant counts as caught when some property fails or the run itself fails.
 */
import { findProtocol } from '../../protocol/registry.js';
import type { AnyProtocol } from '../../protocol/types.js';
import type { Verdict } from '../../properties/types.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { builtinScenarioNames, loadScenario } from '../load.js';
import { runChecked } from '../runner.js';

/** `from`: the first seed to hunt from, for a fixed schedule found by explore at its seed. */
export const smartMutantScenarios: readonly { readonly mutant: string;
  readonly scenario: string; readonly trace?: true; readonly from?: number }[] = [
  { mutant: 'smart:no-alpha-check', scenario: 'smart-alpha-boundary' },
  { mutant: 'smart:minority-quorum', scenario: 'smart-minority-partition' },
  { mutant: 'smart:leader-amnesia', scenario: 'smart-leader-amnesia' },
  { mutant: 'smart:retire-early', scenario: 'smart-migrate-disjoint' },
  { mutant: 'smart:no-null-fill', scenario: 'smart-null-fill-deadlock' },
  { mutant: 'smart:latest-config-only', scenario: 'smart-migrate-consecutive' },
  { mutant: 'smart:no-reply-cache', scenario: 'smart-duplicate-across-configs' },
  { mutant: 'smart:poll-ignores-accepted', scenario: 'smart-leader-churn' },
  { mutant: 'smart:ack-before-persist', scenario: 'smart-slow-disk' },
  { mutant: 'smart:half-quorum', scenario: 'smart-even-partition' },
  { mutant: 'smart:heartbeat-stops', scenario: 'smart-steady' },
  // Judged from the message record (smart-repository), so the run keeps one.
  { mutant: 'smart:repo-forgets', scenario: 'smart-extended-disconnection', trace: true },
  { mutant: 'smart:write-unestablished', scenario: 'smart-costed-migration', trace: true },
  { mutant: 'smart:repo-silent', scenario: 'smart-extended-disconnection', trace: true },
  { mutant: 'smart:repo-no-defunct', scenario: 'smart-migrate-disjoint', trace: true },
  { mutant: 'smart:finished-no-join', scenario: 'smart-flush-cut-leader', trace: true },
  { mutant: 'smart:propose-without-state', scenario: 'smart-migrate-consecutive' },
  { mutant: 'smart:checkpoint-no-pause', scenario: 'smart-costed-migration' },
  { mutant: 'smart:drop-at-candidate', scenario: 'smart-steady' },
  { mutant: 'smart:checkpoint-every-slot', scenario: 'smart-steady' },
  // Judged from the message record (smart-fetch-one-at-a-time), so the run keeps one.
  { mutant: 'smart:fetch-from-all', scenario: 'smart-costed-migration', trace: true },
  // Judged from the message record (smart-fetch-preferred).
  { mutant: 'smart:no-preferred-source', scenario: 'smart-leader-fetch-once', trace: true },
  // Judged from the message record (smart-preempt).
  { mutant: 'smart:no-preempt', scenario: 'smart-preempt-race', trace: true },
  { mutant: 'smart:preempt-anytime', scenario: 'smart-late-preempt' },
  { mutant: 'smart:note-before-persist', scenario: 'smart-ckpt-note-slow-disk' },
  // Judged from the message record (smart-no-propose-after-decided).
  { mutant: 'smart:keep-acks', scenario: 'smart-lossy', trace: true },
  { mutant: 'smart:no-cached-answer', scenario: 'smart-majority-partition' },
  // Judged from the message record (smart-elect-behind-join).
  { mutant: 'smart:no-elect-behind-join', scenario: 'smart-elect-behind-join', trace: true },
  { mutant: 'smart:hold-retries', scenario: 'smart-slow-disk' },
  { mutant: 'smart:newer-holds-silently', scenario: 'smart-newer-replica-holds' },
  // Judged from the message record (smart-role-stepdown).
  { mutant: 'smart:role-on-every-follow', scenario: 'smart-steady', trace: true },
  // Judged from the message record (smart-heartbeat-answer).
  { mutant: 'smart:fetch-every-beat', scenario: 'smart-steady', trace: true },
  { mutant: 'smart:note-always-writes', scenario: 'smart-steady', trace: true },
  // Judged from the message record (smart-preempt, its silent side).
  { mutant: 'smart:preempt-from-anyone', scenario: 'smart-preempt-dup', trace: true },
  // Judged from the message record (smart-fetch-behind).
  { mutant: 'smart:fetch-while-caught-up', scenario: 'smart-preempt-race', trace: true },
  // Judged from the message record (smart-ready-colocated).
  { mutant: 'smart:no-self-ready', scenario: 'smart-elect-behind-join', trace: true },
  // Judged from the message record (smart-preempt's candidate side, smart-follower-redirects'
  // held requests, smart-leader-replies' stale answers, smart-fetch-behind).
  { mutant: 'smart:ignore-preempt', scenario: 'smart-preempt-race', trace: true },
  { mutant: 'smart:forget-held', scenario: 'smart-preempt-race', trace: true },
  { mutant: 'smart:stale-cached-answer', scenario: 'smart-preempt-dup', trace: true },
  { mutant: 'smart:fetch-at-catch-point', scenario: 'smart-idle-catch-up', trace: true },
  // Judged from the message record (smart-fetch-preferred, the side that waits).
  { mutant: 'smart:ask-unpreferred-at-once', scenario: 'smart-leader-fetch-once', trace: true },
  { mutant: 'smart:truncate-past-checkpoint', scenario: 'smart-lost-leader-checkpoint' },
  // Judged from the message record (smart-new-config-at-once).
  { mutant: 'smart:new-config-on-resend', scenario: 'smart-elect-behind-join', trace: true },
  { mutant: 'smart:poll-last-voter', scenario: 'smart-poll-last-voter' },
  // Judged from the message record (smart-fetch-preferred, the side that waits).
  { mutant: 'smart:heartbeat-fetch-at-once', scenario: 'smart-heartbeat-fetch-waits',
    trace: true },
  // Judged from the message record (smart-preempt's stale side).
  { mutant: 'smart:stale-preempt', scenario: 'smart-stale-preempt', trace: true },
  // Judged from the message record (smart-ballot-owner).
  { mutant: 'smart:ballots-without-index', scenario: 'smart-migrate-disjoint', trace: true },
  // Judged from the message record (smart-heartbeat-answer, the side that asks).
  { mutant: 'smart:lacks-state-past-first', scenario: 'smart-newcomer-decisions-lost',
    trace: true },
  // Judged from the message record (smart-elect-behind-join: its cap, and its ELECT again at a
  // new ballot).
  { mutant: 'smart:elect-cap-counts-others', scenario: 'smart-elect-behind-lost-join',
    trace: true },
  { mutant: 'smart:reask-kept-across-ballots', scenario: 'smart-elect-behind-lost-join',
    trace: true },
  // Judged from the message record (smart-elect-behind-join's cap, a vote between re-asks).
  { mutant: 'smart:reask-forgotten-at-vote', scenario: 'smart-elect-behind-vote', trace: true },
  // Explore trial 1630420's schedule: only its own seed fills both local leaders' ranges in one
  // step (none of seeds 0-19 does).
  { mutant: 'smart:redirect-every-queue', scenario: 'smart-two-leaders-one-request',
    from: 1630420 },
  // Judged without the record (smart-first-timeout): n4, rank 2 of configuration 2, campaigns
  // 80 ms after its replica starts.
  { mutant: 'smart:stagger-subtracted', scenario: 'smart-null-fill-deadlock' },
  // Judged by a pair assertion (a request redirectClient is given is answered in the step): n1
  // flushes c1's #124 in a step that answered another client's #124.
  { mutant: 'smart:answered-by-seq', scenario: 'smart-alpha-boundary' },
  // Judged without the record (smart-executes-learned's boot side): n3 restarts from a disk
  // whose log holds decided slots above its checkpoint.
  { mutant: 'smart:restart-forgets-decided', scenario: 'smart-follower-restart' },
  // Judged by a pair assertion (a vote holds no entry at or below its truncation): n2's vote
  // after the heal, truncated mid-chunk.
  { mutant: 'smart:truncation-keeps-cut', scenario: 'smart-minority-partition' },
];

export function smartProtocol(): AnyProtocol {
  const p = findProtocol('smart');
  if (p === undefined) throw new Error('the smart protocol is not registered');
  return p;
}

export function smartScenarioNames(): string[] {
  return builtinScenarioNames().filter((n) => n.startsWith('smart-'));
}

export interface SmartRun {
  readonly run: RunRecord;
  readonly failed: readonly Verdict[];
}

/**
 * One run of a built-in SMART scenario through the one run-and-check pipeline (runner.ts), so
 * every property `replisim run` checks is checked here too.
 */
export function runSmart(scenario: string, seed: number, mutant: string | null = null,
  trace = false): SmartRun {
  const checked = runChecked({ scenario: loadScenario(scenario), protocol: 'smart',
    seed, mutant, keepTrace: trace });
  return { run: checked.record, failed: checked.violations };
}

/** The first seed in [from, from + seeds) at which `mutant` is caught in `scenario`, or null. */
export function huntMutant(mutant: string, scenario: string, seeds: number, trace = false,
  from = 0): { seed: number; found: SmartRun } | null {
  for (let seed = from; seed < from + seeds; seed++) {
    const found = runSmart(scenario, seed, mutant, trace);
    if (found.failed.length > 0) return { seed, found };
  }
  return null;
}
