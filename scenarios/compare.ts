/**
 * SMART vs OPB (or any protocols) on the same scenarios, faults and seeds: per protocol and
 * scenario, the means over seeds of availability, latency, throughput, anomalies, violations and
 * convergence time (when a convergence property reports `convergenceUs`).
 *
 * Lost acknowledged writes: a protocol's own check that sees its converged history (a property
 * other than `anomalies` measuring `lostAckedWrites`, e.g. OPB's C6) is preferred over the
 * history-only count, which cannot tell a lost write from one overwritten by a write re-executed
 * later (OPB's `merge` reorders); the difference is reported as `overwrittenByReorder`.
 */
import type { Scenario } from '../simulator/config.js';
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
  const historyLost = measure('anomalies', 'lostAckedWrites');
  const lost = runs.map((r, i) => {
    const own = r.verdicts.find((v) => v.property !== 'anomalies'
      && v.measures?.['lostAckedWrites'] !== undefined)?.measures?.['lostAckedWrites'];
    return own ?? historyLost[i] ?? 0;
  });
  const convergence = runs.flatMap((r) => r.verdicts.flatMap((v) => {
    const us = v.measures?.['convergenceUs'];
    return us === undefined || us < 0 ? [] : [us];
  }));
  return {
    scenario: scenario.name, protocol, runs: seeds,
    answeredPct: round(mean(measure('availability', 'answeredPermille')) / 10, 1),
    answeredInFaultsPct: round(mean(measure('availability', 'answeredInFaultsPermille')) / 10, 1),
    longestOutageMs: round(mean(measure('availability', 'longestOutageUs')) / 1000, 1),
    p50Ms: round(mean(runs.map((r) => r.record.metrics.latencyUs.p50)) / 1000),
    p99Ms: round(mean(runs.map((r) => r.record.metrics.latencyUs.p99)) / 1000),
    throughputOpsPerS: Math.round(mean(runs.map((r) => r.record.metrics.throughputOpsPerS))),
    lostAckedWrites: round(mean(lost), 1),
    overwrittenByReorder:
      round(mean(lost.map((l, i) => Math.max(0, (historyLost[i] ?? 0) - l))), 1),
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
