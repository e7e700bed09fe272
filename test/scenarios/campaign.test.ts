import { describe, expect, it } from 'vitest';
import { findProtocol } from '../../protocol/registry.js';
import {
  campaignFor, campaignSteps, progressViolation, runCampaign, runStep, type CampaignStep,
} from '../../scenarios/campaign.js';
import { runTrial } from '../../scenarios/explore.js';
import { loadScenario } from '../../scenarios/load.js';

/**
 * Every declared mutant with the campaign step that catches it first (index into the campaign's
 * steps, found by running the whole campaign) and the property it violates. Adding a mutant to
 * a protocol without a row here fails.
 */
const CAUGHT: Record<string, readonly { mutant: string; step: number; scenario: string;
  seed: number; property: string }[]> = {
  smart: [
    { mutant: 'smart:no-reply-cache', step: 1, scenario: 'smart-minority-partition', seed: 0,
      property: 'linearizability' },
    { mutant: 'smart:minority-quorum', step: 3, scenario: 'smart-slow-disk', seed: 0,
      property: 'linearizability' },
    { mutant: 'smart:poll-ignores-accepted', step: 3, scenario: 'smart-slow-disk', seed: 0,
      property: 'smart-slot-agreement' },
    { mutant: 'smart:ack-before-persist', step: 3, scenario: 'smart-slow-disk', seed: 0,
      property: 'linearizability' },
    { mutant: 'smart:retire-early', step: 4, scenario: 'smart-null-fill-deadlock', seed: 0,
      property: 'smart-no-premature-retirement' },
    { mutant: 'smart:no-null-fill', step: 4, scenario: 'smart-null-fill-deadlock', seed: 0,
      property: 'smart-liveness-slots' },
    // Forgetting older configurations breaks the invariant that collected ones are defunct.
    { mutant: 'smart:latest-config-only', step: 4, scenario: 'smart-null-fill-deadlock', seed: 0,
      property: 'no-assertion-failure' },
    { mutant: 'smart:leader-amnesia', step: 9, scenario: 'smart-leader-amnesia', seed: 0,
      property: 'smart-slot-agreement' },
    // Since a leaderless follower holds requests (releaseHeld), leader-churn seed 0 no longer
    // gives this mutant a slot past its range there; the protocol's ownership assertion does.
    { mutant: 'smart:no-alpha-check', step: 10, scenario: 'smart-alpha-boundary', seed: 0,
      property: 'no-assertion-failure' },
    { mutant: 'smart:heartbeat-stops', step: 0, scenario: 'smart-steady', seed: 0,
      property: 'smart-leader-stability' },
    { mutant: 'smart:half-quorum', step: 33, scenario: 'smart-even-partition', seed: 0,
      property: 'linearizability' },
    { mutant: 'smart:repo-forgets', step: 5, scenario: 'smart-migrate-disjoint', seed: 0,
      property: 'smart-repository' },
    { mutant: 'smart:write-unestablished', step: 39, scenario: 'smart-costed-migration',
      seed: 0, property: 'smart-repository' },
    { mutant: 'smart:repo-silent', step: 5, scenario: 'smart-migrate-disjoint', seed: 0,
      property: 'smart-repository' },
    { mutant: 'smart:repo-no-defunct', step: 5, scenario: 'smart-migrate-disjoint', seed: 0,
      property: 'smart-repository' },
    { mutant: 'smart:finished-no-join', step: 40, scenario: 'smart-flush-cut-leader', seed: 1,
      property: 'smart-join-requests' },
    { mutant: 'smart:propose-without-state', step: 6, scenario: 'smart-migrate-consecutive',
      seed: 0, property: 'smart-starting-state' },
    { mutant: 'smart:checkpoint-no-pause', step: 39, scenario: 'smart-costed-migration',
      seed: 0, property: 'smart-checkpoint-pause' },
    { mutant: 'smart:drop-at-candidate', step: 0, scenario: 'smart-steady', seed: 0,
      property: 'smart-calm-no-timeout' },
    { mutant: 'smart:checkpoint-every-slot', step: 0, scenario: 'smart-steady', seed: 0,
      property: 'smart-checkpoint-interval' },
    { mutant: 'smart:fetch-from-all', step: 39, scenario: 'smart-costed-migration', seed: 0,
      property: 'smart-fetch-one-at-a-time' },
    { mutant: 'smart:no-preempt', step: 38, scenario: 'smart-preempt-race', seed: 0,
      property: 'smart-preempt' },
    { mutant: 'smart:preempt-anytime', step: 43, scenario: 'smart-late-preempt', seed: 0,
      property: 'smart-leader-stability' },
    { mutant: 'smart:note-before-persist', step: 44, scenario: 'smart-ckpt-note-slow-disk',
      seed: 0, property: 'smart-log-bound' },
    { mutant: 'smart:keep-acks', step: 12, scenario: 'smart-lossy', seed: 0,
      property: 'smart-no-propose-after-decided' },
    { mutant: 'smart:no-cached-answer', step: 11, scenario: 'smart-majority-partition', seed: 0,
      property: 'smart-leader-answers' },
    { mutant: 'smart:no-elect-behind-join', step: 45, scenario: 'smart-elect-behind-join',
      seed: 0, property: 'smart-elect-behind-join' },
    { mutant: 'smart:hold-retries', step: 3, scenario: 'smart-slow-disk', seed: 0,
      property: 'smart-redirect-once' },
    { mutant: 'smart:newer-holds-silently', step: 46, scenario: 'smart-newer-replica-holds',
      seed: 0, property: 'smart-progress-quorum' },
    { mutant: 'smart:no-preferred-source', step: 47, scenario: 'smart-leader-fetch-once',
      seed: 0, property: 'smart-fetch-preferred' },
    { mutant: 'smart:role-on-every-follow', step: 5, scenario: 'smart-migrate-disjoint', seed: 0,
      property: 'smart-role-stepdown' },
    { mutant: 'smart:fetch-every-beat', step: 5, scenario: 'smart-migrate-disjoint', seed: 0,
      property: 'smart-heartbeat-answer' },
    { mutant: 'smart:note-always-writes', step: 5, scenario: 'smart-migrate-disjoint', seed: 0,
      property: 'smart-heartbeat-answer' },
    { mutant: 'smart:preempt-from-anyone', step: 49, scenario: 'smart-preempt-dup', seed: 1,
      property: 'smart-preempt' },
    { mutant: 'smart:fetch-while-caught-up', step: 38, scenario: 'smart-preempt-race', seed: 0,
      property: 'smart-fetch-behind' },
    { mutant: 'smart:no-self-ready', step: 45, scenario: 'smart-elect-behind-join', seed: 0,
      property: 'smart-ready-colocated' },
    { mutant: 'smart:ignore-preempt', step: 38, scenario: 'smart-preempt-race', seed: 0,
      property: 'smart-preempt' },
    { mutant: 'smart:forget-held', step: 38, scenario: 'smart-preempt-race', seed: 0,
      property: 'smart-follower-redirects' },
    { mutant: 'smart:stale-cached-answer', step: 49, scenario: 'smart-preempt-dup', seed: 1,
      property: 'smart-leader-replies' },
    { mutant: 'smart:fetch-at-catch-point', step: 50, scenario: 'smart-idle-catch-up', seed: 0,
      property: 'smart-fetch-behind' },
    { mutant: 'smart:ask-unpreferred-at-once', step: 39, scenario: 'smart-costed-migration',
      seed: 0, property: 'smart-fetch-preferred' },
    { mutant: 'smart:truncate-past-checkpoint', step: 51,
      scenario: 'smart-lost-leader-checkpoint', seed: 0, property: 'smart-progress-quorum' },
    { mutant: 'smart:new-config-on-resend', step: 45, scenario: 'smart-elect-behind-join',
      seed: 0, property: 'smart-new-config-at-once' },
    { mutant: 'smart:poll-last-voter', step: 52, scenario: 'smart-poll-last-voter', seed: 0,
      property: 'smart-logged-proposal' },
    { mutant: 'smart:heartbeat-fetch-at-once', step: 53,
      scenario: 'smart-heartbeat-fetch-waits', seed: 0, property: 'smart-fetch-preferred' },
    { mutant: 'smart:stale-preempt', step: 54, scenario: 'smart-stale-preempt', seed: 0,
      property: 'smart-preempt' },
    { mutant: 'smart:ballots-without-index', step: 5, scenario: 'smart-migrate-disjoint', seed: 0,
      property: 'smart-ballot-owner' },
    { mutant: 'smart:lacks-state-past-first', step: 55,
      scenario: 'smart-newcomer-decisions-lost', seed: 0, property: 'smart-heartbeat-answer' },
    { mutant: 'smart:elect-cap-counts-others', step: 56, scenario: 'smart-elect-behind-lost-join',
      seed: 0, property: 'smart-elect-behind-join' },
    { mutant: 'smart:reask-kept-across-ballots', step: 56,
      scenario: 'smart-elect-behind-lost-join', seed: 0, property: 'smart-elect-behind-join' },
    { mutant: 'smart:restart-forgets-decided', step: 3, scenario: 'smart-slow-disk', seed: 0,
      property: 'smart-executes-learned' },
    { mutant: 'smart:reask-forgotten-at-vote', step: 57, scenario: 'smart-elect-behind-vote',
      seed: 0, property: 'smart-elect-behind-join' },
    { mutant: 'smart:truncation-keeps-cut', step: 1, scenario: 'smart-minority-partition',
      seed: 0, property: 'no-assertion-failure' },
    { mutant: 'smart:redirect-every-queue', step: 59, scenario: 'smart-two-leaders-one-request',
      seed: 1630420, property: 'smart-redirect-once' },
    { mutant: 'smart:stagger-subtracted', step: 4, scenario: 'smart-null-fill-deadlock', seed: 0,
      property: 'smart-first-timeout' },
    { mutant: 'smart:answered-by-seq', step: 10, scenario: 'smart-alpha-boundary', seed: 0,
      property: 'no-assertion-failure' },
  ],
  opb: [
    { mutant: 'opb:no-dominance', step: 0, scenario: 'opb-partition-halves', seed: 0,
      property: 'opb-c1-unique-primary' },
    { mutant: 'opb:no-dedup', step: 0, scenario: 'opb-partition-halves', seed: 0,
      property: 'opb-c5-at-most-once' },
    { mutant: 'opb:accept-stale-epoch', step: 0, scenario: 'opb-partition-halves', seed: 0,
      property: 'opb-c7-epoch-monotonic' },
    { mutant: 'opb:self-promote-on-recovery', step: 2, scenario: 'opb-recovering-top', seed: 0,
      property: 'opb-c3-closure' },
    { mutant: 'opb:no-hysteresis', step: 4, scenario: 'opb-spike', seed: 0,
      property: 'opb-c8-room' },
    { mutant: 'opb:consolidate-one-zone', step: 5, scenario: 'opb-diurnal', seed: 0,
      property: 'opb-c8-placement' },
    { mutant: 'opb:ack-before-persist', step: 15, scenario: 'opb-slow-disk', seed: 0,
      property: 'opb-c6-no-loss-without-fork' },
    { mutant: 'opb:claim-before-persist', step: 30, scenario: 'opb-claim-slow-disk', seed: 2,
      property: 'opb-log-matching' },
    { mutant: 'opb:ignore-operator', step: 38, scenario: 'opb-operator-handoff', seed: 0,
      property: 'opb-operator-handoff' },
    { mutant: 'opb:no-handback', step: 9, scenario: 'opb-asymmetric', seed: 0,
      property: 'opb-handback' },
    { mutant: 'opb:operator-to-all', step: 38, scenario: 'opb-operator-handoff', seed: 0,
      property: 'opb-operator-handoff' },
    { mutant: 'opb:keep-outbox', step: 3, scenario: 'opb-primary-crash', seed: 0,
      property: 'opb-outbox-confirmed' },
    { mutant: 'opb:ignore-sticky', step: 70, scenario: 'opb-recovering-top-sticky', seed: 8,
      property: 'opb-handback' },
    { mutant: 'opb:retry-refused', step: 31, scenario: 'opb-join-refused', seed: 0,
      property: 'opb-join-refusal' },
    { mutant: 'opb:early-repair', step: 18, scenario: 'opb-three-way-discard', seed: 0,
      property: 'opb-repair-wait' },
    { mutant: 'opb:placement-break-first', step: 18, scenario: 'opb-three-way-discard',
      seed: 0, property: 'opb-repair-wait' },
    { mutant: 'opb:balance-no-room', step: 4, scenario: 'opb-spike', seed: 0,
      property: 'opb-c8-room' },
    { mutant: 'opb:handback-no-room', step: 71, scenario: 'opb-recovering-top-busy', seed: 22,
      property: 'opb-c8-room' },
    { mutant: 'opb:join-unreported', step: 0, scenario: 'opb-partition-halves', seed: 0,
      property: 'opb-join-reported' },
    { mutant: 'opb:no-epoch-report', step: 49, scenario: 'opb-corruption-services', seed: 29,
      property: 'opb-c1-unique-primary' },
    // Not at step 29 (opb-diurnal-four, PCT) since the load checks' arrival slack counts the
    // run's PCT holds (explore trial 1730461 of opb-diurnal).
    { mutant: 'opb:gather-at-lw', step: 50, scenario: 'opb-diurnal', seed: 6,
      property: 'opb-c8-gather-low' },
    { mutant: 'opb:keep-own-members', step: 72, scenario: 'opb-bridge-loser-leaves',
      seed: 10, property: 'opb-dominance' },
    { mutant: 'opb:no-move-budget', step: 4, scenario: 'opb-spike', seed: 0,
      property: 'opb-move-budget' },
    { mutant: 'opb:relay-age-zero', step: 3, scenario: 'opb-primary-crash', seed: 0,
      property: 'opb-failover' },
    { mutant: 'opb:promote-over-relayed', step: 52, scenario: 'opb-one-way-relayed-primary',
      seed: 0, property: 'opb-promotion' },
    { mutant: 'opb:early-abort', step: 18, scenario: 'opb-three-way-discard', seed: 0,
      property: 'opb-move-abort' },
    { mutant: 'opb:silent-follow', step: 18, scenario: 'opb-three-way-discard', seed: 0,
      property: 'opb-role-facts' },
    { mutant: 'opb:keep-headless-primary', step: 49, scenario: 'opb-corruption-services',
      seed: 29, property: 'opb-c1-unique-primary' },
    { mutant: 'opb:discard-untold', step: 18, scenario: 'opb-three-way-discard', seed: 0,
      property: 'opb-discard-told' },
    { mutant: 'opb:consolidate-busy', step: 29, scenario: 'opb-diurnal-four', seed: 0,
      property: 'opb-c8-consolidate-below-cmax' },
    { mutant: 'opb:synced-note-once', step: 53, scenario: 'opb-lost-synced-note', seed: 0,
      property: 'opb-epoch-barrier' },
    { mutant: 'opb:keep-claim-above-epoch', step: 54, scenario: 'opb-corruption-pct', seed: 3330,
      property: 'opb-c1-unique-primary' },
    { mutant: 'opb:no-ack-floor', step: 31, scenario: 'opb-join-refused', seed: 0,
      property: 'opb-move-abort' },
    // Step 55 (opb-stale-transfer seed 1) no longer reaches a stale transfer since the stall
    // rules of explore trial 1710645; `campaign opb --mutant` stops here, at 64/95.
    { mutant: 'opb:install-stale-xfer', step: 63, scenario: 'opb-late-ack-below-checkpoint',
      seed: 191, property: 'opb-acks-kept' },
    { mutant: 'opb:handback-at-tick', step: 56, scenario: 'opb-handback-steady-writes', seed: 0,
      property: 'opb-handback' },
    { mutant: 'opb:answer-retry-early', step: 3, scenario: 'opb-primary-crash', seed: 0,
      property: 'opb-reply-rule' },
    { mutant: 'opb:wake-on-tick', step: 5, scenario: 'opb-diurnal', seed: 0,
      property: 'opb-wake-asked' },
    { mutant: 'opb:notice-armed-by-stale-reply', step: 57, scenario: 'opb-notice-late-retry',
      seed: 120, property: 'opb-discard-told' },
    { mutant: 'opb:retry-to-waiting', step: 58, scenario: 'opb-retry-after-checkpoint', seed: 1,
      property: 'retries-answered' },
    { mutant: 'opb:epoch-blind-freshness', step: 59, scenario: 'opb-stale-recovered-last',
      seed: 0, property: 'opb-failover' },
    { mutant: 'opb:handoff-to-unacked', step: 60, scenario: 'opb-handback-unacked', seed: 0,
      property: 'opb-handoff-caught-up' },
    { mutant: 'opb:handback-on-other-ack', step: 61, scenario: 'opb-handback-two-replicas',
      seed: 0, property: 'opb-handback' },
    { mutant: 'opb:notices-kept-on-step-down', step: 62, scenario: 'opb-notice-step-down',
      seed: 0, property: 'opb-discard-told' },
    { mutant: 'opb:late-ack-as-divergence', step: 63, scenario: 'opb-late-ack-below-checkpoint',
      seed: 191, property: 'opb-acked-holders' },
    { mutant: 'opb:sleep-without-power', step: 3, scenario: 'opb-primary-crash', seed: 0,
      property: 'opb-awake' },
    { mutant: 'opb:no-join-from-heartbeat', step: 35, scenario: 'opb-night-disasters',
      seed: 0, property: 'opb-c8-placement' },
    { mutant: 'opb:consolidate-over-cmax', step: 65, scenario: 'opb-gather-busy', seed: 0,
      property: 'opb-c8-room' },
    { mutant: 'opb:join-without-room', step: 31, scenario: 'opb-join-refused', seed: 0,
      property: 'opb-join-refusal' },
    { mutant: 'opb:asleep-refuses', step: 66, scenario: 'opb-clients-asleep', seed: 44376,
      property: 'liveness' },
    { mutant: 'opb:done-on-any-ack', step: 82, scenario: 'opb-diurnal', seed: 13,
      property: 'opb-move-abort' },
    { mutant: 'opb:refusal-keeps-move', step: 31, scenario: 'opb-join-refused', seed: 0,
      property: 'opb-move-abort' },
    { mutant: 'opb:stale-join-taken', step: 68, scenario: 'opb-stale-join', seed: 0,
      property: 'opb-no-resurrection' },
    { mutant: 'opb:notice-read-unseen', step: 69, scenario: 'opb-notice-read-newest', seed: 21,
      property: 'opb-discard-told' },
    { mutant: 'opb:install-says-reconciling', step: 10, scenario: 'opb-corruption', seed: 0,
      property: 'opb-install-role' },
    { mutant: 'opb:no-merge-union', step: 18, scenario: 'opb-three-way-discard', seed: 0,
      property: 'opb-merge-union' },
    { mutant: 'opb:asleep-gossips-every-round', step: 5, scenario: 'opb-diurnal', seed: 0,
      property: 'opb-awake' },
    { mutant: 'opb:notice-never-retired', step: 18, scenario: 'opb-three-way-discard', seed: 0,
      property: 'opb-discard-told' },
    { mutant: 'opb:resend-every-stall', step: 3, scenario: 'opb-primary-crash', seed: 0,
      property: 'opb-ack-echo' },
    { mutant: 'opb:directory-takes-older-claim', step: 16, scenario: 'opb-checkpoint-split',
      seed: 0, property: 'opb-no-resurrection' },
    { mutant: 'opb:trim-live-first', step: 18, scenario: 'opb-three-way-discard', seed: 0,
      property: 'opb-trim-order' },
    { mutant: 'opb:notice-newest-skips-asked', step: 73, scenario: 'opb-notice-handed-late-read',
      seed: 0, property: 'opb-discard-told' },
    { mutant: 'opb:merge-takes-refused', step: 74, scenario: 'opb-merge-refused-cool', seed: 0,
      property: 'opb-merge-union' },
    { mutant: 'opb:handback-on-lost-ack', step: 75, scenario: 'opb-handback-lost-ack', seed: 0,
      property: 'opb-handoff-caught-up' },
    { mutant: 'opb:takeover-without-tip', step: 78, scenario: 'opb-handback-amnesiac', seed: 0,
      property: 'opb-handoff-caught-up' },
    { mutant: 'opb:handback-without-drain', step: 79, scenario: 'opb-handback-write-stream',
      seed: 0, property: 'opb-handback' },
    { mutant: 'opb:restart-guard-shortcut', step: 80, scenario: 'opb-restart-stale-members',
      seed: 11, property: 'opb-c3-closure' },
    { mutant: 'opb:relayed-claim-no-age', step: 81, scenario: 'opb-paused-stale-claim',
      seed: 1, property: 'opb-handback' },
    { mutant: 'opb:stall-blind', step: 81, scenario: 'opb-paused-stale-claim', seed: 1,
      property: 'opb-handback' },
    { mutant: 'opb:removed-backup-reports', step: 83, scenario: 'opb-removed-member-returns',
      seed: 0, property: 'opb-c3-closure' },
    { mutant: 'opb:tick-writes-in-place', step: 84, scenario: 'opb-lone-checkpoint-heartbeats',
      seed: 3, property: 'opb-epoch-barrier' },
    { mutant: 'opb:follow-older-membership', step: 85, scenario: 'opb-minority-rival-claims',
      seed: 0, property: 'opb-failover' },
    { mutant: 'opb:placement-fix-or-nothing', step: 86, scenario: 'opb-zones-back-misplaced',
      seed: 49, property: 'opb-c8-placement' },
    { mutant: 'opb:done-floor-merged', step: 87, scenario: 'opb-merged-member-floor',
      seed: 24, property: 'opb-move-abort' },
    { mutant: 'opb:handoff-at-floor', step: 88, scenario: 'opb-handoff-name-reused',
      seed: 35, property: 'opb-log-matching' },
    { mutant: 'opb:handoff-drops-notices', step: 80, scenario: 'opb-restart-stale-members',
      seed: 11, property: 'opb-discard-told' },
    { mutant: 'opb:refusal-says-yes', step: 18, scenario: 'opb-three-way-discard', seed: 0,
      property: 'opb-join-ack' },
  ],
  example: [
    { mutant: 'example:volatile-log', step: 8, scenario: 'example-partition', seed: 2,
      property: 'retries-answered' },
  ],
};

