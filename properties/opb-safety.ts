/**
 * OPB safety checks (P2.7): C5 at-most-once per lineage, C6 no loss of an acknowledged write
 * without a fork, C7 epoch monotonicity and uniqueness. Allowed anomalies are only counted.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { verdictOf, type Property } from './types.js';
import {
  buildWorld, cmpEpochText, isDown, nodeFacts, parseLineage, snapshot, STALE_US,
  type OpbObserved, type World,
} from './opb-world.js';

interface Exec {
  readonly at: number; readonly node: string; readonly client: string; readonly seq: number;
  readonly value: string;
}

/** The final history of a service: the executions on the final primary's lineage, in order. */
export function finalChain(world: World, svc: number): Exec[] | null {
  const snap = snapshot(world, svc, world.run.endUs, STALE_US);
  const p = snap.find((d) => d.role === 'primary') ?? snap[0];
  if (p === undefined) return null;
  const byId = new Map<string, Exec>();
  for (const o of world.obs('opb.exec')) {
    const d = o.data;
    if (d.service !== svc) continue;
    const key = `${d.epoch}|${d.index}`;
    if (!byId.has(key)) {
      byId.set(key, { at: o.at, node: o.node, client: d.client, seq: d.seq, value: d.value });
    }
  }
  const chain: Exec[] = [];
  let from = 1;
  for (const [epoch, last] of parseLineage(p.lineage)) {
    for (let i = from; i <= last; i++) {
      const e = byId.get(`${epoch}|${i}`);
      if (e !== undefined) chain.push(e);
    }
    from = last + 1;
  }
  return chain;
}

export const opbAtMostOnce: Property = {
  name: 'opb-c5-at-most-once',
  description: 'C5: a (client, seq) appears at most once in the converged history of a service ' +
    '(dedup survives reconciliation)',
  protocols: ['opb'],
  completeRunOnly: true,
  check(run: RunRecord) {
    const world = buildWorld(run);
    const problems: string[] = [];
    let checked = 0;
    for (const svc of world.services) {
      const chain = finalChain(world, svc) ?? [];
      const seen = new Set<string>();
      for (const e of chain) {
        const id = `${e.client}#${e.seq}`;
        if (seen.has(id)) problems.push(`s${svc}: ${id} executed twice in the converged history`);
        seen.add(id);
      }
      checked += chain.length;
    }
    return verdictOf(
      this.name, problems, { duplicateExecutions: problems.length, entriesChecked: checked },
      `${checked} executions, none duplicated`,
    );
  },
};

/**
 * Whether the primary that executed `e` later lost a conflict, crashed, was corrupted or
 * restarted.
 */
function excused(world: World, e: Exec, losses: readonly OpbObserved<'opb.role'>[]): boolean {
  if (losses.some((o) => o.node === e.node && o.at >= e.at)) return true;
  // A crash or a restart (recorded as down, then up) lost what was not yet replicated.
  if ((world.down.get(e.node) ?? []).some(([a]) => a >= e.at)) return true;
  return nodeFacts(world, 'corrupted', e.at).some((f) => f.node === e.node);
}

export const opbNoLossWithoutFork: Property = {
  name: 'opb-c6-no-loss-without-fork',
  description: 'C6: an acknowledged write is in the converged state unless its primary later ' +
    'lost a conflict (fork) or crashed',
  protocols: ['opb'],
  completeRunOnly: true,
  check(run: RunRecord) {
    const world = buildWorld(run);
    const present = new Set<string>();
    for (const svc of world.services) {
      for (const e of finalChain(world, svc) ?? []) present.add(`${e.client}|${e.value}`);
    }
    const execs = new Map<string, Exec>();
    for (const o of world.obs('opb.exec')) {
      const d = o.data;
      const key = `${d.client}|${d.value}`;
      if (!execs.has(key)) {
        execs.set(key, { at: o.at, node: o.node, client: d.client, seq: d.seq, value: d.value });
      }
    }
    const losses = world.obs('opb.role')
      .filter((o) => ['lost', 'fix', 'winner-lost'].includes(o.data.reason));
    const problems: string[] = [];
    let lost = 0;
    let notified = 0;
    let acked = 0;
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
      if (e === undefined || !excused(world, e, losses)) {
        problems.push(`acked ${op.input.type} ${op.input.key}=${op.input.value} by ${op.client}` +
          ' is missing without a fork');
      }
    }
    return verdictOf(
      this.name, problems,
      { lostAckedWrites: lost, lostAndNotified: notified, ackedWrites: acked },
      `${lost} of ${acked} acked writes lost (${notified} of them notified), ` +
        'all after a fork or crash',
    );
  },
};

export const opbEpochMonotonic: Property = {
  name: 'opb-c7-epoch-monotonic',
  description: 'C7: the epoch each replica follows never decreases (modulo amnesia and ' +
    'corruption); a primary never reuses an epoch',
  protocols: ['opb'],
  completeRunOnly: true,
  check(run: RunRecord) {
    const world = buildWorld(run);
    const resets = new Map<string, number[]>();
    for (const o of world.obs('opb.node')) {
      if (o.data.amnesia) resets.set(o.node, [...(resets.get(o.node) ?? []), o.at]);
    }
    // A replica that left its group and joins again later is a new replica (fresh epoch).
    for (const o of world.obs('opb.leave')) {
      resets.set(o.node, [...(resets.get(o.node) ?? []), o.at]);
    }
    for (const f of nodeFacts(world, 'corrupted')) {
      resets.set(f.node, [...(resets.get(f.node) ?? []), f.at]);
    }
    const last = new Map<string, { at: number; epoch: string }>();
    const problems: string[] = [];
    for (const o of world.obs('opb.epoch')) {
      const d = o.data;
      const key = `${o.node}|${d.service}`;
      const g = d.generation;
      const epoch = `${g === 0 ? '' : `${g}:`}${d.counter}.${d.node}`;
      const prev = last.get(key);
      const reset = prev !== undefined
        && (resets.get(o.node) ?? []).some((t) => t >= prev.at && t <= o.at);
      if (prev !== undefined && !reset && cmpEpochText(epoch, prev.epoch) < 0
        && !isDown(world, o.node, o.at)) {
        problems.push(`s${d.service}: ${o.node} went from epoch ${prev.epoch} to ${epoch}` +
          ` at t=${o.at}us`);
      }
      last.set(key, { at: o.at, epoch });
    }
    // A primary never claims the same (or a lower) epoch twice on one replica incarnation.
    const claimed = new Map<string, { at: number; epoch: string }>();
    for (const o of world.obs('opb.role')) {
      const d = o.data;
      if (d.role !== 'primary') continue;
      const key = `${o.node}|${d.service}`;
      const epoch = d.epoch;
      const prev = claimed.get(key);
      const reset = prev !== undefined
        && (resets.get(o.node) ?? []).some((t) => t >= prev.at && t <= o.at);
      if (prev !== undefined && !reset && cmpEpochText(epoch, prev.epoch) <= 0) {
        problems.push(`s${d.service}: ${o.node} claimed epoch ${epoch} after ${prev.epoch}` +
          ` at t=${o.at}us`);
      }
      claimed.set(key, { at: o.at, epoch });
    }
    return verdictOf(this.name, problems, { epochRegressions: problems.length },
      'epochs monotone on every replica');
  },
};
