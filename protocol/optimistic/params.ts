/** OPB parameters (P2.8), scaled to simulated runs of seconds rather than hours. */
import { assert } from '../assert.js';
import { checkParamSchema, type ParamSchema } from '../param-schema.js';
import type { Json, ProtocolConfig } from '../types.js';
import type { Mutant, Params } from './types.js';

export const opbDefaults: { readonly [k: string]: Json } = {
  k: 3, w: 1, services: 1, hbUs: 50_000, fdUs: 150_000, policy: 'merge', repairUs: 600_000,
  reorg: true, power: false, balance: false, capacityRps: 400, highPct: 80, lowPct: 30, cmaxPct: 67,
  coolUs: 1_500_000, windowUs: 250_000, gossipUs: 250_000, sleepAfterUs: 500_000, sticky: false,
  placement: 'replicas', batch: 64, logKeep: 512, epochLimit: 2 ** 48,
};

/** What each parameter may be: periods positive (a zero heartbeat would loop at one instant). */
export const opbParamSchema: ParamSchema = {
  k: 'count', w: 'natural', services: 'count', hbUs: 'period', fdUs: 'period',
  policy: ['merge', 'discard'], repairUs: 'natural', reorg: 'boolean', power: 'boolean',
  balance: 'boolean', capacityRps: 'count', highPct: 'natural', lowPct: 'natural',
  cmaxPct: 'natural', coolUs: 'natural', windowUs: 'period', gossipUs: 'period',
  sleepAfterUs: 'natural', sticky: 'boolean', placement: ['replicas', 'spread', 'packed'],
  batch: 'count', logKeep: 'count', epochLimit: 'natural',
};

const MUTANTS: readonly Mutant[] = [
  'no-dominance', 'no-dedup', 'accept-stale-epoch', 'consolidate-one-zone', 'no-hysteresis',
  'self-promote-on-recovery', 'ack-before-persist', 'claim-before-persist', 'ignore-operator',
  'no-handback', 'operator-to-all', 'keep-outbox', 'ignore-sticky',
  'balance-no-room', 'handback-no-room', 'join-unreported', 'no-epoch-report',
  'keep-headless-primary', 'retry-refused', 'early-repair', 'placement-break-first',
  'gather-at-lw', 'no-move-budget', 'relay-age-zero', 'silent-follow', 'keep-own-members',
  'early-abort', 'promote-over-relayed', 'discard-untold', 'consolidate-busy',
  'synced-note-once', 'keep-claim-above-epoch', 'no-ack-floor', 'install-stale-xfer',
  'handback-at-tick', 'answer-retry-early', 'wake-on-tick', 'notice-armed-by-stale-reply',
  'retry-to-waiting', 'epoch-blind-freshness', 'handoff-to-unacked', 'handback-on-other-ack',
  'notices-kept-on-step-down', 'late-ack-as-divergence', 'sleep-without-power',
  'no-join-from-heartbeat', 'consolidate-over-cmax', 'join-without-room', 'asleep-refuses',
  'done-on-any-ack', 'refusal-keeps-move', 'stale-join-taken', 'notice-read-unseen',
  'install-says-reconciling', 'no-merge-union', 'asleep-gossips-every-round',
  'notice-never-retired', 'resend-every-stall', 'directory-takes-older-claim', 'trim-live-first',
  'notice-newest-skips-asked', 'merge-takes-refused', 'handback-on-lost-ack',
  'takeover-without-tip', 'handback-without-drain', 'restart-guard-shortcut',
  'relayed-claim-no-age', 'stall-blind', 'removed-backup-reports',
  'tick-writes-in-place', 'follow-older-membership', 'placement-fix-or-nothing',
  'done-floor-merged', 'handoff-at-floor', 'handoff-drops-notices',
  'refusal-says-yes',
];

function num(p: ProtocolConfig['params'], key: string): number {
  const v = p[key] ?? opbDefaults[key];
  assert(
    typeof v === 'number' && Number.isSafeInteger(v) && v >= 0,
    `opb: param ${key} must be a natural number`,
  );
  return v;
}

