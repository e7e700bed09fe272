/**
 * OPB C6 (P2.7): no acknowledged write is lost unless a fork (two concurrent primaries) dropped
 * it, every copy of it was lost, or its client was told. Each excuse is read from evidence other
 * than the replicas' word on the write itself.
 */
import type { HistoryOp } from '../simulator/history.js';
import type { RunRecord } from '../simulator/run-record.js';
import { recoveryDrop } from './opb-c6-recovery.js';
import { erasOf } from './opb-eras.js';
import { finalChain, type Exec } from './opb-safety.js';
import { verdictOf, type Property } from './types.js';
import {
  buildWorld, epochText, nodeFacts, parseLineage, type OpbObserved, type World,
} from './opb-world.js';
import { stepTime, type Moment } from './run-values.js';

/**
 * Whether node `n` lost its copy of everything after `at`: a restart with an empty disk
 * (amnesia) or a corruption. A crash with its disk kept loses nothing a node acknowledged, since
 * a replica acknowledges an update only once it is on disk (the disk model drops an ack whose
 * write a crash lost).
 */
function lostCopy(world: World, n: string, at: number): boolean {
  return world.obs('opb.node').some((o) => o.node === n && o.at >= at && o.data.amnesia)
    || nodeFacts(world, 'corrupted', at).some((f) => f.node === n);
}

/**
 * Whether the answering primary's own copy of the update never reached its disk: the primary
 * acknowledges nothing (it replies on `w` backup acks, not on its own write), so a crash can
 * lose its copy. The evidence is the simulator's, not the protocol's: the step that executed
 * the update ran at `t` (its own `opb.exec`, before the answer), and a later crash lost writes
 * in flight with the disk holding only the image of a step before `t` (`writes-lost`). A step
 * of the same instant counts as holding it (the disk may hold that very step's image).
 */
function primaryCopyLost(world: World, acked: OpbObserved<'opb.acked'>): boolean {
  let t: number | undefined;
  for (const o of world.obs('opb.exec')) {
    if (o.seq > acked.seq) break;
    if (o.node === acked.node && o.data.client === acked.data.client
      && o.data.seq === acked.data.seq) t = stepTime(o);
  }
  if (t === undefined) return false; // It held the update as a backup: acknowledged, on disk.
  const step = t;
  return nodeFacts(world, 'writes-lost', acked.at).some((f) =>
    f.node === acked.node && (f.diskAsOf ?? -1) < step);
}

/**
 * Whether holder `x` gave its copy of the write up by leaving its group after the answer, and
 * every copy held after that went with a disk: a replica that leaves keeps nothing, so its copy
 * lives on only in the replicas holding the write after the leave (the group's, or the winner's
 * it handed its log over to, P2.10 #4), and goes when all of those lost theirs. Explore trial
 * 1491093 of opb-stale-join (w = 0): n1 answered c0's append alone at 200 ms, n2 held it as a
 * backup and failed over during n1's pause (0.43-1.24 s); n1, back, lost to n2, handed its log
 * over and left at 1.26 s (n2's repair had replaced it, and n1, without room, refused the
 * merge's re-add), and n2, the only replica left holding it, came back without its disk at
 * 2.66 s. Holding is the replicas' own evidence from after the leave, never the leaver's word
 * (its hand-over): an execution of the same (client, seq), or a digest whose lineage covers an
 * entry executing it (in that entry's era); the leaver's counts only if it holds the write again.
 * A leave after which nobody holds the write is no excuse: the hand-over failed.
 * "After the leave" is by step order, not by the instant alone: a resumed node runs its backlog's
 * steps at one instant, and the second shrink of that trial (n1 paused 0.426-1.263 s) had n1's
 * own digest of 1.263 s, from a step before the one that left, still list the write: it held
 * it until its leave, not after (n2's digest of 1.3 s did, and n2 lost its disk at 2.466 s).
 */
function leftThenLost(world: World, x: string, e: Exec, acked: OpbObserved<'opb.acked'>): boolean {
  const svc = acked.data.service;
  const leave = world.obs('opb.leave').find((o) =>
    o.node === x && o.data.service === svc && stepTime(o) >= acked.at);
  return leave !== undefined && lostAfter(world, leave, e, acked);
}

