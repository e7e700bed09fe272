/**
 * SMART liveness L1–L3 (PROTOCOLS.md P1.7), judged after the fault window: the simulator heals
 * everything at `faultWindowEndUs`, so from then on a quorum of every configuration is up and
 * connected, and progress must resume within a grace period.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { numberParam } from './run-values.js';
import type { Property } from './types.js';
import {
  type CfgInfo, checkpoints, configurations, decisions, defuncts, fail, lastSlot, majority,
  newestConfig, pass, replicaStarts, skip,
} from './smart-observations.js';

const P = ['smart'];

/** A machine's start of a replica (the `replica` fact). */
type Start = ReturnType<typeof replicaStarts>[number];

/** The time by which progress must have resumed: 40% into the settle phase. */
function graceEnd(run: RunRecord): number {
  return run.faultWindowEndUs + Math.floor((run.endUs - run.faultWindowEndUs) * 2 / 5);
}

/** L1: after the faults stop, every request is eventually executed and answered. */
export const smartLivenessRequests: Property = {
  name: 'smart-liveness-requests',
  description: 'L1: every request invoked after the healing grace period completes, and some do',
  protocols: P,
  check(run) {
    const from = graceEnd(run);
    const ops = run.history.ops;
    const late = ops.filter((op) => op.call >= from);
    const stuck = late.find((op) => op.status !== 'ok');
    if (stuck !== undefined) {
      return fail(this.name, `op #${stuck.id} of ${stuck.client} invoked at t=${stuck.call}us ` +
        `after healing never completed`);
    }
    // A stall that began before the grace period shows as no completion after it.
    const afterHeal = ops.filter((op) => op.call >= run.faultWindowEndUs);
    const progressed = ops.some((op) => op.status === 'ok' && op.return! >= from);
    const allDone = afterHeal.every((op) => op.status === 'ok');
    if (afterHeal.length > 0 && !progressed && !allDone) {
      return fail(this.name,
        `no operation completed after t=${from}us although clients were waiting`);
    }
    if (ops.length === 0) return skip(this.name, 'no clients');
    return pass(this.name, `${late.length} operations after t=${from}us all completed`,
      { late: late.length });
  },
};

/** L2: every slot up to a closed configuration's LastSlot is decided (null filling). */
export const smartLivenessSlots: Property = {
  name: 'smart-liveness-slots',
  description: 'L2: every configuration with a successor decides all its slots (its final state ' +
    'is checkpointed)',
  protocols: P,
  check(run) {
    const { table } = configurations(run);
    // Loops, not Math.max(...list): no array of every decision, no call with one per argument.
    const ckpts = checkpoints(run);
    let maxCkpt = 0;
    for (let i = 0; i < ckpts.length; i++) maxCkpt = Math.max(maxCkpt, ckpts[i]!.data.index);
    const decs = decisions(run);
    let maxDecided = 0;
    for (let i = 0; i < decs.length; i++) maxDecided = Math.max(maxDecided, decs[i]!.data.slot);
    for (const cfg of [...table.keys()].sort((a, b) => a - b)) {
      const last = lastSlot(table, cfg);
      if (last !== null && maxCkpt < last && maxDecided < last) {
        return fail(this.name, `configuration ${cfg} never completed its range up to slot ${last}`);
      }
    }
    return pass(this.name, `${table.size} configurations, every closed range completed`);
  },
};

/** L3: after MIGRATE is decided, the successor is established and the predecessor retired. */
export const smartLivenessMigration: Property = {
  name: 'smart-liveness-migration',
  description: 'L3: every successor gets established and every replica of its ' +
    'predecessor is destroyed',
  protocols: P,
  check(run) {
    const { table } = configurations(run);
    if (table.size === 1) return skip(this.name, 'no migration happened');
    const newest = Math.max(...table.keys());
    const ckpts = checkpoints(run);
    for (const cfg of [...table.values()].filter((c) => c.num > 1)) {
      const held =
        cfg.members.filter((m) => ckpts.some((o) => o.node === m && o.data.index >= cfg.first - 1));
      if (held.length < majority(cfg.members.length)) {
        return fail(this.name, `configuration ${cfg.num} was never established ` +
          `(${held.length} of ${cfg.members.length} hold its starting state)`);
      }
    }
    const finalD = new Map<string, number>();
    for (const o of defuncts(run)) {
      finalD.set(o.node, Math.max(finalD.get(o.node) ?? 0, o.data.config));
    }
    // A machine's last start of each replica: a restart with an empty disk may join again.
    let notDue = 0;
    const lastStart = new Map<string, Start>();
    for (const o of replicaStarts(run)) lastStart.set(`${o.node} ${o.data.config}`, o);
    for (const o of lastStart.values()) {
      if (o.data.config >= newest || lastSlot(table, o.data.config) === null) continue;
      const { config } = o.data;
      if ((finalD.get(o.node) ?? 0) >= config) continue;
      if (campaignDue(run, o, table) > run.endUs) {
        notDue++;
        continue;
      }
      return fail(this.name,
        `${o.node} still runs the replica of superseded configuration ${config} at the end`);
    }
    if (notDue === 0) {
      return pass(this.name, `${table.size - 1} migrations completed`,
        { migrations: table.size - 1 });
    }
    return pass(this.name, `${table.size - 1} migrations completed; ${notDue} superseded ` +
      'replica(s) not yet due to campaign and learn it defunct', { migrations: table.size - 1,
      notDue });
  },
};

