/**
 * Every mutant, end to end through the CLI: `run --mutant --save` reports the violation
 * (exit 1) and `replay` of the saved file reproduces the same trace hash and the violation. That
 * the correct protocol passes the same scenario and seed is proved in-process, beside each
 * protocol's mutant table (test/protocol/smart, test/protocol/optimistic): a third CLI process per
 * mutant would repeat it. Plus one `explore` hunt per protocol.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { protocols } from '../../protocol/registry.js';
import { cliAsync as cli } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'replisim-mutants-'));

/**
 * Mutant → built-in scenario → a seed where it is caught (see test/protocol/smart and
 * test/protocol/optimistic).
 */
const table: [string, string, number][] = [
  ['smart:no-alpha-check', 'smart-alpha-boundary', 0],
  ['smart:minority-quorum', 'smart-minority-partition', 20],
  ['smart:leader-amnesia', 'smart-leader-amnesia', 2],
  ['smart:retire-early', 'smart-migrate-disjoint', 0],
  ['smart:no-null-fill', 'smart-null-fill-deadlock', 0],
  ['smart:latest-config-only', 'smart-migrate-consecutive', 0],
  ['smart:no-reply-cache', 'smart-duplicate-across-configs', 0],
  ['smart:poll-ignores-accepted', 'smart-leader-churn', 0],
  ['smart:ack-before-persist', 'smart-slow-disk', 0],
  ['smart:half-quorum', 'smart-even-partition', 0],
  ['smart:heartbeat-stops', 'smart-steady', 0],
  ['smart:repo-forgets', 'smart-extended-disconnection', 0],
  ['smart:write-unestablished', 'smart-costed-migration', 0],
  ['smart:repo-silent', 'smart-extended-disconnection', 0],
  ['smart:repo-no-defunct', 'smart-migrate-disjoint', 0],
  ['smart:finished-no-join', 'smart-flush-cut-leader', 1],
  ['smart:propose-without-state', 'smart-migrate-consecutive', 0],
  ['smart:checkpoint-no-pause', 'smart-costed-migration', 0],
  ['smart:drop-at-candidate', 'smart-steady', 0],
  ['smart:checkpoint-every-slot', 'smart-steady', 0],
  ['smart:fetch-from-all', 'smart-costed-migration', 0],
  ['smart:no-preferred-source', 'smart-leader-fetch-once', 0],
  ['smart:no-preempt', 'smart-preempt-race', 0],
  ['smart:preempt-anytime', 'smart-late-preempt', 0],
  ['smart:note-before-persist', 'smart-ckpt-note-slow-disk', 0],
  ['smart:keep-acks', 'smart-lossy', 0],
  ['smart:no-cached-answer', 'smart-majority-partition', 0],
  ['smart:no-elect-behind-join', 'smart-elect-behind-join', 0],
  ['smart:hold-retries', 'smart-slow-disk', 0],
  ['smart:newer-holds-silently', 'smart-newer-replica-holds', 0],
  ['smart:role-on-every-follow', 'smart-steady', 1],
  ['smart:fetch-every-beat', 'smart-steady', 1],
  ['smart:note-always-writes', 'smart-steady', 1],
  ['smart:preempt-from-anyone', 'smart-preempt-dup', 1],
  ['smart:fetch-while-caught-up', 'smart-preempt-race', 0],
  ['smart:no-self-ready', 'smart-elect-behind-join', 0],
  ['smart:ignore-preempt', 'smart-preempt-race', 0],
  ['smart:forget-held', 'smart-preempt-race', 0],
  ['smart:stale-cached-answer', 'smart-preempt-dup', 1],
  ['smart:fetch-at-catch-point', 'smart-idle-catch-up', 0],
  ['smart:ask-unpreferred-at-once', 'smart-costed-migration', 0],
  ['smart:truncate-past-checkpoint', 'smart-lost-leader-checkpoint', 0],
  ['smart:new-config-on-resend', 'smart-elect-behind-join', 0],
  ['smart:poll-last-voter', 'smart-poll-last-voter', 0],
  ['smart:heartbeat-fetch-at-once', 'smart-heartbeat-fetch-waits', 0],
  ['smart:stale-preempt', 'smart-stale-preempt', 0],
  ['smart:ballots-without-index', 'smart-migrate-disjoint', 0],
  ['smart:lacks-state-past-first', 'smart-newcomer-decisions-lost', 0],
  ['smart:elect-cap-counts-others', 'smart-elect-behind-lost-join', 0],
  ['smart:reask-kept-across-ballots', 'smart-elect-behind-lost-join', 0],
  ['smart:reask-forgotten-at-vote', 'smart-elect-behind-vote', 0],
  ['smart:restart-forgets-decided', 'smart-follower-restart', 0],
  ['smart:truncation-keeps-cut', 'smart-minority-partition', 0],
  ['smart:redirect-every-queue', 'smart-two-leaders-one-request', 1630420],
  ['smart:stagger-subtracted', 'smart-null-fill-deadlock', 0],
  ['smart:answered-by-seq', 'smart-alpha-boundary', 0],
  ['opb:no-dominance', 'opb-partition-halves', 0],
  ['opb:no-dedup', 'opb-partition-halves', 0],
  ['opb:accept-stale-epoch', 'opb-three-way', 1],
  ['opb:consolidate-one-zone', 'opb-diurnal', 0],
  ['opb:no-hysteresis', 'opb-spike', 0],
  ['opb:self-promote-on-recovery', 'opb-recovering-top', 0],
  ['opb:ack-before-persist', 'opb-slow-disk', 0],
  ['opb:claim-before-persist', 'opb-claim-slow-disk', 2],
  ['opb:ignore-operator', 'opb-operator-handoff', 0],
  ['opb:no-handback', 'opb-recovering-top', 8],
  ['opb:operator-to-all', 'opb-operator-handoff', 0],
  ['opb:keep-outbox', 'opb-join-refused', 0],
  ['opb:ignore-sticky', 'opb-recovering-top-sticky', 8],
  ['opb:balance-no-room', 'opb-balance-no-room', 0],
  ['opb:retry-refused', 'opb-join-refused', 0],
  ['opb:early-repair', 'opb-join-refused', 0],
  ['opb:placement-break-first', 'opb-amnesiac-reclaim', 0],
  ['opb:no-move-budget', 'opb-spike', 0],
  ['opb:keep-own-members', 'opb-bridge-loser-leaves', 10],
  ['opb:early-abort', 'opb-three-way-discard', 0],
  ['opb:relay-age-zero', 'opb-primary-crash', 0],
  ['opb:silent-follow', 'opb-three-way-discard', 0],
  ['opb:promote-over-relayed', 'opb-one-way-relayed-primary', 0],
  ['opb:handback-no-room', 'opb-recovering-top-busy', 22],
  ['opb:join-unreported', 'opb-partition-halves', 0],
  ['opb:no-epoch-report', 'opb-corruption-services', 29],
  ['opb:keep-headless-primary', 'opb-corruption-services', 29],
  ['opb:gather-at-lw', 'opb-diurnal', 6],
  ['opb:discard-untold', 'opb-three-way-discard', 0],
  ['opb:consolidate-busy', 'opb-diurnal-four', 0],
  ['opb:synced-note-once', 'opb-lost-synced-note', 0],
  ['opb:keep-claim-above-epoch', 'opb-corruption-pct', 3330],
  ['opb:no-ack-floor', 'opb-join-refused', 0],
  ['opb:install-stale-xfer', 'opb-notice-read-newest', 2],
  ['opb:handback-at-tick', 'opb-handback-steady-writes', 0],
  ['opb:answer-retry-early', 'opb-primary-crash', 0],
  ['opb:wake-on-tick', 'opb-diurnal', 0],
  ['opb:notice-armed-by-stale-reply', 'opb-notice-late-retry', 120],
  ['opb:retry-to-waiting', 'opb-retry-after-checkpoint', 1],
  ['opb:epoch-blind-freshness', 'opb-stale-recovered-last', 0],
  ['opb:handoff-to-unacked', 'opb-handback-unacked', 0],
  ['opb:handback-on-other-ack', 'opb-handback-two-replicas', 0],
  ['opb:notices-kept-on-step-down', 'opb-notice-step-down', 0],
  ['opb:late-ack-as-divergence', 'opb-late-ack-below-checkpoint', 191],
  ['opb:sleep-without-power', 'opb-primary-crash', 0],
  ['opb:no-join-from-heartbeat', 'opb-join-from-heartbeat', 0],
  ['opb:consolidate-over-cmax', 'opb-gather-busy', 0],
  ['opb:join-without-room', 'opb-join-refused', 0],
  ['opb:asleep-refuses', 'opb-clients-asleep', 44376],
  ['opb:done-on-any-ack', 'opb-diurnal', 13],
  ['opb:refusal-keeps-move', 'opb-join-refused', 0],
  ['opb:stale-join-taken', 'opb-stale-join', 0],
  ['opb:notice-read-unseen', 'opb-notice-read-newest', 21],
  ['opb:install-says-reconciling', 'opb-corruption', 0],
  ['opb:no-merge-union', 'opb-three-way-discard', 0],
  ['opb:asleep-gossips-every-round', 'opb-diurnal', 0],
  ['opb:notice-never-retired', 'opb-three-way-discard', 0],
  ['opb:resend-every-stall', 'opb-primary-crash', 0],
  ['opb:directory-takes-older-claim', 'opb-checkpoint-split', 0],
  ['opb:trim-live-first', 'opb-three-way-discard', 0],
  ['opb:notice-newest-skips-asked', 'opb-notice-handed-late-read', 0],
  ['opb:merge-takes-refused', 'opb-merge-refused-cool', 0],
  ['opb:handback-on-lost-ack', 'opb-handback-lost-ack', 0],
  ['opb:takeover-without-tip', 'opb-handback-amnesiac', 0],
  ['opb:handback-without-drain', 'opb-handback-write-stream', 0],
  ['opb:restart-guard-shortcut', 'opb-restart-stale-members', 11],
  ['opb:relayed-claim-no-age', 'opb-paused-stale-claim', 1],
  ['opb:stall-blind', 'opb-paused-stale-claim', 1],
  ['opb:removed-backup-reports', 'opb-removed-member-returns', 0],
  ['opb:tick-writes-in-place', 'opb-lone-checkpoint-heartbeats', 3],
  ['opb:follow-older-membership', 'opb-minority-rival-claims', 0],
  ['opb:placement-fix-or-nothing', 'opb-zones-back-misplaced', 49],
  ['opb:done-floor-merged', 'opb-merged-member-floor', 24],
  ['opb:handoff-at-floor', 'opb-handoff-name-reused', 35],
  ['opb:handoff-drops-notices', 'opb-restart-stale-members', 11],
  ['opb:refusal-says-yes', 'opb-three-way-discard', 0],
];