/**
 * Whether holder `x` gave its copy of the write up by installing another replica's state after
 * the answer (a conflict's loser reconciling: its orphans leave its log and go to the winner in a
 * RESUBMIT, P2.5), and every copy held after that went with a disk, as for a leave. Explore trial
 * 1530430 of opb-bridge-loser-leaves (k = 4, w = 3, merge): n13, primary 6.n13 of s2 cut off from
 * its backups n1, n7 and n4 by the bridge partition (0.265-0.955 s), answered c2's append
 * +c2.23 alone at 0.665 s (every backup suspected, so w capped to 0); after the heal it lost to
 * n1 (7.n1), installed n1's state at 1.185 s and re-submitted its 9 orphans; n1 re-executed them
 * at 1.2375 s (index 15) and confirmed once they were on its disk, crashed at 1.24 s before any
 * update carrying them arrived anywhere (PCT held its sends 77-87 ms; n1's backups then took
 * the early ones out of order and never got index 15), and came back without its disk at 2.22 s.
 * The write had one copy when answered and one after the hand-over, n1's, and that went with a
 * disk. Only an install that re-submitted its orphans (`merge`), the write then re-executed by a
 * primary, hands a copy over: under `discard` an install drops it, which only a fork excuses
 * (rivalFollowers). A holder that holds the write again after the install (the state it
 * installed, or a later update, covers it) keeps its copy.
 */
function installedThenLost(
  world: World, x: string, e: Exec, acked: OpbObserved<'opb.acked'>,
): boolean {
  const svc = acked.data.service;
  const install = world.obs('opb.install').find((o) =>
    o.node === x && o.data.service === svc && stepTime(o) >= acked.at);
  if (install === undefined || !install.data.resubmitted) return false;
  // The hand-over took: a primary re-executed the write's request after the install.
  const from = stepTime(install);
  const redone = [...world.obs('opb.exec'), ...world.lost('opb.exec')].some((o) =>
    o.data.resubmit && o.data.service === svc && o.data.client === e.client
    && o.data.seq === e.seq && stepTime(o) >= from);
  return redone && lostAfter(world, install, e, acked);
}

/**
 * Whether the write was held after `handover` (a leave or an install of its holder, by the
 * replicas' own executions and digests) and every replica holding it then lost that copy with
 * its disk.
 */
function lostAfter(
  world: World, handover: Moment, e: Exec, acked: OpbObserved<'opb.acked'>,
): boolean {
  return lostAfterBy(world, handover, e, acked, null) !== 'no';
}

/**
 * How every later copy went: `shown`, `unshown` (by a rejoin only the message record could
 * show), or `no`.
 */
type Went = 'shown' | 'unshown' | 'no';

/**
 * After a rejoin that dropped the write (recoveryDrop), whether every replica holding it later
 * lost that copy too: with its disk, or by a rejoin of its own after a crash, to a primary that
 * claimed without news of it. Explore trial 1821117 of opb-restart-stale-members (k=3 w=1
 * `discard`): n4's write, acked by n8 and copied to n10 by a transfer, went with the three
 * rejoining after the zone crashes, each installing n14's empty state (n14 claimed alone, after
 * their crashes, having heard none of them); n4's drop came first, and n8 and n10 still held the
 * write then, which no disk loss explained.
 */
function lostAfterRejoin(
  world: World, drop: Moment, e: Exec, acked: OpbObserved<'opb.acked'>,
): Went {
  return lostAfterBy(world, drop, e, acked, (n, at) => {
    const r = recoveryDrop(world, n, acked, 'discard');
    if (r === undefined || r.heard === true || stepTime(r.drop) < at) return 'no';
    return r.heard === false ? 'shown' : 'unshown';
  });
}

type Digest = OpbObserved<'opb.digest'>;
type ExecFact = OpbObserved<'opb.exec'>;

/**
 * The replicas' own evidence of holding the write: its executions (of the same client and seq,
 * in service `svc`), and whether a digest's lineage covers an entry executing it in that entry's
 * era: by default the era its epoch's name had at the digest's time (opb-eras.ts); `inEra`
 * judges it otherwise.
 */
interface WriteEvidence {
  readonly execs: readonly ExecFact[];
  covers(g: Digest, inEra?: (exec: ExecFact, g: Digest) => boolean): boolean;
}

function writeEvidence(world: World, e: Exec, svc: number): WriteEvidence {
  const eras = erasOf(world);
  const execs = [...world.obs('opb.exec'), ...world.lost('opb.exec')].filter((o) =>
    o.data.service === svc && o.data.client === e.client && o.data.seq === e.seq);
  const sameEra = (o: ExecFact, g: Digest): boolean =>
    eras.of(o.data.epoch, stepTime(o)) === eras.of(o.data.epoch, g.at);
  return {
    execs,
    covers(g, inEra = sameEra) {
      let lo = 1;
      for (const [epoch, hi] of parseLineage(g.data.lineage)) {
        if (execs.some((o) => o.data.epoch === epoch && o.data.index >= lo
          && o.data.index <= hi && inEra(o, g))) return true;
        lo = hi + 1;
      }
      return false;
    },
  };
}

