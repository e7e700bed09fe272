/**
 * Liveness after the faults stop: at the end of the fault window the run heals everything and
 * restarts crashed nodes, so every protocol's precondition (a reachable quorum for SMART, any
 * replica for OPB) holds. Within the bound, progress must resume: some operation completes, and
 * no operation invoked after the bound is left without an answer.
 */
import type { RunRecord } from '../simulator/run-record.js';
import {
  cfgFacts, configurations, newestConfig, replicaStarts, stepTime,
} from './smart-observations.js';
import type { Property } from './types.js';

/**
 * The failover time the spec owes a protocol whose leader failed just before the heal: its
 * failure detector fires at most one suspicion timeout after the heal, and the new leader's
 * first heartbeat announces it. SMART (P1.5): `leaderTimeoutUs` + `heartbeatUs`; OPB (P2.5,
 * "failover time ≈ T_fd + T_hb"): `fdUs` + `hbUs`. 0 for other protocols or without the params.
 */
export function failoverUs(run: RunRecord): number {
  const [timeout, beat] = run.protocol === 'smart' ? ['leaderTimeoutUs', 'heartbeatUs']
    : run.protocol === 'opb' ? ['fdUs', 'hbUs'] : [null, null];
  const t = timeout === null ? undefined : run.params[timeout];
  const b = beat === null ? undefined : run.params[beat];
  return typeof t === 'number' && typeof b === 'number' ? t + b : 0;
}

/**
 * Progress must resume within this share of the settle phase, and never sooner than a failover
 * (`failoverUs`): a leader that crashed just before the heal is suspected only a timeout later
 * (explore seed 841500 of smart-ckpt-note-slow-disk, whose settle phase is 500 ms: the leader n1
 * crashed at 437 ms and restarted at 445 ms as a follower, as P1.5 has it; n2 suspected it 200
 * ms after its last heartbeat, at 620 ms, 120 ms after the heal, a quarter of the settle phase).
 */
export function livenessBoundUs(run: RunRecord): number {
  return Math.max(Math.floor((run.endUs - run.faultWindowEndUs) / 4),
    bootGuardLeftUs(run) + staggerLeftUs(run) + failoverUs(run));
}

/**
 * How much later than `leaderTimeoutUs` after the heal SMART may first campaign because of
 * machines booted at or before it: a restored replica knows no leader, so its suspicion is
 * staggered by its rank, its index among the configuration's members (P1.5, `staggerUs`), and
 * members ranked before it may have booted without that replica (an empty disk). Owed for the
 * latest-ranked member booted, from its boot. Explore trial 1471412 of opb-zone-disasters run
 * with SMART: the heal at 4 s restarted every node; n3 and n4, the first two of configuration
 * 2's [n3,n4,n5,n6,n7], had crashed with empty disks, so n5 campaigned first, 500 ms after the
 * heal (300 + 2 x 100); it led from 511.5 ms, worked through five requests held from clients
 * that had given up at α 1, and the first completion came at 624 ms against a 622 ms bound.
 * A replica that started shortly before the heal waits likewise, from its start, for the
 * members ranked before it may never have heard of it (their JOINs lost): for the newest
 * configuration at the heal, the first campaign its started members owe (P1.5), the earliest
 * of their starts plus their rank's stagger, each from its latest start. Explore trial 1671714 of
 * smart-two-leaders-one-request: n2 executed the MIGRATEs creating configurations 9-11
 * ([n1,n2,n3], [n1,n2,n4], [n1,n2,n3]) at 1.183 s while cut off from n1, their first member,
 * 17 ms before the heal; n1 heard nothing of them, so n2, rank 1, campaigned first at 1.443 s
 * (200 + 60 ms after its start) and the first completion came 263 ms after the heal, against a
 * 250 ms bound. 0 for other protocols, and once every such stagger ended before the heal.
 */
export function staggerLeftUs(run: RunRecord): number {
  const stagger = run.params['staggerUs'];
  if (run.protocol !== 'smart' || typeof stagger !== 'number') return 0;
  const heal = run.faultWindowEndUs;
  const { table } = configurations(run);
  // The run's newest configuration: an older one's campaign elects nobody who serves. Owed for
  // its latest-ranked member booted.
  const newest = newestConfig(table);
  let booted = 0;
  for (const e of healBoots(run)) {
    const rank = newest.members.indexOf(e.node);
    if (rank >= 0) booted = Math.max(booted, e.at + rank * stagger - heal);
  }
  // The newest configuration at the heal, and its members' replicas started by then.
  let atHeal = 1;
  for (const o of cfgFacts(run)) {
    if (stepTime(o) <= heal) atHeal = Math.max(atHeal, o.data.config);
  }
  const current = table.get(atHeal);
  const started = new Map<string, number>();
  for (const o of replicaStarts(run)) {
    if (o.data.config === atHeal && stepTime(o) <= heal) started.set(o.node, stepTime(o));
  }
  let first = Infinity;
  for (const [node, at] of started) {
    const rank = current === undefined ? -1 : current.members.indexOf(node);
    if (rank >= 0) first = Math.min(first, at + rank * stagger - heal);
  }
  return Math.max(booted, Number.isFinite(first) ? first : 0);
}

/**
 * How long after the heal a machine that booted at or before it may still wait before it acts
 * as a primary: OPB's boot guard (P2.5, "a restarted replica does not promote itself before it
 * has heard its group, or `fdUs` and two gossip rounds passed"), so the failover is owed from
 * the guard's end. Explore trial 1454989 of opb-majority-dcs-down: the heal restarted both
 * members of s0 (and a machine that had lost its replica, which never heartbeats it again), so
 * both waited out the whole 500 ms guard; the clients' attempts sent meanwhile waited out their
 * 200 ms timeout, and the first completion came 632 ms after the heal, past a 625 ms bound.
 * 0 for other protocols, and once every boot's guard ended before the heal.
 */