/**
 * `npm test` (10-minute cap) saves and replays through the CLI one mutant per durability and
 * quorum class of each protocol; `npm run mutants` (REPLISIM_ALL_MUTANTS=1) does the whole
 * table. That every mutant is caught is proved in-process for all of them by the campaign test
 * and each protocol's mutant table, and that a run replays by the determinism tests.
 */
const everyMutant = process.env['REPLISIM_ALL_MUTANTS'] === '1';
const IN_NPM_TEST = new Set(['smart:ack-before-persist', 'smart:no-alpha-check',
  'opb:ack-before-persist', 'opb:accept-stale-epoch']);

// Concurrent: each case waits on CLI processes, two at a time (see cliAsync), instead of leaving
// one of the CI's two cores idle; the cases share nothing but the read-only build.
describe.concurrent('mutants: caught, saved, replayed', () => {
  it('the table covers every built-in mutant of smart and opb', () => {
    const all = protocols.filter((p) => p.name !== 'example')
      .flatMap((p) => p.mutants.map((m) => m.name)).sort();
    expect(table.map(([m]) => m).sort()).toEqual(all);
  });

  const chosen = table.filter(([m]) => everyMutant || IN_NPM_TEST.has(m));
  for (const [mutant, scenario, seed] of chosen) {
    it(`${mutant} on ${scenario} seed ${seed}`, async ({ expect }) => {
      const file = join(tmp, `${mutant.replace(':', '-')}.json`);
      // The run folder (trace, HTML) is not what this proves: run-folders.test.ts covers it.
      // With the message record, which some checks need (opb-epoch-barrier: synced-note-once,
      // tick-writes-in-place); the saved file keeps the knob, so its replay records too.
      const run = await cli(['run', scenario, '--mutant', mutant, '--seed', String(seed),
        '--save', file, '--json', '--no-store', '--record']);
      expect(run.code).toBe(1);
      const doc = JSON.parse(run.stdout) as { traceHash: string;
        violations: { property: string }[] };
      expect(doc.violations.length).toBeGreaterThan(0);
      const replay = JSON.parse((await cli(['replay', file, '--json'])).stdout) as {
        same: boolean; traceHash: string; violations: { property: string }[] };
      expect(replay.same).toBe(true);
      expect(replay.traceHash).toBe(doc.traceHash);
      expect(replay.violations.map((v) => v.property))
        .toEqual(doc.violations.map((v) => v.property));
    }, 300_000);
  }

  it('explore finds a SMART mutant, shrinks it, and the counterexample replays',
    async ({ expect }) => {
    const out = join(tmp, 'explore-smart');
    const r = await cli(['explore', '--protocol', 'smart', '--scenario', 'smart-alpha-boundary',
      '--mutant', 'smart:no-alpha-check',
      '--runs', '4', '--workers', '1', '--out', out, '--shrink-runs', '20', '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { counterexamples: { file: string }[] };
    const replay = JSON.parse((await cli(['replay', doc.counterexamples[0]!.file,
      '--json'])).stdout) as { same: boolean; ok: boolean };
    expect(replay).toMatchObject({ same: true, ok: false });
  });
});