/**
 * Whether `node` held the write when it lost a conflict at `loss`: it executed it before, or
 * its last digest before the loss covers it. A replica that held the write by its log and led
 * is one of the fork's losers whatever acked the write (explore trial 1852372 of
 * opb-handback-unacked, `discard`: n1 answered c0's put with n9's and n7's ACKs, crashed and
 * came back empty; n5, primary since the failover and holding the write, lost by rank to n1,
 * which had claimed hearing nobody, and every member installed n1's empty state).
 */
function heldAtLoss(world: World, e: Exec, w: WriteEvidence, svc: number, node: string,
  loss: OpbObserved<'opb.role'>): boolean {
  const before = (o: { at: number; seq: number }): boolean => o.seq < loss.seq && o.at >= e.at;
  if (w.execs.some((o) => o.node === node && before(o))) return true;
  let last: Digest | undefined;
  for (const o of world.obs('opb.digest')) {
    if (o.node === node && o.data.service === svc && before(o)) last = o;
  }
  if (last === undefined) return false;
  // The digest names entries by (epoch, index); after the claimant's amnesia that name may be
  // another entry's, which then must have been executed by the digest's time (opb-eras.ts).
  // Here n5's log kept 1.n1's index 1 from before n1 lost its disk: no other write took it.
  const eras = erasOf(world);
  const all = [...world.obs('opb.exec'), ...world.lost('opb.exec')]
    .filter((o) => o.data.service === svc);
  const notReused = (x: ExecFact, g: Digest): boolean => {
    const era = eras.of(x.data.epoch, stepTime(x));
    return !all.some((o) => o.data.epoch === x.data.epoch && o.data.index === x.data.index
      && stepTime(o) <= g.at && eras.of(o.data.epoch, stepTime(o)) > era);
  };
  return w.covers(last, notReused);
}

/**
 * The holders after `handover` and how their copies went; `rejoin` null: with the disk only, and
 * some holder is needed (else nothing shows the write outlived the hand-over); a rejoin's drop
 * needs none.
 */
function lostAfterBy(
  world: World, handover: Moment, e: Exec, acked: OpbObserved<'opb.acked'>,
  rejoin: ((node: string, at: number) => Went) | null,
): Went {
  const svc = acked.data.service;
  const from = stepTime(handover);
  // A fact at `t` is after the hand-over if `t` is later, or at its instant from a later step (or
  // a later fact of its step); one without a step number (a crash dropped it) counts from the
  // hand-over's instant on.
  const after = (t: number, o: { step?: number; seq: number }): boolean => {
    if (t !== from || o.step === undefined || handover.step === undefined) return t >= from;
    return o.step > handover.step || (o.step === handover.step && o.seq > handover.seq);
  };
  const last = new Map<string, number>();
  const held = (node: string, at: number): void => {
    last.set(node, Math.max(last.get(node) ?? at, at));
  };
  const w = writeEvidence(world, e, svc);
  for (const o of w.execs) if (after(stepTime(o), o)) held(o.node, stepTime(o));
  for (const g of world.obs('opb.digest')) {
    if (g.data.service === svc && after(g.at, g) && w.covers(g)) held(g.node, g.at);
  }
  if (rejoin === null && last.size === 0) return 'no';
  let went: Went = 'shown';
  for (const [n, at] of last) {
    if (lostCopy(world, n, at)) continue;
    const w = rejoin === null ? 'no' : rejoin(n, at);
    if (w === 'no') return 'no';
    if (w === 'unshown') went = 'unshown';
  }
  return went;
}

/**
 * The backups holding the write that followed a rival primary: one that claimed the service
 * after the write executed while its executing primary still held the role (two concurrent
 * primaries: C6's fork). Such a backup installs the rival's state over the write under
 * `discard` with no role change of its own, so no `lost` role report shows its copy going
 * (explore trial 982770 of opb-notice-late-retry: n2 held c0's append executed by n1 under 1.n1
 * and followed n3's 2.n3, claimed while n1 still led; n1's own copy went with its disk later).
 * The evidence is the role and epoch reports, not the write's presence.
 */
