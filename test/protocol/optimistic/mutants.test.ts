import { describe, expect, it } from 'vitest';
import { opb } from '../../../protocol/optimistic/index.js';
import { runOpb } from './helpers.js';

/**
 * Mutant → built-in scenario → a seed where the named property fails under the mutant and holds
 * on the correct protocol: two runs a row. The campaign test proves each mutant caught by its
 * campaign step; test/cli/mutant-replay.test.ts replays these rows through `run --save` and
 * `replay` (four in `npm test`, every one in `npm run mutants`), so no replay here. Most rows
 * name the first failing seed from 0.
 */
// Since the primary's re-send rule of explore trial 1110293 (echo-fix-2) moved every OPB
// trajectory, 11 rows name another seed or scenario than the course their comment describes:
// accept-stale-epoch, no-hysteresis, no-handback, ignore-sticky, keep-own-members,
// handback-no-room, consolidate-busy, install-stale-xfer, retry-to-waiting, done-on-any-ack
// (install-stale-xfer has since moved to another scenario, whose course its row describes).
const TABLE = [
  { mutant: 'opb:no-dominance', scenario: 'opb-partition-halves', seed: 0,
    property: 'opb-c1-unique-primary' },
  { mutant: 'opb:no-dedup', scenario: 'opb-partition-halves', seed: 0,
    property: 'opb-c5-at-most-once' },
  // Seed 0 fails again since a node without room refuses a heartbeat's adoption (dispatch.ts
  // adoptMissing): the timing of the stale claim's arrival moved (seeds 0-2 held before).
  { mutant: 'opb:accept-stale-epoch', scenario: 'opb-three-way', seed: 1,
    property: 'opb-c7-epoch-monotonic' },
  { mutant: 'opb:consolidate-one-zone', scenario: 'opb-diurnal', seed: 0,
    property: 'opb-c8-placement' },
  { mutant: 'opb:no-hysteresis', scenario: 'opb-spike', seed: 1, property: 'opb-c8-placement' },
  { mutant: 'opb:self-promote-on-recovery', scenario: 'opb-recovering-top', seed: 0,
    property: 'opb-c3-closure' },
  { mutant: 'opb:ack-before-persist', scenario: 'opb-slow-disk', seed: 0,
    property: 'opb-c6-no-loss-without-fork' },
  // The restarted claimant claims its lost epoch again: one (epoch, index), two entries. Fails
  // at seed 1 too since backups refuse stale transfers; the campaign runs 2.
  { mutant: 'opb:claim-before-persist', scenario: 'opb-claim-slow-disk', seed: 2,
    property: 'opb-log-matching' },
  { mutant: 'opb:ignore-operator', scenario: 'opb-operator-handoff', seed: 0,
    property: 'opb-operator-handoff' },
  { mutant: 'opb:no-handback', scenario: 'opb-recovering-top', seed: 8,
    property: 'opb-handback' },
  { mutant: 'opb:operator-to-all', scenario: 'opb-operator-handoff', seed: 0,
    property: 'opb-operator-handoff' },
  // Judged from the message record, as the campaign's step for this scenario keeps it.
  { mutant: 'opb:keep-outbox', scenario: 'opb-join-refused', seed: 0,
    property: 'opb-outbox-confirmed', trace: true },
  { mutant: 'opb:ignore-sticky', scenario: 'opb-recovering-top-sticky', seed: 8,
    property: 'opb-handback' },
  { mutant: 'opb:retry-refused', scenario: 'opb-join-refused', seed: 0,
    property: 'opb-join-refusal', trace: true },
  { mutant: 'opb:early-repair', scenario: 'opb-join-refused', seed: 0,
    property: 'opb-repair-wait', trace: true },
  // Only some bridge-partition schedules reach it; the campaign runs the explore find's seed.
  { mutant: 'opb:keep-own-members', scenario: 'opb-bridge-loser-leaves', seed: 10,
    property: 'opb-dominance' },
  { mutant: 'opb:no-move-budget', scenario: 'opb-spike', seed: 0, property: 'opb-move-budget',
    trace: true },
  // Judged from the message record: the campaign's trace step for this scenario (#3398).
  { mutant: 'opb:early-abort', scenario: 'opb-three-way-discard', seed: 0,
    property: 'opb-move-abort', trace: true },
  { mutant: 'opb:relay-age-zero', scenario: 'opb-primary-crash', seed: 0,
    property: 'opb-failover', trace: true },
  { mutant: 'opb:silent-follow', scenario: 'opb-three-way-discard', seed: 0,
    property: 'opb-role-facts', trace: true },
  // n1, cut off one way from the primary n5, promotes itself while n9 still relays n5 (#4025).
  { mutant: 'opb:promote-over-relayed', scenario: 'opb-one-way-relayed-primary', seed: 0,
    property: 'opb-promotion', trace: true },
  // Seed 0 (60129 until the JOIN-membership floor of explore trial 1861541 moved that run).
  { mutant: 'opb:placement-break-first', scenario: 'opb-amnesiac-reclaim', seed: 0,
    property: 'opb-repair-wait', trace: true },
  { mutant: 'opb:balance-no-room', scenario: 'opb-balance-no-room', seed: 0,
    property: 'opb-c8-room' },
  { mutant: 'opb:handback-no-room', scenario: 'opb-recovering-top-busy', seed: 22,
    property: 'opb-c8-room' },
  // The first gather of a primary at a node load of exactly Lw in calm time (#492 of seed 37).
  { mutant: 'opb:gather-at-lw', scenario: 'opb-diurnal', seed: 6,
    property: 'opb-c8-gather-low' },
  // Judged from the message record and the client's history (Stryker #3180 of seed 39).
  { mutant: 'opb:discard-untold', scenario: 'opb-three-way-discard', seed: 0,
    property: 'opb-discard-told', trace: true },
  // Fails at seeds 1 and 2 too; the campaign runs 6 (Stryker #699 of seed 39).
  { mutant: 'opb:consolidate-busy', scenario: 'opb-diurnal-four', seed: 0,
    property: 'opb-c8-consolidate-below-cmax' },
  // Judged from the message record: n5's claim's note is lost; it never asks again and its
  // heartbeats wait behind a write of every step (Stryker #4176 of seed 39).
  { mutant: 'opb:synced-note-once', scenario: 'opb-lost-synced-note', seed: 0,
    property: 'opb-epoch-barrier', trace: true },
  { mutant: 'opb:join-unreported', scenario: 'opb-partition-halves', seed: 0,
    property: 'opb-join-reported' },
  // Only some corrupted combinations reach these paths. The headless primary first fails at
  // seed 17 (late convergence); the row names 29, the seed the campaign runs.
  { mutant: 'opb:no-epoch-report', scenario: 'opb-corruption-services', seed: 1,
    property: 'opb-c1-unique-primary' },
  { mutant: 'opb:keep-headless-primary', scenario: 'opb-corruption-services', seed: 29,
    property: 'opb-c1-unique-primary' },
  // Only the explore trial's own seed (3330) leaves a claim above a follower's epoch; seeds
  // 0-109 pass (Stryker #3967 of seed 39: n5 stays reconciling to the end).
  { mutant: 'opb:keep-claim-above-epoch', scenario: 'opb-corruption-pct', seed: 3330,
    property: 'opb-c1-unique-primary' },
  // Judged from the message record: the move adding n10 aborts at 4.25 s instead of completing
  // at 1.5 s (Stryker #3390 of seed 39).
  { mutant: 'opb:no-ack-floor', scenario: 'opb-join-refused', seed: 0,
    property: 'opb-move-abort', trace: true },
  // Judged from the message record: a transfer of its primary n1 reaches n2 after updates it
  // acked (to 191 at 2.436 s, after n2's ACK of 192), and it installs it (explore trial 43271
  // of opb-balance-no-room). opb-stale-transfer, built for it, reaches it on no seed 0-149 since
  // the stall rule of explore trial 1710645 (n1, resumed behind its slow disk, no longer claims
  // on its backlog); opb-notice-read-newest, that scenario's schedule with logKeep 2, first
  // does at seed 2.
  { mutant: 'opb:install-stale-xfer', scenario: 'opb-notice-read-newest', seed: 2,
    property: 'opb-acks-kept', trace: true },
  // Explore trial 811021 as a built-in: n1, back and caught up at 0.9 s, waits past the bound.
  { mutant: 'opb:handback-at-tick', scenario: 'opb-handback-steady-writes', seed: 0,
    property: 'opb-handback' },
  // Judged from the message record: n1 answers c2's retry of a write at 214 ms before any
  // backup's ACK covers it, though it hears n5 and n9 (Stryker #3199 of seed 41).
  { mutant: 'opb:answer-retry-early', scenario: 'opb-primary-crash', seed: 0,
    property: 'opb-reply-rule', trace: true },
  // Judged from the message record: every sleeping node wakes at its next heartbeat tick, with
  // no message asking it up (Stryker #1617 of seed 41).
  { mutant: 'opb:wake-on-tick', scenario: 'opb-diurnal', seed: 0,
    property: 'opb-wake-asked', trace: true },
  // Judged from the message record: a held retry of c1's older request is answered after n1
  // dropped c1's writes and arms the notice's drop, so c1's newer request's reply lacks it
  // (explore trial 410736 of opb-one-way-loser; n3's pause moved to 1.982 s with the re-send
  // rule of explore trial 1110293, so that n3 still holds c1's broadcast retry #23). Seed 120
  // since a stale relayed claim deposes nobody (explore trial 1710645): on seed 0 n2 now
  // reconciles on n1's own claim, not paused n3's relay, and the held retry is answered before
  // the drop; seed 120 is the first of 0-199 failing under the mutant, the same course: n3
  // resumes at 2.601 s holding c1's retry #25, n1 drops c1#26-28 from n2's RESUBMIT at 2.7077 s,
  // then answers #25 (armed), and its reply to c1's #89 (2.7224 s) goes untold.
  { mutant: 'opb:notice-armed-by-stale-reply', scenario: 'opb-notice-late-retry', seed: 120,
    property: 'opb-discard-told', trace: true },
  // c0's write, committed and folded by a checkpoint while c0 was cut off, is never answered
  // through its retries after the faults stop (Stryker #3201 of seed 41; seed 0 passes).
  { mutant: 'opb:retry-to-waiting', scenario: 'opb-retry-after-checkpoint', seed: 0,
    property: 'retries-answered' },
  // Judged from the message record: n9, back from its disk with only n1's old epoch, is taken
  // for the freshest over n1 (ranked above it, holding n5's epoch) and claims once its boot
  // guard ends, 520 ms after n5's crash (Stryker #4182 of seed 43).
  { mutant: 'opb:epoch-blind-freshness', scenario: 'opb-stale-recovered-last', seed: 0,
    property: 'opb-failover', trace: true },
  // Judged from the message record: n5 hands the role back to n1, back from an empty disk with
  // its ACKs lost, at 2.25 s before n1 acked index 1 (Stryker #443 of seed 43).
  { mutant: 'opb:handoff-to-unacked', scenario: 'opb-handback-unacked', seed: 0,
    property: 'opb-handoff-caught-up', trace: true },
  // Two replicas: no member but n1 acks, so a handback on another member's ACK never comes and
  // the role waits for a tick that finds n1's ack at the tip (Stryker #702 of seed 45).
  { mutant: 'opb:handback-on-other-ack', scenario: 'opb-handback-two-replicas', seed: 0,
    property: 'opb-handback' },
  // Under discard n5 drops n1's orphans, their clients cut off, then loses to n9: kept on n5 as
  // a backup, the notices never reach the clients (explore trial 982770 showed the gap).
  { mutant: 'opb:notices-kept-on-step-down', scenario: 'opb-notice-step-down', seed: 0,
    property: 'opb-discard-told', trace: true },
  // Explore trial 191 of opb-bridge-loser-leaves (the built-in's schedule since the re-send
  // rule; trial 924981's before): n7's late ACK of 92 below n1's checkpoint taken for a
  // divergence, so the reply to c8#3 lists [n13,n10,n5] although n7's ACK had arrived. Of
  // seeds 0-123 of the schedule, 68 and 79 catch it too; 24 and 57 fail opb-acked-holders
  // unmutated as well (on main too: n13, a loser that left s1, counted as a member; open).
  { mutant: 'opb:late-ack-as-divergence', scenario: 'opb-late-ack-below-checkpoint',
    seed: 191, property: 'opb-acked-holders', trace: true },
  // Judged from the message record: with power saving off the idle spares announce sleep at
  // 750 ms (Stryker #64 of seed 47).
  { mutant: 'opb:sleep-without-power', scenario: 'opb-primary-crash', seed: 0,
    property: 'opb-awake', trace: true },
  // s0 starts one replica short; its repair's JOIN to n3, the only node that fits, is lost. The
  // primary's heartbeats name n3 and never bring it in: the move aborts at 3.25 s and n3 is
  // refused past the end (4 s), so the group ends with two replicas (Stryker #1528 of seed 47).
  { mutant: 'opb:no-join-from-heartbeat', scenario: 'opb-join-from-heartbeat', seed: 0,
    property: 'opb-c8-placement' },
  // The idle groups gather onto n1, the hot service's node, far above Cmax: every seed 0-29
  // (Stryker #1105 of seed 47).
  { mutant: 'opb:consolidate-over-cmax', scenario: 'opb-gather-busy', seed: 0,
    property: 'opb-c8-room' },
  // Judged from the message record: n10, with room for one replica, takes both groups' JOINs
  // at 1.26 s (Stryker #175 of seed 48).
  { mutant: 'opb:join-without-room', scenario: 'opb-join-refused', seed: 0,
    property: 'opb-join-refusal', trace: true },
  // Explore seed 44376 of opb-diurnal as a fixed schedule: clients knowing only sleeping
  // machines are refused by each in turn and never reach their group (Stryker #2476 of seed 48).
  { mutant: 'opb:asleep-refuses', scenario: 'opb-clients-asleep', seed: 44376,
    property: 'liveness' },
  // n4 completes its consolidate move adding n10 at 2 s while n10 acked 58 and both other
  // members 59 (Stryker #3633 of seed 48: the new member's own ack taken for a floor).
  { mutant: 'opb:done-on-any-ack', scenario: 'opb-diurnal', seed: 13,
    property: 'opb-move-abort', trace: true },
  // n10 refuses s1's JOIN at 1.27 s; n1 keeps the move open and aborts it at 4.25 s, only then
  // asking n11 (Stryker #3704 of seed 48: the target's refusal taken for another member's).
  { mutant: 'opb:refusal-keeps-move', scenario: 'opb-join-refused', seed: 0,
    property: 'opb-move-abort', trace: true },
  // n3's JOIN of version 1, delayed 2.5 s, arrives after n3 left s0 at version 4 and is taken
  // (the stale half of Stryker #175 of seed 48).
  { mutant: 'opb:stale-join-taken', scenario: 'opb-stale-join', seed: 0,
    property: 'opb-no-resurrection' },
  // Judged from the message record: n1 answers c5's read #18 before dropping its writes, then
  // late forwarded retries of the older write #17; that reply, held behind n1's slow disk, arms
  // the notice's drop and c5's #19 drops it unseen (explore trial 1090043 of opb-stale-transfer
  // as a fixed schedule; seeds 0, 4, 33, 43, 46 of 0-49 until the stall rules of explore trial
  // 1710645, under which n1, resuming at 0.987 s, follows n2 from its backlog and claims T_fd
  // later instead of at once). Seed 21 now, the first of the failing 12, 16, 21, 29, 43, 46 (of
  // 0-49) with that course: n1 answers c14's read #7 (at n1 1.8257 s), drops c14's writes from
  // n2's RESUBMIT at 1.8358 s, then answers a forwarded copy of the older write #6 (the reply
  // arms the drop, delivered 1.8545 s behind the disk), so the reply to c14's #8 (at n1 1.8438 s)
  // goes untold. Seeds 12, 16, 29 fail by the newest write answered twice (sweep seed 34's).
  { mutant: 'opb:notice-read-unseen', scenario: 'opb-notice-read-newest', seed: 21,
    property: 'opb-discard-told', trace: true },
  // n1's catch-up install reported as a reconciliation while its role facts say backup
  // (Stryker #442 of seed 49; seed 0 since the re-send rule, seed 1 no longer has a catch-up).
  { mutant: 'opb:install-says-reconciling', scenario: 'opb-corruption', seed: 0,
    property: 'opb-install-role' },
  // Judged from the message record: n5 wins over n1's claim (in its gossip) and keeps
  // [n5,n9,n7], leaving out n1 in a data center it does not hold (Stryker #848 of seed 49).
  { mutant: 'opb:no-merge-union', scenario: 'opb-three-way-discard', seed: 0,
    property: 'opb-merge-union', trace: true },
  // Judged from the message record: n11, asleep since 1 s, says so again at 1.25 s (Stryker #84
  // of seed 50).
  { mutant: 'opb:asleep-gossips-every-round', scenario: 'opb-diurnal', seed: 0,
    property: 'opb-awake', trace: true },
  // Judged from the message and reply records: n5 dropped c0#25 at 1.519 s, its reply to c0#149
  // carried the notice, c0 sent #150, and the reply to it carried the notice still (Stryker
  // #3343 of seed 50).
  { mutant: 'opb:notice-never-retired', scenario: 'opb-three-way-discard', seed: 0,
    property: 'opb-discard-told', trace: true },
  // Judged from the message record: n1 re-sends n9's tail from 3 for copies of n9's ACK of 3
  // 4 ms apart (explore trial 1110293 of opb-join-from-heartbeat ran such re-sends and their
  // echoes into 1.2 M messages; this mutant gives the protocol before the fix, main's hashes).
  { mutant: 'opb:resend-every-stall', scenario: 'opb-primary-crash', seed: 0,
    property: 'opb-ack-echo', trace: true },
  // n5 left s0 on n9's gossip of membership version 4 (without it) at 2.009 s; n1's gossip of
  // version 2, which lists it, put that back in its directory at 2.013 s, and n1's heartbeat
  // took it back at 2.015 s (Stryker #134 of seed 50; explore trial 7033 of opb-diurnal-four
  // found it on the hand edit too).
  { mutant: 'opb:directory-takes-older-claim', scenario: 'opb-checkpoint-split', seed: 0,
    property: 'opb-no-resurrection' },
  // Judged from the message record: n5's trim after its merge at 2.5 s dropped n9, heard 41 ms
  // before, where the placement rule named n11 (Stryker #4205 of seed 51).
  { mutant: 'opb:trim-live-first', scenario: 'opb-three-way-discard', seed: 0,
    property: 'opb-trim-order', trace: true },
  // Judged from the message record: n2 hands n1 c0's notice at its step-down after n1 answered
  // c0's read #8; a held copy of #7 arms the drop and c0's #9 drops the notice unseen (Stryker
  // #3306 of seed 51; the built-in opb-notice-handed-late-read, seed 0 only of 0-9).
  { mutant: 'opb:notice-newest-skips-asked', scenario: 'opb-notice-handed-late-read', seed: 0,
    property: 'opb-discard-told', trace: true },
  // Judged from the message record: n10 refused s1's JOIN at 1.27 s; n1's merge at 1.46 s, over
  // the claim of n5 (deaf since 1.28 s) listing it, took it back (Stryker #864 of seed 51).
  { mutant: 'opb:merge-takes-refused', scenario: 'opb-merge-refused-cool', seed: 0,
    property: 'opb-merge-union', trace: true },
  // n1 acks c0's write, comes back without its disk with its ACKs lost, and its heartbeats say
  // index 0; n5 still counts the old ACK and hands it the role at 1.75 s (explore trial 1540148
  // of opb-handback-unacked; seeds 0-5). n1 refuses it (it lacks the tip), so the write the
  // discard dropped before is kept: the handoff itself is the finding.
  { mutant: 'opb:handback-on-lost-ack', scenario: 'opb-handback-lost-ack', seed: 0,
    property: 'opb-handoff-caught-up', trace: true },
  // Judged from the message record: n1 acks n5's tip, comes back without its disk at 1.74 s,
  // and nothing it sends reaches n5 until 2 s; n5 hands it the role at 1.75 s on that ACK, and
  // n1 takes over with an empty log (explore trial 960300 of opb-stale-transfer; seeds 0-11).
  { mutant: 'opb:takeover-without-tip', scenario: 'opb-handback-amnesiac', seed: 0,
    property: 'opb-handoff-caught-up', trace: true },
  // Clients in n5's DC write every 1-3 ms from 1.7 s, faster than the round trip to n1, the
  // recovered top member: every ACK of n1 trails n5's tip, and without the drain the role stays
  // with n5 past the bound (explore trial 1664970 of opb-handback-steady-writes; seeds 0-39).
  { mutant: 'opb:handback-without-drain', scenario: 'opb-handback-write-stream', seed: 0,
    property: 'opb-handback' },
  // n10 and n1 come back together in an old membership of s3 and hear each other; n10 claims
  // at once over n14, the healthy primary of a newer one, whose gossip comes 2.4 ms later
  // (explore trial 1671635 of opb-night-disasters; seeds 11, 12, 13, 17, 27 of 0-39).
  { mutant: 'opb:restart-guard-shortcut', scenario: 'opb-restart-stale-members', seed: 11,
    property: 'opb-c3-closure' },
  // n5, paused while n1 crashed and n9 took over, relays n1's claim from its backlog, 0.8 s
  // old, to n9, which loses to it; sticky, the recovered n1 takes the role (explore trial
  // 1710645 of opb-one-way-relayed-primary; 29 of seeds 0-39).
  { mutant: 'opb:relayed-claim-no-age', scenario: 'opb-paused-stale-claim', seed: 1,
    property: 'opb-handback' },
  // The same backlog's claims count as heard at the resume (the relay is sent as fresh), or
  // n5's late tick, first in its backlog, claims over n9 (33 of seeds 0-39).
  { mutant: 'opb:stall-blind', scenario: 'opb-paused-stale-claim', seed: 1,
    property: 'opb-handback', from: 1 },
  // n10, removed from s3 by n13's repair while cut off, comes back above n13's epoch and reports
  // it to n13, which hears only its members; after its recovery guard n10 claims its old
  // membership (explore trial 1810605 of opb-restart-stale-members; 9 of seeds 0-39).
  { mutant: 'opb:removed-backup-reports', scenario: 'opb-removed-member-returns', seed: 0,
    property: 'opb-c3-closure' },
  // n1, alone in s0 on a disk that takes 139.7 ms a write, checkpoints s0 at its ticks; listed
  // after s0's heartbeats only, that write holds s1's heartbeats to n6 (explore trial 1770357 of
  // opb-merge-refused; 7 of seeds 0-39).
  { mutant: 'opb:tick-writes-in-place', scenario: 'opb-lone-checkpoint-heartbeats', seed: 3,
    property: 'opb-epoch-barrier', trace: true },
  // n5, whose primary n3 has just crashed, follows n9's minority claim of a higher epoch in the
  // older membership m0 and goes back to it; no member of m1 claims within the failover bound
  // (explore trial 1850535 of opb-repair-same-dc; 13 of seeds 0-39, with the record).
  { mutant: 'opb:follow-older-membership', scenario: 'opb-minority-rival-claims', seed: 0,
    property: 'opb-failover', trace: true },
  // Zone disasters leave s2 with two replicas in DC c1, all three in zone zc; no single swap
  // meets both rules, so the mutant makes none (explore trials 1852111 and 1861409; 2 of seeds
  // 0-39, then 1 of seeds 0-59 once a successor takes over above its claim floor: the fix of
  // explore trial 1891280 moved the course).
  { mutant: 'opb:placement-fix-or-nothing', scenario: 'opb-zones-back-misplaced', seed: 49,
    property: 'opb-c8-placement' },
  // A heal merges n1 and n7 into s0, still installing n5's state, while n5's repair move adding
  // n11 is under way; on their floor the move is done with n11 at 0 and n9 at 26 (explore trial
  // 1861541 of opb-notice-step-down; 1 of seeds 0-39, with the record).
  { mutant: 'opb:done-floor-merged', scenario: 'opb-merged-member-floor', seed: 24,
    property: 'opb-move-abort', trace: true },
  // n10 hands s0 back to n1 under 3.n1, a name n1 claimed on another history before it left
  // (explore trial 1891280 of opb-diurnal-four; 1 of seeds 0-39).
  { mutant: 'opb:handoff-at-floor', scenario: 'opb-handoff-name-reused', seed: 35,
    property: 'opb-log-matching' },
  // n14 drops three writes from n1's RESUBMIT, then hands s3 over; the successor's replies
  // never tell their clients (Stryker #1693 of the seed-54 sample).
  { mutant: 'opb:handoff-drops-notices', scenario: 'opb-restart-stale-members', seed: 11,
    property: 'opb-discard-told', trace: true },
  // n1, without room, answers n5's heartbeat naming it a member of s0 with yes and never joins
  // (Stryker #1754 of the seed-54 sample).
  { mutant: 'opb:refusal-says-yes', scenario: 'opb-three-way-discard', seed: 0,
    property: 'opb-join-ack', trace: true },
] as const;

const failed = (mutant: string | null, scenario: string, seed: number, property: string,
  trace = false): boolean => runOpb(scenario, seed, mutant, trace).verdicts
  .some((v) => v.property === property && v.status === 'fail');

describe('opb mutants are caught by the built-in scenarios', () => {
  it('lists exactly the mutants of the issue', () => {
    expect(opb.mutants.map((m) => m.name).sort()).toEqual(TABLE.map((t) => t.mutant).sort());
  });
  for (const t of TABLE) {
    it(`${t.mutant} is caught by ${t.scenario} (${t.property}) at seed ${t.seed}, ` +
      'which the correct protocol passes', () => {
      const trace = 'trace' in t;
      expect(failed(t.mutant, t.scenario, t.seed, t.property, trace)).toBe(true);
      expect(failed(null, t.scenario, t.seed, t.property, trace)).toBe(false);
    });
  }
});