export function bootGuardLeftUs(run: RunRecord): number {
  if (run.protocol !== 'opb') return 0;
  const fd = run.params['fdUs'];
  const gossip = run.params['gossipUs'];
  if (typeof fd !== 'number' || typeof gossip !== 'number') return 0;
  const guard = Math.max(fd, 2 * gossip);
  let left = 0;
  for (const e of healBoots(run)) left = Math.max(left, e.at + guard - run.faultWindowEndUs);
  return left;
}

/** The boots of the run after its start, up to the heal (one restarts every crashed node). */
function healBoots(run: RunRecord): RunRecord['nodeEvents'] {
  return run.nodeEvents.filter((e) => e.kind === 'up' && e.at > 0 && e.at <= run.faultWindowEndUs);
}

export const liveness: Property = {
  name: 'liveness',
  description: 'after faults stop, operations complete again within a bound (a quarter of ' +
    'the settle phase, at least a failover, owed from the end of a boot guard)',
  protocols: ['*'],
  check(run) {
    const heal = run.faultWindowEndUs;
    const bound = livenessBoundUs(run);
    const ops = run.history.ops;
    const invokedAfter = ops.filter((o) => o.call >= heal);
    if (invokedAfter.length === 0 || run.failures.length > 0) {
      return { property: this.name, status: 'skip',
        message: 'no operation invoked after the faults stopped' };
    }
    const firstDone = Math.min(...ops.filter((o) => o.status === 'ok' && o.return! >= heal)
      .map((o) => o.return!));
    const resumeUs = Number.isFinite(firstDone) ? firstDone - heal : null;
    const stuck = ops.filter((o) => o.status === 'info' && o.call >= heal + bound
      && o.call <= run.endUs - bound);
    const measures = { resumeUs: resumeUs ?? -1, boundUs: bound, pendingAfterBound: stuck.length };
    if (resumeUs === null || resumeUs > bound) {
      return { property: this.name, status: 'fail', measures,
        message: `no operation completed within ${bound}us after the faults stopped` };
    }
    if (stuck.length > 0) {
      const list = stuck.slice(0, 5).map((o) =>
        `#${o.id} ${o.client} ${o.input.type} ${o.input.key} at t=${o.call}us`).join('; ');
      return { property: this.name, status: 'fail', measures,
        message: `${stuck.length} operation(s) invoked after the bound got no answer: ${list}` };
    }
    return { property: this.name, status: 'pass', measures,
      message: `progress resumed ${resumeUs}us after the faults stopped` };
  },
};

/** Attempts made after the liveness bound that may go unanswered (`retries-answered`). */
export const UNANSWERED_ATTEMPTS = 3;

/**
 * An operation still pending when the faults stopped is answered while its client keeps trying
 * (SMART L1, OPB C4: a correct client's request is answered once it reaches the service again).
 * `liveness` judges the operations invoked after the bound; this judges the ones that were
 * already pending, from the clients' own timeouts (RunRecord.requestTimeouts): a client sends its
 * next attempt when the last one times out, so two timeouts of one operation after the bound
 * frame an attempt made and lost wholly in the healed run. An operation left without an answer
 * through UNANSWERED_ATTEMPTS such attempts fails (Stryker #3201 of the seed-41 sample: an OPB
 * primary dropped every retry of a committed write a checkpoint had folded, and the client's
 * write stayed indefinite to the end). Three in a row, not one: after the heal only the base
 * network's loss (at most a few per cent in the built-ins) can lose an attempt.
 */
export const retriesAnswered: Property = {
  name: 'retries-answered',
  description: 'after faults stop, an operation its client keeps retrying is answered: none ' +
    `stays indefinite through ${UNANSWERED_ATTEMPTS} attempts made after the liveness bound`,
  protocols: ['*'],
  check(run) {
    if (run.failures.length > 0) {
      return { property: this.name, status: 'skip', message: 'the run stopped on a failure' };
    }
    const from = run.faultWindowEndUs + livenessBoundUs(run);
    const after = new Map<number, number>();
    for (const t of run.requestTimeouts) {
      if (t.at >= from) after.set(t.opId, (after.get(t.opId) ?? 0) + 1);
    }
    if (after.size === 0) {
      return { property: this.name, status: 'skip',
        message: 'no request timed out after the faults stopped' };
    }
    const unanswered = run.history.ops.filter((o) => o.status === 'info'
      && (after.get(o.id) ?? 0) - 1 >= UNANSWERED_ATTEMPTS);
    const measures = { retried: after.size, unanswered: unanswered.length };
    if (unanswered.length > 0) {
      const list = unanswered.slice(0, 5).map((o) => `#${o.id} ${o.client} ${o.input.type} ` +
        `${o.input.key} (invoked at t=${o.call}us, ${after.get(o.id)! - 1} attempts lost)`)
        .join('; ');
      return { property: this.name, status: 'fail', measures,
        message: `${unanswered.length} operation(s) got no answer through at least ` +
          `${UNANSWERED_ATTEMPTS} attempts made after t=${from}us (the faults stopped at ` +
          `t=${run.faultWindowEndUs}us): ${list}` };
    }
    return { property: this.name, status: 'pass', measures,
      message: `${after.size} operation(s) retried after the faults stopped, each answered or ` +
        `given up within ${UNANSWERED_ATTEMPTS} lost attempts` };
  },
};