function rivalFollowers(world: World, e: Exec, acked: OpbObserved<'opb.acked'>): Set<string> {
  const svc = acked.data.service;
  const roles = world.obs('opb.role').filter((o) => o.data.service === svc);
  const leading = (at: number): boolean => {
    let last: OpbObserved<'opb.role'> | undefined;
    for (const o of roles) if (o.node === e.node && o.at <= at) last = o;
    if (last === undefined || last.data.role !== 'primary') return false;
    const since = last.at;
    return !(world.down.get(e.node) ?? []).some(([a]) => a >= since && a <= at);
  };
  const rivals = new Map<string, OpbObserved<'opb.role'>>();
  for (const o of roles) {
    if (o.data.role === 'primary' && o.node !== e.node && o.at >= e.at
      && !rivals.has(o.data.epoch) && leading(o.at)) rivals.set(o.data.epoch, o);
  }
  const followers = new Set<string>();
  if (rivals.size === 0) return followers;
  // A holder that claims the role itself keeps its log: only following another drops it.
  for (const o of world.obs('opb.epoch')) {
    const rival = rivals.get(epochText(o.data));
    if (rival !== undefined && o.data.service === svc && o.at >= rival.at
      && o.node !== rival.node && acked.data.backups.includes(o.node)) followers.add(o.node);
  }
  return followers;
}

/**
 * Why a lost acknowledged write is allowed (P2.7 C6), or null when it is not: the client was
 * told (`discard`); under `discard`, its primary or a replica holding it later lost a conflict
 * (a period with two primaries: a fork, whose orphans that policy drops); it was acknowledged by
 * the primary alone (w = 0, or every backup suspected) and the primary crashed; or the primary
 * and every backup that held it when the client was answered lost their copy (with its disk; or
 * with its holder's leave or install of another's state once every copy held after it went with a
 * disk, leftThenLost and installedThenLost; under
 * `discard` also a backup's to a rival primary it followed, and a holder's that crashed and,
 * back, took the state of a primary that claimed without news of it: recoveryDrop). Under
 * `merge` a fork excuses nothing: the winner re-executes every orphan (P2.5), so it may land
 * later, never vanish. A crash alone never excuses a write a backup acknowledged: it was on that
 * backup's disk; it excuses the primary's copy only if its write was still in flight
 * (primaryCopyLost) or its rejoin dropped it (recoveryDrop).
 */
function excuse(
  world: World, op: HistoryOp, e: Exec | undefined, acked: OpbObserved<'opb.acked'> | undefined,
  losses: readonly OpbObserved<'opb.role'>[], policy: 'merge' | 'discard',
): string | null {
  if (op.discardedAt !== undefined) return 'notified';
  if (e === undefined || acked === undefined) return null;
  // A fork: the executing primary, or a replica that held the write and later led, lost a
  // conflict to a concurrent primary.
  const holders = [acked.node, ...acked.data.backups];
  const svc = acked.data.service;
  let evidence: WriteEvidence | undefined;
  const forked = policy === 'discard' && losses.some((o) => o.at >= e.at
    && (o.node === e.node || holders.includes(o.node) || (o.data.service === svc
      && heldAtLoss(world, e, evidence ??= writeEvidence(world, e, svc), svc, o.node, o))));
  if (forked) return 'fork';
  if (acked.data.backups.length === 0
    && (world.down.get(acked.node) ?? []).some(([a]) => a >= acked.at)) return 'w=0';
  // A copy goes with its disk, or with its holder's leave once every later copy went so.
  const left = new Set([acked.node, ...acked.data.backups].filter((n) =>
    !lostCopy(world, n, acked.at) && leftThenLost(world, n, e, acked)));
  // Or with its holder's install of a winner's state (its orphans handed over), likewise.
  const handed = new Set([acked.node, ...acked.data.backups].filter((n) =>
    !lostCopy(world, n, acked.at) && !left.has(n) && installedThenLost(world, n, e, acked)));
  // Or, under `discard`, with its holder's rejoin after a crash, taking the state of a primary
  // that claimed without news of that copy (P2.7: the holder crashed; opb-c6-recovery.ts). The
  // value says whether the message record showed that (false: no record to tell).
  const rejoined = new Map<string, boolean>();
  for (const n of [acked.node, ...acked.data.backups]) {
    if (lostCopy(world, n, acked.at) || left.has(n) || handed.has(n)) continue;
    const r = recoveryDrop(world, n, acked, policy);
    const went = r === undefined || r.heard === true ? 'no'
      : lostAfterRejoin(world, r.drop, e, acked);
    if (r !== undefined && went !== 'no') rejoined.set(n, r.heard === false && went === 'shown');
  }
  const judge = (unshown: boolean): string | null => {
    const rejoin = (n: string): boolean => rejoined.get(n) === true
      || (unshown && rejoined.has(n));
    const gone = (n: string): boolean =>
      left.has(n) || handed.has(n) || rejoin(n) || lostCopy(world, n, acked.at);
    const primaryLost = gone(acked.node) || primaryCopyLost(world, acked);
    if (!primaryLost) return null;
    if (acked.data.backups.every(gone)) {
      return left.size > 0 ? 'left, then lost'
        : handed.size > 0 ? 'handed over, then lost'
          : [...rejoined.keys()].some(rejoin) ? 'dropped on a rejoin after a crash'
            : 'all copies lost';
    }
    // Or each copy went either with its disk or, under `discard`, to a fork its holder followed.
    if (policy !== 'discard') return null;
    const followers = rivalFollowers(world, e, acked);
    return acked.data.backups.every((n) => followers.has(n) || gone(n)) ? 'fork' : null;
  };
  const shown = judge(false);
  if (shown !== null || ![...rejoined.values()].includes(false)) return shown;
  return judge(true) === null ? null : UNJUDGED;
}

