/**
 * SMART vs OPB (or any protocols) on the same scenarios, faults and seeds: per protocol and
 * scenario, the means over seeds of availability, latency, throughput, anomalies, violations and
 * convergence time (when a convergence property reports `convergenceUs`).
 *
 * Lost acknowledged writes follow the one definition of `properties/lost-writes.ts` (a protocol
 * check over the converged history when there is one, else the client history); writes
 * overwritten by a write re-executed later (OPB's `merge`) are reported as
 * `overwrittenByReorder`.
 *
 * Convergence time: a protocol's own convergence check (a property other than `convergence`
 * measuring `timeToConvergeUs`, e.g. OPB's C2) is preferred over the generic one. The generic
 * check needs every replica's *last reported* state to be equal at one instant; OPB replicas
 * report on their own heartbeats while clients keep writing through half of the settle phase,
 * so backups a few updates behind (replication lag, not divergence) kept it from agreeing for
 * hundreds of milliseconds even in a fault-free run. C2 compares each replica with its primary
 * allowing a heartbeat of lag.
 */
import type { Scenario } from '../simulator/config.js';
import { lostWrites } from '../properties/lost-writes.js';
import { runChecked } from './runner.js';

export interface CompareRow {
  readonly scenario: string;
  readonly protocol: string;
  readonly runs: number;
  readonly answeredPct: number;
  readonly answeredInFaultsPct: number;
  readonly longestOutageMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly throughputOpsPerS: number;
  readonly lostAckedWrites: number;
  readonly overwrittenByReorder: number;
  readonly staleReads: number;
  readonly duplicateExecutions: number;
  readonly violations: number;
  readonly convergenceMs: number | null;
}

const mean = (xs: readonly number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b,
  0) / xs.length);
const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

export function compareScenario(scenario: Scenario, protocol: string, seeds: number,
  onRun?: () => void): CompareRow {
  const runs = Array.from({ length: seeds }, (_, seed) => {
    const r = runChecked({ scenario, protocol, seed: seed + 1 });
    onRun?.();
    return r;
  });
  const measure = (property: string, key: string): number[] =>
    runs.flatMap((r) => {
      const v = r.verdicts.find((x) => x.property === property)?.measures?.[key];
      return v === undefined ? [] : [v];
    });
  const lost = runs.map((r) => lostWrites(r.verdicts) ?? { lost: 0, reordered: 0 });
  const convergence = runs.flatMap((r) => {
    const own = r.verdicts.find((v) => v.property !== 'convergence'
      && v.measures?.['timeToConvergeUs'] !== undefined)?.measures?.['timeToConvergeUs'];
    const us = own ?? r.verdicts.find((v) => v.property === 'convergence')
      ?.measures?.['convergenceUs'];
    return us === undefined || us < 0 ? [] : [us];
  });
  return {
    scenario: scenario.name, protocol, runs: seeds,
    answeredPct: round(mean(measure('availability', 'answeredPermille')) / 10, 1),
    answeredInFaultsPct: round(mean(measure('availability', 'answeredInFaultsPermille')) / 10, 1),
    longestOutageMs: round(mean(measure('availability', 'longestOutageUs')) / 1000, 1),
    p50Ms: round(mean(runs.map((r) => r.record.metrics.latencyUs.p50)) / 1000),
    p99Ms: round(mean(runs.map((r) => r.record.metrics.latencyUs.p99)) / 1000),
    throughputOpsPerS: Math.round(mean(runs.map((r) => r.record.metrics.throughputOpsPerS))),
    lostAckedWrites: round(mean(lost.map((l) => l.lost)), 1),
    overwrittenByReorder: round(mean(lost.map((l) => l.reordered)), 1),
    staleReads: round(mean(measure('anomalies', 'staleReads')), 1),
    duplicateExecutions: round(mean(measure('anomalies', 'duplicateExecutions')), 1),
    violations: runs.filter((r) => !r.ok).length,
    convergenceMs: convergence.length === 0 ? null : round(mean(convergence) / 1000, 1),
  };
}

export const compareColumns = ['scenario / protocol', 'answered %', 'during faults %',
  'longest outage ms', 'p50 ms', 'p99 ms',
  'ops/s', 'lost acked', 'reordered', 'stale reads', 'dup exec', 'violating runs',
  'converge ms'] as const;

export function compareCells(r: CompareRow): (string | number)[] {
  return [`${r.scenario} / ${r.protocol}`, r.answeredPct, r.answeredInFaultsPct, r.longestOutageMs,
    r.p50Ms, r.p99Ms,
    r.throughputOpsPerS, r.lostAckedWrites, r.overwrittenByReorder, r.staleReads,
    r.duplicateExecutions,
    `${r.violations}/${r.runs}`,
    r.convergenceMs === null ? '-' : r.convergenceMs];
}