function bool(p: ProtocolConfig['params'], key: string): boolean {
  const v = p[key] ?? opbDefaults[key];
  assert(typeof v === 'boolean', `opb: param ${key} must be a boolean`);
  return v;
}

function pick<T extends string>(
  p: ProtocolConfig['params'], key: string, allowed: readonly T[],
): T {
  const v = p[key] ?? opbDefaults[key];
  const ok = typeof v === 'string' && (allowed as readonly string[]).includes(v);
  assert(ok, `opb: param ${key} must be one of ${allowed.join('|')}`);
  return v as T;
}

export function readParams(config: ProtocolConfig): Params {
  const p = config.params;
  const params: Params = {
    k: num(p, 'k'), w: num(p, 'w'), services: num(p, 'services'), hbUs: num(p, 'hbUs'),
    fdUs: num(p, 'fdUs'), policy: pick(p, 'policy', ['merge', 'discard'] as const),
    repairUs: num(p, 'repairUs'), reorg: bool(p, 'reorg'), power: bool(p, 'power'),
    balance: bool(p, 'balance'), capacityRps: num(p, 'capacityRps'), highPct: num(p, 'highPct'),
    lowPct: num(p, 'lowPct'), cmaxPct: num(p, 'cmaxPct'), coolUs: num(p, 'coolUs'),
    windowUs: num(p, 'windowUs'), gossipUs: num(p, 'gossipUs'),
    sleepAfterUs: num(p, 'sleepAfterUs'), sticky: bool(p, 'sticky'),
    placement: pick(p, 'placement', ['replicas', 'spread', 'packed'] as const),
    batch: num(p, 'batch'), logKeep: num(p, 'logKeep'),
    epochLimit: num(p, 'epochLimit'),
  };
  assert(params.k >= 1 && params.services >= 1, 'opb: k and services must be positive');
  assert(params.fdUs > params.hbUs, 'opb: fdUs must exceed hbUs');
  assert(
    params.lowPct < params.cmaxPct && params.cmaxPct <= params.highPct,
    'opb: need lowPct < cmaxPct <= highPct',
  );
  assert(
    params.batch >= 1 && params.windowUs > 0 && params.capacityRps > 0,
    'opb: bad batch/window/capacity',
  );
  assert(params.logKeep >= 1, 'opb: logKeep must be positive');
  assert(params.epochLimit >= 2, 'opb: epochLimit must be at least 2');
  checkParamSchema('opb', opbParamSchema, { ...opbDefaults, ...p }, config.nodes.map((n) => n.id));
  return params;
}

export function readMutant(config: ProtocolConfig): Mutant | null {
  if (config.mutant === null || !config.mutant.startsWith('opb:')) return null;
  const name = config.mutant.slice(4) as Mutant;
  assert(MUTANTS.includes(name), `opb: unknown mutant ${config.mutant}`);
  return name;
}