/**
 * When a replica of a superseded configuration must have been destroyed: nothing but its own
 * ELECT, answered with DEFUNCT (P1.6 step 8), tells a replica its configuration is defunct once
 * every other member has learnt it, so it is owed its suspicion timeout (P1.5: leaderTimeoutUs,
 * staggered by up to n-1 ranks) from its start or from the last other member's defunct fact,
 * whichever is later (until then a leader of the configuration may re-arm it), and a heartbeat
 * period for the answer, as `failoverUs` gives a new leader's first message. Explore trial
 * 1471094 of smart-elect-behind-vote: n7, restarted with an empty disk at 650 ms, joined
 * configuration 2 at 661.8 ms (rank 4 of 5, its campaign due 440 ms later) while its leader n1
 * finished it; n1, n4, n5, n6 learnt it defunct by 681.7 ms, and the run ended at 1.1 s.
 */
function campaignDue(
  run: RunRecord, start: Start, table: ReadonlyMap<number, CfgInfo>,
): number {
  const members = table.get(start.data.config)?.members ?? [];
  // A reboot restores the replica from its disk with its timers afresh (explore trial 1471679
  // of smart-elect-behind-vote: n6, down since 150 ms with configuration 1's replica, restarted
  // at 650 ms outside configurations 2 and 3; rank 5 of 6, its campaign was due at 1.18 s, after
  // the end at 1.1 s).
  let from = Math.max(start.at, lastBoot(run, start.node));
  for (const o of defuncts(run)) {
    if (o.node !== start.node && o.data.config >= start.data.config && members.includes(o.node)) {
      from = Math.max(from, o.at);
    }
  }
  return from + campaignWaitUs(run, members.length);
}

/** A node's last boot (0: it ran from the start). */
export function lastBoot(run: RunRecord, node: string): number {
  let at = 0;
  for (const e of run.nodeEvents) if (e.node === node && e.kind === 'up') at = Math.max(at, e.at);
  return at;
}

/**
 * How long a replica of a configuration of `size` members may wait, from its start, before its
 * first campaign has been answered: its suspicion timeout staggered by up to size-1 ranks (P1.5)
 * and a heartbeat period for the answer (as `failoverUs` owes a new leader's first message).
 */
export function campaignWaitUs(run: RunRecord, size: number): number {
  return numberParam(run, 'leaderTimeoutUs', 0) + Math.max(size - 1, 0)
    * numberParam(run, 'staggerUs', 0) + numberParam(run, 'heartbeatUs', 0);
}

/**
 * L4: every member of the newest configuration eventually runs its replica (JOIN / JOIN-REQUEST).
 */
export const smartLivenessJoin: Property = {
  name: 'smart-liveness-join',
  description: 'L4: every member of the newest configuration has started its replica by ' +
    'the end of the run',
  protocols: P,
  check(run) {
    const { table } = configurations(run);
    const newest = newestConfig(table);
    const started = new Set(replicaStarts(run).filter((o) => o.data.config === newest.num)
      .map((o) => o.node));
    const missing = newest.members.filter((m) => !started.has(m));
    if (missing.length > 0) {
      return fail(this.name,
        `members ${missing.join(', ')} never started their replica of configuration ${newest.num}`);
    }
    return pass(this.name,
      `all ${newest.members.length} members of configuration ${newest.num} joined`);
  },
};

export const smartLivenessProperties: readonly Property[] = [
  smartLivenessRequests, smartLivenessSlots, smartLivenessMigration, smartLivenessJoin,
];
