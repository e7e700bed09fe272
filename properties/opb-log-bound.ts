/**
 * P2.4 #6, the log bound: "the log is truncated to what every member holds, keeping the last
 * `logKeep` entries for lagging backups". Judged from the replicas' digests, in calm time only
 * (every node up, no cut, no perturbation, Δ_conv after the last change), with slack for one
 * batch of entries in flight:
 * - a primary of a stable group whose members all reported holding index L two heartbeats ago
 *   has checkpointed up to min(L, its index then − 2·logKeep) (it checkpoints on every ack once
 *   its log reaches 2·logKeep entries; the members' own digests are the evidence of what they
 *   hold, not the primary's count of acks);
 * - a backup following that primary is no more than 2·logKeep entries behind the checkpoint the
 *   primary had four heartbeats earlier (backups truncate by the stable index updates carry),
 *   unless its history ends below that checkpoint (it lost its copy and waits for a transfer).
 * And its lower side, at any time (faults included, up to the run's first corruption): no
 * checkpoint (`opb.checkpoint`) goes above what a member of the checkpointing replica's group
 * held then (logFloorProblems).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { calmStretches } from './opb-overload.js';
import {
  buildWorld, CONVERGE_BOUND_US, digestAt, lastJoin, nodeFacts, parseLineage, type Digest,
  type World,
} from './opb-world.js';
import { verdictOf, type Property } from './types.js';
import { numberParam, pushTo, stepTime } from './run-values.js';
import { parseAck } from './opb-ack-label.js';

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((m) => b.includes(m));

export function logBoundProblems(run: RunRecord): string[] {
  const world = buildWorld(run);
  const keep = numberParam(run, 'logKeep', 512);
  const batch = numberParam(run, 'batch', 64);
  const hb = numberParam(run, 'hbUs', 50_000);
  const stretches = calmStretches(run, world.nodes.length);
  const calm = (from: number, to: number): boolean => stretches.some(([a, b]) =>
    from >= (a === 0 ? 0 : a + CONVERGE_BOUND_US) && to < b);
  const problems: string[] = [];
  for (const list of [...world.digests.values()]) {
    for (const d of list) {
      if (!calm(d.at - 4 * hb - hb, d.at)) continue;
      if (d.role === 'primary' && d.primary === d.node) {
        const then = digestAt(world, d.node, d.svc, d.at - 2 * hb);
        if (then === undefined || then.role !== 'primary' || then.epoch !== d.epoch
          || then.at < d.at - 4 * hb || !sameSet(then.members, d.members)) continue;
        const held = d.members.filter((m) => m !== d.node).map((m) => {
          const h = digestAt(world, m, d.svc, d.at - 2 * hb);
          const ok = h !== undefined && h.at >= d.at - 4 * hb && h.epoch === d.epoch
            && h.primary === d.node;
          return ok ? h.idx : null;
        });
        if (held.some((i) => i === null)) continue;
        const lowest = Math.min(then.idx, ...(held as number[]));
        const want = Math.min(lowest, then.idx - 2 * keep) - batch;
        if (d.base < want) {
          problems.push(`s${d.svc}: primary ${d.node} at t=${d.at}us keeps its log from ` +
            `${d.base}, though every member held ${lowest} at t=${d.at - 2 * hb}us ` +
            `(logKeep ${keep})`);
        }
      } else if (d.role === 'backup' && d.primary !== null) {
        const p = digestAt(world, d.primary, d.svc, d.at - 4 * hb);
        const mine = digestAt(world, d.node, d.svc, d.at - 4 * hb);
        if (p === undefined || p.role !== 'primary' || p.epoch !== d.epoch
          || !p.members.includes(d.node) || mine === undefined || mine.epoch !== d.epoch
          || mine.primary !== d.primary) continue;
        // A backup below the primary's checkpoint lost its copy since (it left the group and
        // rejoined empty, explore seed 700594): it waits for a state transfer, keeping no entry
        // the primary truncated; catching up is judged by liveness and convergence.
        if (d.idx < p.base) continue;
        if (d.base < p.base - 2 * keep - batch) {
          problems.push(`s${d.svc}: backup ${d.node} at t=${d.at}us keeps its log from ` +
            `${d.base}, though its primary ${p.node} had checkpointed ${p.base} at ` +
            `t=${p.at}us (logKeep ${keep})`);
        }
      }
    }
  }
  return problems;
}

/** The first digest of `node`'s replica of `svc` at or after `at`, if any. */
function digestFrom(world: World, node: string, svc: number, at: number): Digest | undefined {
  return (world.digests.get(`${node}|${svc}`) ?? []).find((d) => d.at >= at);
}