/** A loss only a rejoin could excuse, in a run kept without the message record to show it. */
const UNJUDGED = 'unjudged';

export const opbNoLossWithoutFork: Property = {
  name: 'opb-c6-no-loss-without-fork',
  description: 'C6: an acked write is in the converged state unless its client was told, a fork ' +
    'followed under policy discard, or every node holding it when acked lost its disk (w = 0: ' +
    'the primary crashed)',
  protocols: ['opb'],
  completeRunOnly: true,
  check(run: RunRecord) {
    const world = buildWorld(run);
    const present = new Set<string>();
    for (const svc of world.services) {
      for (const e of finalChain(world, svc) ?? []) present.add(`${e.client}|${e.value}`);
    }
    const execs = new Map<string, Exec>();
    // A crash may drop the facts of an execution and its answer (writes still in flight): the
    // step ran and the client got its reply, so they count, after the recorded ones.
    for (const o of [...world.obs('opb.exec'), ...world.lost('opb.exec')]) {
      const d = o.data;
      const key = `${d.client}|${d.value}`;
      if (!execs.has(key)) {
        execs.set(key, { at: o.at, node: o.node, client: d.client, seq: d.seq, value: d.value });
      }
    }
    // The first answer to each (client, seq), with the backups that held the update then.
    const ackedBy = new Map<string, OpbObserved<'opb.acked'>>();
    for (const o of [...world.obs('opb.acked'), ...world.lost('opb.acked')]) {
      const key = `${o.data.client}#${o.data.seq}`;
      if (!ackedBy.has(key)) ackedBy.set(key, o);
    }
    const policy = run.params['policy'] === 'discard' ? 'discard' : 'merge';
    const losses = world.obs('opb.role')
      .filter((o) => ['lost', 'fix', 'winner-lost'].includes(o.data.reason));
    const problems: string[] = [];
    const why = new Map<string, number>();
    let lost = 0;
    let notified = 0;
    let acked = 0;
    let unjudged = 0;
    for (const op of run.history.ops) {
      if (op.status !== 'ok' || op.input.type === 'get'
        || (op.input.type === 'cas' && op.output?.ok !== true)) {
        continue;
      }
      acked++;
      const key = `${op.client}|${op.input.value}`;
      if (present.has(key)) continue;
      lost++;
      if (op.discardedAt !== undefined) notified++;
      const e = execs.get(key);
      const a = e === undefined ? undefined : ackedBy.get(`${e.client}#${e.seq}`);
      const reason = excuse(world, op, e, a, losses, policy);
      if (reason === UNJUDGED) {
        unjudged++;
      } else if (reason === null) {
        const held = a === undefined ? '' : ` (held by ${[a.node, ...a.data.backups].join(', ')})`;
        problems.push(`acked ${op.input.type} ${op.input.key}=${op.input.value} by ${op.client}` +
          ` is missing${held}, though not every copy was lost and the client was not told`);
      } else {
        why.set(reason, (why.get(reason) ?? 0) + 1);
      }
    }
    const excuses = [...why].map(([r, n]) => `${n} ${r}`).join(', ');
    if (problems.length === 0 && unjudged > 0) {
      return { property: this.name, status: 'unknown',
        measures: { lostAckedWrites: lost, lostAndNotified: notified, ackedWrites: acked },
        message: `${unjudged} of ${lost} lost acked writes went with a rejoin after a crash, ` +
          'unjudged: the run kept no message record to show what the primary had heard' };
    }
    return verdictOf(
      this.name, problems,
      { lostAckedWrites: lost, lostAndNotified: notified, ackedWrites: acked },
      `${lost} of ${acked} acked writes lost (${notified} of them notified)` +
        (excuses === '' ? '' : `: ${excuses}`),
    );
  },
};