export const mutantInfo = [
  {
    name: 'opb:no-dominance',
    description: 'a primary hearing another primary ignores it: split brain never converges',
  },
  {
    name: 'opb:no-dedup',
    description:
      're-submitted requests skip the dedup table: double execution after reconciliation',
  },
  {
    name: 'opb:accept-stale-epoch',
    description: 'backups accept claims and updates from a lower epoch than they follow',
  },
  {
    name: 'opb:consolidate-one-zone',
    description: 'power-saving consolidation ignores DC and zone diversity',
  },
  {
    name: 'opb:no-hysteresis',
    description: 'load balancing has no cool-down between moves of a group',
  },
  {
    name: 'opb:self-promote-on-recovery',
    description: 'a recovering replica promotes itself without waiting to hear its group',
  },
  {
    name: 'opb:ack-before-persist',
    description: 'a backup acknowledges an update before its log write reaches the disk',
  },
  {
    name: 'opb:claim-before-persist',
    description: 'a primary serves under its new epoch before the epoch reaches its disk: ' +
      'after a crash it claims that epoch again, one (epoch, index) for two entries',
  },
  {
    name: 'opb:ignore-operator',
    description: 'a primary drops the operator\'s handoff command: the named member never leads',
  },
  {
    name: 'opb:no-handback',
    description: 'a non-sticky primary never hands the role back to the top-priority member ' +
      'once it is back and caught up',
  },
  {
    name: 'opb:operator-to-all',
    description: 'every replica obeys the operator\'s handoff command, backups too, racing the ' +
      'primary\'s handoff',
  },
  {
    name: 'opb:keep-outbox',
    description: 'a loser never empties its orphan outbox: the confirmed RESUBMIT goes again ' +
      'every heartbeat for the rest of the run',
  },
  {
    name: 'opb:ignore-sticky',
    description: 'a sticky primary hands the role back to the recovered top-priority member ' +
      'anyway, as a non-sticky one does',
  },
  {
    name: 'opb:balance-no-room',
    description: 'balancing takes the service\'s load off the target\'s instead of adding it: ' +
      'a primary moves onto a node it pushes above Cmax',
  },
  {
    name: 'opb:handback-no-room',
    description: 'with balancing on, the role goes back to the recovered top-priority member ' +
      'without room for the group on its node',
  },
  {
    name: 'opb:join-unreported',
    description: 'a node that accepts a JOIN records no opb.join: the join happens, and the ' +
      'checks that judge joins by that fact pass it over',
  },
  {
    name: 'opb:no-epoch-report',
    description: 'a backup following nobody relays a claim below its (corrupted) epoch instead ' +
      'of reporting the epoch: claimant and backup wait on each other (P2.5)',
  },
  {
    name: 'opb:keep-headless-primary',
    description: 'self-stabilization keeps a primary whose state names no or another primary: ' +
      'its heartbeats read as a backup\'s and its group flip-flops (P2.5)',
  },
  {
    name: 'opb:retry-refused',
    description: 'a repair picks a node that just refused the group\'s JOIN again at once ' +
      'instead of retrying elsewhere for T_cool (P2.6)',
  },
  {
    name: 'opb:early-repair',
    description: 'a repair times a member\'s silence from the earlier of its last word and the ' +
      'group\'s start: members are replaced soon after T_fd instead of after repairUs',
  },
  {
    name: 'opb:placement-break-first',
    description: 'a placement repair drops the misplaced live member at once instead of after ' +
      'its replacement caught up (break before make, P2.6 #1)',
  },
  {
    name: 'opb:gather-at-lw',
    description: 'a primary hands its role over to save power at a node load of exactly Lw, ' +
      'not only below it (P2.6 #3; mutation #492 of the seed-37 sample)',
  },
  {
    name: 'opb:no-move-budget',
    description: 'a node makes every load or power move due in a window, not at most one ' +
      '(mutation #1584 of the seed-37 sample)',
  },
  {
    name: 'opb:relay-age-zero',
    description: 'a heartbeat relays its sighting of the primary as fresh whatever its age: ' +
      'survivors keep a crashed primary alive on each other\'s word (P2.5; mutation #3711)',
  },
  {
    name: 'opb:silent-follow',
    description: 'a replica that follows a claim reports no role change, so a primary that ' +
      'lost a conflict still counts as primary (mutation #3840 of the seed-37 sample)',
  },
  {
    name: 'opb:keep-own-members',
    description: 'a replica following a newer claim keeps its own membership, so a loser the ' +
      'winner left out never leaves its group (P2.10 #4; mutation #3824 of the seed-37 sample)',
  },
  {
    name: 'opb:early-abort',
    description: 'a move whose new member has not caught up aborts at the next reorganization ' +
      'round instead of after 20 T_fd, refusing live candidates one after another (P2.6; ' +
      'mutation #3398 of the seed-37 sample)',
  },
  {
    name: 'opb:promote-over-relayed',
    description: 'a backup cut off one way from the primary promotes itself although its ' +
      'group still relays the primary\'s claims within T_fd (P2.5; mutation #4025 of the ' +
      'seed-37 sample)',
  },
  {
    name: 'opb:discard-untold',
    description: 'under policy discard, a winner drops a loser\'s orphans without keeping ' +
      'notices: their clients are never told (P2.5; Stryker #3180 of the seed-39 sample)',
  },
  {
    name: 'opb:consolidate-busy',
    description: 'power saving moves backups off a node at or above Cmax too, not only below ' +
      'it (P2.6 #3; Stryker #699 of the seed-39 sample)',
  },
  {
    name: 'opb:synced-note-once',
    description: 'a node whose note that its epoch write landed was lost never asks again, so ' +
      'every later step waits behind a disk write of its own (P2.5; Stryker #4176 of the ' +
      'seed-39 sample)',
  },
  {
    name: 'opb:keep-claim-above-epoch',
    description: 'a follower keeps a claim above its own epoch (one a corruption left): the ' +
      'claim looks followed, its updates are never applied and the replica stays reconciling ' +
      '(P2.5 self-stabilization; Stryker #3967 of the seed-39 sample)',
  },
  {
    name: 'opb:no-ack-floor',
    description: 'a move\'s new member caught up only at the primary\'s tip, no live backup\'s ' +
      'ack a floor: under steady writes the move never completes and aborts after 20 T_fd ' +
      '(P2.6 make-before-break; Stryker #3390 of the seed-39 sample)',
  },
  {
    name: 'opb:install-stale-xfer',
    description: 'a backup installs a transfer of its own primary and epoch that is a strict ' +
      'prefix of what it already applied and acked: it drops acked copies and hands the ' +
      'primary\'s own entries over as orphans (P2.10 #10; explore seed 43271)',
  },
  {
    name: 'opb:handback-at-tick',
    description: 'the role goes back to the recovered top-priority member only when a ' +
      'reorganization tick finds its ack at the tip: under steady writes almost never, so the ' +
      'handback waits for seconds (P2.10 #3; explore seed 811021)',
  },
  {
    name: 'opb:answer-retry-early',
    description: 'a client\'s retry of a write the primary executed is answered at once, before ' +
      '`w` backups acknowledged it (P2.4 #4 reply rule; Stryker #3199 of the seed-41 sample)',
  },
  {
    name: 'opb:wake-on-tick',
    description: 'a sleeping node wakes at its next heartbeat tick even when it hosts no ' +
      'replica, so power saving saves nothing (P2.6 #3; Stryker #1617 of the seed-41 sample)',
  },
  {
    name: 'opb:notice-armed-by-stale-reply',
    description: 'a reply to a request older than the client\'s newest arms the drop of its ' +
      'discard notice: the newer request drops it before the client saw it (P2.5; explore ' +
      'trial 410736 with Stryker #986 of the seed-41 sample)',
  },
  {
    name: 'opb:retry-to-waiting',
    description: 'a client\'s retry of a committed write is not answered at once but left to ' +
      'the waiting list, whose release drops it once a checkpoint folded the entry: the write ' +
      'is never answered (C4; Stryker #3201 of the seed-41 sample)',
  },
  {
    name: 'opb:epoch-blind-freshness',
    description: 'the failover candidate takes any other last epoch for a newer history, so a ' +
      'stale member ranked below a fresher one is chosen and promotes after its boot guard ' +
      '(P2.5 failover, P2.10 #3; Stryker #4182 of the seed-43 sample)',
  },
  {
    name: 'opb:handoff-to-unacked',
    description: 'a member that never acked counts as caught up while the primary\'s log holds ' +
      'one entry, so a planned handoff (here the handback) goes to a successor that lacks it ' +
      '(P2.6 #2; Stryker #443 of the seed-43 sample)',
  },
  {
    name: 'opb:takeover-without-tip',
    description: 'a planned successor takes over whatever it holds, though it lost its disk ' +
      'after the ACKs its predecessor counted (P2.6 #2; explore trial 960300 of ' +
      'opb-stale-transfer)',
  },
  {
    name: 'opb:handback-without-drain',
    description: 'the primary never holds writes for a handback: under a write stream faster ' +
      'than the round trip to the top-priority member every ACK of it trails the tip and the ' +
      'role never goes back (P2.10 #3; explore trial 1664970 of opb-handback-steady-writes)',
  },
  {
    name: 'opb:restart-guard-shortcut',
    description: 'a restarted replica that heard every member since its boot promotes before ' +
      'its recovery guard ends, though they are back from the same outage and know no more ' +
      'than it does, so it claims over the healthy primary of a newer membership (P2.5, ' +
      'P2.10 #3; explore trial 1671635 of opb-night-disasters)',
  },
  {
    name: 'opb:handback-on-other-ack',
    description: 'the handback on an ACK runs on any member\'s ACK but the top-priority one\'s, ' +
      'so with two replicas the role comes back only from a reorganization tick (P2.10 #3; ' +
      'Stryker #702 of the seed-45 sample)',
  },
  {
    name: 'opb:notices-kept-on-step-down',
    description: 'a primary that steps down keeps its pending discard notices instead of ' +
      'handing them to the primary it follows, so as a backup it never tells those clients ' +
      '(P2.5: told at their next access, whoever is primary; explore trial 982770)',
  },
  {
    name: 'opb:late-ack-as-divergence',
    description: 'an ACK below the primary\'s checkpoint, of an entry on its lineage, is taken ' +
      'for a divergence (its tag is gone there) and counts nothing: a late ACK drops the ' +
      'backup from the reply\'s acked holders (P2.4 #5; explore trial 924981)',
  },
  {
    name: 'opb:sleep-without-power',
    description: 'an empty node goes to sleep although power saving is off (power=false): the ' +
      'others take an idle spare for a sleeping one (P2.6 #3; Stryker #64 of the seed-47 sample)',
  },
  {
    name: 'opb:no-join-from-heartbeat',
    description: 'a node never joins a group from its primary\'s heartbeat naming it a member, ' +
      'only from a JOIN: a lost JOIN leaves the group a replica short (P2.6 RESERVE+JOIN; ' +
      'Stryker #1528 of the seed-47 sample)',
  },
  {
    name: 'opb:consolidate-over-cmax',
    description: 'power saving gathers a backup only onto a node that its standing cost puts ' +
      'above Cmax, never onto one with room (P2.6 #3; Stryker #1105 of the seed-47 sample)',
  },
  {
    name: 'opb:join-without-room',
    description: 'a node takes every JOIN, with room for the replica or not: two groups ' +
      'racing for the last room both win (P2.6 first reservation wins; Stryker #175 of the ' +
      'seed-48 sample)',
  },
  {
    name: 'opb:asleep-refuses',
    description: 'a sleeping node refuses a client instead of pointing it at the group it ' +
      'knows: clients whose known replicas all sleep cycle through refusals (liveness; Stryker ' +
      '#2476 of the seed-48 sample)',
  },
  {
    name: 'opb:done-on-any-ack',
    description: 'a move\'s new member takes its own ack for a floor, so it counts as caught ' +
      'up at its first ack and the move completes while it holds less than every live backup ' +
      '(P2.6 make-before-break; Stryker #3633 of the seed-48 sample)',
  },
  {
    name: 'opb:refusal-keeps-move',
    description: 'a refusal by the move\'s own new member drops it like any refusing member but ' +
      'keeps the move open until its abort after 20 T_fd: the loser retries elsewhere only then ' +
      '(P2.6 RESERVE+JOIN; Stryker #3704 of the seed-48 sample)',
  },
  {
    name: 'opb:stale-join-taken',
    description: 'a node takes a JOIN under a membership older than the one it left the ' +
      'group at: a late JOIN takes it back into a group that let it go (P2.6 versions only ' +
      'grow; the stale half of Stryker #175 of the seed-48 sample)',
  },
  {
    name: 'opb:notice-read-unseen',
    description: 'a primary ignores the requests a client had been answered for before its ' +
      'writes were dropped (the reads it answered, and a request answered twice): a late reply ' +
      'to one arms the drop of the discard notice, and the client\'s next request drops it ' +
      'unseen (P2.5; the rules before explore trial 1090043 of opb-stale-transfer and sweep ' +
      'seed 34 of opb-notice-read-newest\'s variant)',
  },
  {
    name: 'opb:install-says-reconciling',
    description: 'every installed transfer is reported as a reconciliation, a backup\'s ' +
      'catch-up too: the non-vacuity event "a replica reconciled" and C4\'s reconciliation ' +
      'counts then hold without one (Stryker #442 of the seed-49 sample)',
  },
  {
    name: 'opb:no-merge-union',
    description: 'a primary that wins over another primary\'s claim keeps its own membership ' +
      'instead of taking the union of both (P2.10 #4: merge on heal, then trim; Stryker #848 ' +
      'of the seed-49 sample)',
  },
  {
    name: 'opb:asleep-gossips-every-round',
    description: 'a sleeping node repeats that it sleeps every gossip round instead of every ' +
      'fourth: it is hardly asleep (P2.6 #3 power saving; Stryker #84 of the seed-50 sample)',
  },
  {
    name: 'opb:notice-never-retired',
    description: 'a discard notice rides on every reply to its client for ever: no reply ' +
      'arms its drop (P2.5: it stops once the client moved past a reply that carried it; ' +
      'Stryker #3343 of the seed-50 sample)',
  },
  {
    name: 'opb:resend-every-stall',
    description: 'a primary re-sends a backup\'s tail on every ACK that does not advance, each ' +
      'copy and each echo of its own re-sends too: every duplicated message starts an Upd/ACK ' +
      'ping-pong that lasts while writes are in flight (P2.4 #5; the protocol before explore ' +
      'trial 1110293 of opb-join-from-heartbeat, 1.2 M messages in 4 s; the same trace hashes)',
  },
  {
    name: 'opb:directory-takes-older-claim',
    description: 'a node that does not host a service takes any gossiped claim of it into its ' +
      'directory, an older membership too, so a group it left can take it back by a stale ' +
      'primary\'s heartbeat (P2.6: a node follows a membership only if it is newer; Stryker ' +
      '#134 of the seed-50 sample)',
  },
  {
    name: 'opb:trim-live-first',
    description: 'the trim after a membership merge drops the first live member instead of a ' +
      'dead one, then the last whose removal keeps the placement valid (P2.10 #4; Stryker ' +
      '#4205 of the seed-51 sample)',
  },
  {
    name: 'opb:notice-newest-skips-asked',
    description: 'a primary judging whether a reply is to its client\'s newest request leaves ' +
      'out the requests it handled itself before it held the notice: a notice handed over at ' +
      'a step-down is armed by a late reply to an older request, and the client\'s next ' +
      'request drops it unseen (P2.5; Stryker #3306 of the seed-51 sample)',
  },
  {
    name: 'opb:merge-takes-refused',
    description: 'the membership merge on heal takes back a loser\'s member that refused the ' +
      'winner\'s JOIN within T_cool (P2.6 first reservation wins, P2.10 #4; Stryker #864 of ' +
      'the seed-51 sample)',
  },
  {
    name: 'opb:handback-on-lost-ack',
    description: 'a primary keeps counting a member\'s ACK after its heartbeats, 2 T_hb or ' +
      'more later, report less: a member that lost its disk still counts as caught up, and ' +
      'the handback gives the role to an empty replica whose transfer makes the others ' +
      'discard an acknowledged write (P2.6 #2; the protocol before the fix of explore trial ' +
      '1540148 of opb-handback-unacked)',
  },
  {
    name: 'opb:relayed-claim-no-age',
    description: 'a replica takes a claim relayed by a third party whatever the age of the ' +
      'relayer\'s sighting: a backup back from a pause relays its crashed primary\'s claim ' +
      'from before it, and the primary that replaced it loses to that claim (P2.5; the ' +
      'protocol before the fix of explore trial 1710645 of opb-one-way-relayed-primary)',
  },
  {
    name: 'opb:stall-blind',
    description: 'a node back from a stall (a pause) takes no notice of it: the claims in its ' +
      'backlog count as heard at the resume, so it relays a primary that crashed during the ' +
      'pause as seen just now, and its first tick suspects every member it did not hear while ' +
      'paused and may claim over a live primary (P2.5; the other half of the fix of explore ' +
      'trial 1710645 of opb-one-way-relayed-primary)',
  },
  {
    name: 'opb:removed-backup-reports',
    description: 'a backup that follows nobody and holds an epoch above a direct claim whose ' +
      'newer membership removed it keeps reporting its epoch to the claimant, which hears ' +
      'only its members; after its recovery guard it claims its old membership over the ' +
      'healthy primary (P2.5, P2.10 #4; the protocol before the fix of explore trial 1810605 ' +
      'of opb-restart-stale-members)',
  },
  {
    name: 'opb:tick-writes-in-place',
    description: 'a heartbeat tick lists each replica\'s own writes (a lone replica\'s ' +
      'checkpoint, a drain\'s held writes) after that replica\'s heartbeats only: the next ' +
      'service\'s heartbeats of the same step wait behind the write, and on a slow disk its ' +
      'backups suspect a healthy primary (P2.5; the protocol before the fix of explore trial ' +
      '1770357 of opb-merge-refused)',
  },
  {
    name: 'opb:follow-older-membership',
    description: 'a backup follows a higher epoch\'s claim whose membership lists it at an ' +
      'older version than its own (a minority group that never saw its repair): it goes ' +
      'back to that membership and installs that history, and under `discard` drops the ' +
      'acked writes it held while its own group\'s next member should take over (P2.5 ' +
      'dominance rule; the protocol before the fix of explore trial 1850535 of ' +
      'opb-repair-same-dc)',
  },
  {
    name: 'opb:placement-fix-or-nothing',
    description: 'a primary restores its group\'s placement only by a swap that meets both ' +
      'rules at once (distinct DCs and the zone cap): after zone disasters left a group in ' +
      'one zone with two members in one DC, no single swap could, so none was made and the ' +
      'group stayed misplaced while balance and consolidation moves went on (P2.6 #1, ' +
      'P2.10 #8; the protocol before the fix of explore trials 1852111 and 1861409)',
  },
  {
    name: 'opb:done-floor-merged',
    description: 'a move\'s new member counts as caught up against the ACKs of every live ' +
      'member, those merged in on a heal after the JOIN included: their lagging ACKs let ' +
      'it complete its move while behind every member of the JOIN\'s membership (P2.6 ' +
      'make-before-break; the protocol before the fix of explore trial 1861541 of ' +
      'opb-notice-step-down)',
  },
  {
    name: 'opb:handoff-at-floor',
    description: 'a planned successor takes over with the epoch its predecessor chose when ' +
      'that name lies at its own claim floor\'s counter, so a node that claimed c.n before, ' +
      'left and rejoined serves another history under the same name (log matching, P2.5; ' +
      'the protocol before the fix of explore trial 1891280 of opb-diurnal-four)',
  },
  {
    name: 'opb:handoff-drops-notices',
    description: 'a planned successor takes over without the discard notices its ' +
      'predecessor\'s HANDOFF carried, so clients whose writes the predecessor dropped are ' +
      'never told (P2.5: notices follow the role; Stryker #1693 of the seed-54 sample)',
  },
  {
    name: 'opb:refusal-says-yes',
    description: 'a node without room that a primary\'s heartbeat names a member answers with ' +
      'a positive JoinAck and does not join, so the primary keeps a member that holds nothing ' +
      '(P2.6: a node without room refuses; Stryker #1754 of the seed-54 sample)',
  },
] as const;