describe('campaign', () => {
  for (const protocol of ['smart', 'opb', 'example']) {
    it(`the unmutated ${protocol} campaign finds no violation`, () => {
      const r = runCampaign(protocol, null);
      expect(r.violation).toBeNull();
      expect(r.ran).toBe(r.steps);
      expect(r.steps).toBeGreaterThan(5);
      // 20-25 CPU-s: 237 s of wall time beside two explores (load 10), past the default 120 s.
    }, 360_000);

    it(`catches every declared ${protocol} mutant: ` +
      `${CAUGHT[protocol]!.map((c) => `${c.mutant} (${c.scenario} seed ${c.seed})`).join(', ')}`,
    () => {
      const rows = CAUGHT[protocol]!;
      expect(rows.map((r) => r.mutant).sort())
        .toEqual(findProtocol(protocol)!.mutants.map((m) => m.name).sort());
      const steps = campaignSteps(campaignFor(protocol));
      for (const row of rows) {
        expect(steps[row.step]).toMatchObject({ scenario: row.scenario, seed: row.seed });
        // The catching step alone (the campaign stops there or earlier), to keep npm test cheap;
        // mutation/run.mjs runs whole campaigns.
        expect(runStep(protocol, row.mutant, steps[row.step]!).violations[0]?.property,
          row.mutant).toBe(row.property);
      }
      // One run per declared mutant: 42 s for OPB's 62 on an idle machine, past the default
      // 120 s on a loaded one.
    }, 360_000);
  }

  it('stops at the first violation and says how to reproduce it', () => {
    const r = runCampaign('example', 'example:volatile-log');
    expect(r.ran).toBe(9);
    expect(r.violation).toMatchObject({ index: 8, property: 'retries-answered',
      step: { kind: 'explore', scenario: 'example-partition', seed: 2 } });
    expect(r.violation!.reproduce).toBe('npx replisim explore --protocol example --scenario ' +
      'example-partition --seed 2 --runs 1 --workers 1 --mutant example:volatile-log');
    expect(runCampaign('example', 'example:volatile-log')).toEqual(r);
  });

  it('an explore step draws the schedule `replisim explore` draws for the same seed', () => {
    for (const seed of [0, 1]) {
      const step: CampaignStep = { kind: 'explore', scenario: 'example-partition', seed };
      const ours = runStep('example', null, step);
      const theirs = runTrial({ scenario: loadScenario('example-partition'),
        protocol: 'example', mutant: null, seed, shrinkRuns: 0 });
      expect(theirs.ok).toBe(true);
      expect(ours.record.traceHash).toBe(theirs.traceHash);
    }
    const plain = runStep('example', null, { kind: 'run', scenario: 'example-partition',
      seed: 0 });
    expect(plain.record.traceHash).not.toBe(runStep('example', null, { kind: 'explore',
      scenario: 'example-partition', seed: 0 }).record.traceHash);
  });

  it('campaign-progress fails a run where operations were invoked and none completed', () => {
    expect(progressViolation({ opsOk: 0, opsFail: 1, opsInfo: 3 })).toEqual({
      property: 'campaign-progress',
      message: 'no client operation completed in the whole run (3 indefinite, 1 failed)' });
    expect(progressViolation({ opsOk: 1, opsFail: 0, opsInfo: 3 })).toBeNull();
    expect(progressViolation({ opsOk: 0, opsFail: 0, opsInfo: 0 })).toBeNull();
  });

  it('no campaign runs a scenario on one seed twice (a run with its record judges all a plain ' +
    'run does)', () => {
    for (const protocol of ['smart', 'opb', 'example']) {
      const runs = campaignSteps(campaignFor(protocol)).filter((s) => s.kind === 'run')
        .map((s) => `${s.scenario} seed ${s.seed}`);
      expect(runs.filter((r, i) => runs.indexOf(r) !== i), protocol).toEqual([]);
    }
  });

  it('every campaign scenario exists and runs on its protocol', () => {
    for (const protocol of ['smart', 'opb', 'example']) {
      for (const step of campaignSteps(campaignFor(protocol))) {
        expect(loadScenario(step.scenario).protocols, step.scenario).toContain(protocol);
      }
    }
  });
});