/**
 * `node`'s digests of `svc` just before and just after the fact `o`, ordered by time and, within
 * one instant, by `seq` (the order the steps ran). By the instant alone, a digest made earlier
 * in the same instant read as one made after it (explore trial 1540105 of
 * opb-orphans-redirect: n6, paused 4.18-4.915 s, ran its backlog at 4.915 s; its tick's digest
 * still listed m4 with n2, then an update brought m5 without n2 and the stable index 472, and
 * n6 checkpointed at 472; both of its digests "around" that checkpoint were the tick's, so n2,
 * repaired out of the group and itself leaving earlier in that instant at 367, was judged a
 * member).
 */
function digestsAround(world: World, node: string, svc: number,
  o: { readonly at: number; readonly seq: number }):
  readonly [Digest | undefined, Digest | undefined] {
  const list = world.digests.get(`${node}|${svc}`) ?? [];
  let lo = 0;
  let hi = list.length;
  // The first digest after `o`: the list is in the order the digests were made.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const d = list[mid]!;
    if (d.at > o.at || (d.at === o.at && d.seq > o.seq)) hi = mid; else lo = mid + 1;
  }
  return [list[lo - 1], list[lo]];
}

/**
 * The lower side of P2.4 #6: "the log is truncated to what every member holds". A replica that
 * checkpoints at `base` (its `opb.checkpoint`) at time t must not go above what any member of
 * its group held at t. What a member held comes from that member's own digests (`index`), never
 * from the checkpointing replica's count of acks or the stable index it was sent; a digest is
 * made once a heartbeat, so the evidence is an upper bound of what the member held at t, and
 * only a member whose upper bound is below `base` is reported:
 * - a member up at t, following the same primary at the same epoch as the checkpointing replica
 *   (a backup, in its digests just before and just after t), whose history grew in between (no
 *   crash, no role or epoch change that could have replaced it): it held at most
 *   its index of the digest after t, or what it held before a state transfer it installed
 *   from Δ_conv before t up to that digest (a transfer may shorten its history, and until its
 *   next ack the primary counts what it held before), or, within Δ_conv after it came back
 *   without its disk, the highest index it acked to the primary before that crash (the message
 *   record; a run kept without one does not judge such a member);
 * - a member down at t (durable state only, the primary keeps its last ack) that came back
 *   with its disk: it held at most the index of its first digest after the restart (a restart
 *   without its disk, amnesia, tells nothing of what it held), or before a transfer it
 *   installed in the Δ_conv before t; judged only in its first `repairUs` down: after that it
 *   is dead to the primary, whose repair replaces it at once (P2.6 #1), while a backup's
 *   digests may list it until a heartbeat brings the new membership (explore seed 1000049).
 *   The one exception is the primary whose stable index the checkpoint used, down at t after a
 *   crash that lost writes in flight (`writes-lost`): a backup's count is its durable ACK, but
 *   the primary's own copy is the log it executed, in memory (it replies on backups' acks, not
 *   on its own write, P2.4 #4), which its crash may lose. It held at most the highest index it
 *   executed in that epoch before the crash (its `opb.exec`, recorded or dropped by the
 *   crash); explore trial 960395 of opb-stale-transfer: n1, its disk at 198 ms a write, had
 *   executed 140 and sent stable 137 to n2, crashed with its disk as of index 134, and n2
 *   checkpointed at 137 on that update 9 ms later.
 * The checkpointing replica must show the same role, primary and epoch in its digests just
 * before and just after t (its digests, and the members', ordered with the checkpoint as the
 * steps ran: `digestsAround`); the group is the members it lists in both (a member added then
 * joins empty and is brought in by a state transfer, not an ack; one removed no longer counts),
 * less a member that joined earlier and still holds nothing (its digests since its `opb.join`
 * all at index 0): it too waits for a state transfer.
 * A member in another epoch or following another primary (a side of a partition, a reconciling
 * loser) is not judged: what it acked before may since lie on its own branch. A state
 * transfer's base is the sender's checkpoint, judged at the sender.
 */
export function logFloorProblems(run: RunRecord): string[] {
  const world = buildWorld(run);
  const corrupted = run.nodeEvents.find((e) => e.kind === 'corrupted')?.at ?? Infinity;
  const amnesiac = new Set(world.obs('opb.node').filter((o) => o.data.amnesia)
    .map((o) => `${o.node}@${o.at}`));
  const installs = world.obs('opb.install');
  /**
   * The most a member held before the state transfers it installed from `from` to `to` (their
   * `mine`): a transfer may replace a longer history with the sender's shorter one (explore
   * seed 910010: n9 at 71 installs a transfer of 70), and the primary learns it only from the
   * member's next ack, so what the member held before counts for a while (Δ_conv before t).
   */
  const heldBeforeInstalls = (m: string, svc: number, from: number, to: number): number =>
    Math.max(-1, ...installs.filter((o) => o.node === m && o.data.service === svc
      && o.at >= from && o.at <= to).map((o) => parseLineage(o.data.mine).at(-1)?.[1] ?? 0));
  /**
   * A member that joined by t and has held nothing since (P2.6 #1: MEMBERSHIP, then STATE-XFER,
   * then a backup): it is brought in by a state transfer, which carries a checkpoint, so it
   * bounds no truncation until it holds something (explore seed 930012: n1 rejoined s3 empty at
   * 5.07 s, a backup checkpointed at 130 at 5.12 s, n1's transfer came at 5.17 s).
   */
  const joinedEmpty = (m: string, svc: number, t: number, upTo: number): boolean => {
    const j = lastJoin(world, m, svc, t);
    return j !== undefined && (world.digests.get(`${m}|${svc}`) ?? [])
      .filter((d) => d.at >= j.at && d.at <= upTo).every((d) => d.idx === 0);
  };
  const lostAt = new Set(nodeFacts(world, 'writes-lost').map((f) => `${f.node}@${f.at}`));
  const execs = [...world.obs('opb.exec'), ...world.lost('opb.exec')];
  /**
   * The highest index primary `p` executed in `svc` under `epoch` before its crash at `crash`,
   * if that crash lost writes in flight, else -1: what it held in memory, which the stable index
   * it sent counted (its own copy is not on disk before it replies, P2.4 #4).
   */
  const executedBeforeLoss = (p: string, svc: number, epoch: string, crash: number): number =>
    !lostAt.has(`${p}@${crash}`) ? -1 : Math.max(-1, ...execs.filter((o) => o.node === p
      && o.data.service === svc && o.data.epoch === epoch && stepTime(o) <= crash)
      .map((o) => o.data.index));
  /**
   * The down spell of a member that came back without its disk (amnesia) within Δ_conv before
   * `t`, if any: the primary counts such a member by the last ACK it had from it, its durable
   * state, and learns of the loss only from its next ACK (explore trial 999604: n7's ACK of 12
   * reached n1 just before its crash; n1 checkpointed at 12 before n7's first ACK after its
   * amnesic restart, and its heartbeat of stable 12 reached the backup n18 77 ms later).
   */
  const amnesicRestart = (m: string, t: number): readonly [number, number] | undefined =>
    [...(world.down.get(m) ?? [])].reverse().find(([, b]) => b <= t
      && t - b <= CONVERGE_BOUND_US && amnesiac.has(`${m}@${b}`));
  // The ACKs delivered, per link and service ("from>to|svc"), read once and only if asked: a
  // run checkpointing every few entries asks for each checkpoint and member after an amnesia
  // (a scan of the record per question made the check ten times slower on trial 999604).
  let acks: Map<string, { sent: number; idx: number }[]> | null = null;
  /**
   * The highest index `m` acked for `svc` to `primary` in messages sent before `crash` and not
   * lost, from the message record; null without one (nothing else tells what it acked).
   */
  const ackedBefore = (m: string, primary: string, svc: number, crash: number): number | null => {
    if (run.messages === undefined) return null;
    if (acks === null) {
      acks = new Map();
      for (const x of run.messages) {
        const a = x.drop === null ? parseAck(x.label) : null;
        if (a !== null) pushTo(acks, `${x.from}>${x.to}|${a.svc}`, { sent: x.sent, idx: a.idx });
      }
    }
    return Math.max(-1, ...(acks.get(`${m}>${primary}|${svc}`) ?? [])
      .filter((a) => a.sent < crash).map((a) => a.idx));
  };
  const repairUs = numberParam(run, 'repairUs', 600_000);
  const problems: string[] = [];
  for (const c of world.obs('opb.checkpoint')) {
    if (c.at >= corrupted) continue;
    const svc = c.data.service;
    const base = c.data.base;
    const [before, after] = digestsAround(world, c.node, svc, c);
    // A replica that changed primary, epoch or role around its checkpoint may have taken its
    // stable index from a claim its digest before does not show yet: not judged.
    if (before === undefined || after === undefined || before.role !== after.role
      || before.primary !== after.primary || before.epoch !== after.epoch) continue;
    const primary = before.role === 'primary' ? c.node : before.primary;
    const epoch = before.epoch;
    const follows = (d: Digest): boolean =>
      d.role === 'backup' && d.primary === primary && d.epoch === before.epoch;
    for (const m of before.members) {
      if (m === c.node || !after.members.includes(m)) continue;
      const downs = world.down.get(m) ?? [];
      const down = downs.find(([a, b]) => c.at >= a && c.at < b);
      let held: number;
      let evidence: string;
      if (down !== undefined) {
        const back = down[1];
        if (back > run.endUs || amnesiac.has(`${m}@${back}`)) continue;
        // Down for repairUs, it is dead to the primary, whose repair replaces it at once
        // (P2.6 #1): its group may no longer count it, though a backup's digest still lists it
        // until a heartbeat brings the new membership (explore seed 1000049: a checkpoint
        // 757 ms into a member's 1.2 s crash).
        if (c.at - down[0] >= repairUs) continue;
        const d = digestFrom(world, m, svc, back);
        if (d === undefined) continue;
        const before = heldBeforeInstalls(m, svc, c.at - CONVERGE_BOUND_US, c.at);
        const inMemory = m === primary ? executedBeforeLoss(m, svc, epoch, down[0]) : -1;
        held = Math.max(d.idx, before, inMemory);
        evidence = `it was down from t=${down[0]}us and came back at t=${back}us holding ` +
          `${d.idx} (its digest at t=${d.at}us)` +
          (before < 0 ? '' : `, ${before} before a transfer it installed`) +
          (inMemory < 0 ? '' : `, ${inMemory} executed before its crash lost writes`);
      } else {
        const [prev, next] = digestsAround(world, m, svc, c);
        if (prev === undefined || next === undefined || !follows(prev) || !follows(next)
          || next.idx < prev.idx) continue;
        if (joinedEmpty(m, svc, c.at, next.at)) continue;
        if (downs.some(([a, b]) => a <= next.at && b > prev.at)) continue;
        const before = heldBeforeInstalls(m, svc, c.at - CONVERGE_BOUND_US, next.at);
        const forgot = amnesicRestart(m, c.at);
        const acked = forgot === undefined ? -1 : ackedBefore(m, primary ?? '', svc, forgot[0]);
        if (acked === null) continue;
        held = Math.max(next.idx, before, acked);
        evidence = `its digests say it held ${prev.idx} at t=${prev.at}us and ${next.idx} at ` +
          `t=${next.at}us` + (before < 0 ? '' : `, ${before} before a transfer it installed`) +
          (forgot === undefined ? '' : `, ${acked} acked before it lost its disk at ` +
            `t=${forgot[0]}us`);
      }
      if (base > held) {
        problems.push(`s${svc}: ${before.role} ${c.node} checkpointed at ${base} at t=${c.at}us, ` +
          `above what member ${m} held: ${evidence}`);
      }
    }
  }
  return problems;
}

export const opbLogBound: Property = {
  name: 'opb-log-bound',
  description: 'P2.4: logs are truncated to what every member holds (members\' digests), ' +
    'keeping logKeep entries, and no checkpoint goes above it; backups truncate as their ' +
    'primary did',
  protocols: ['opb'],
  completeRunOnly: true,
  check(run: RunRecord) {
    return verdictOf(this.name, [...logFloorProblems(run), ...logBoundProblems(run)], undefined,
      'every log truncated to what the members held, and no further');
  },
};
