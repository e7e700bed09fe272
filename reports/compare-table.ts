/**
 * The terminal form of `compare` / `start`: two tables that fit 100 columns (availability and
 * latency; anomalies and convergence), one row per scenario and protocol, then a legend. Every
 * figure is a measure (a mean over seeds), so nothing carries a pass/fail mark; only
 * "violating" counts judged runs.
 */
import type { ChalkInstance } from 'chalk';
import type { CompareRow } from '../scenarios/compare.js';
import { renderTable } from './table.js';

/** Widest line the comparison may print (README: `npm start` fits 100 columns). */
export const COMPARE_WIDTH = 100;

const LEGEND: readonly (readonly [string, string])[] = [
  ['answered %', 'share of all operations answered'],
  ['in faults %', 'share of the operations invoked during the faults (up to 0.5 s before they ' +
    'end) that were answered before the faults ended'],
  ['outage ms', 'longest time from the first fault to the end of the faults in which no ' +
    'operation completed (fault-free: from the first answer; start-up is not an outage)'],
  ['p50/p99 ms', 'latency of answered operations; ops/s: answered operations per second'],
  ['lost', 'acknowledged writes absent from the final execution order: with a protocol check ' +
    'over the converged history (OPB C6) its count, else acked appends missing at the last ' +
    'read (SMART executes in one order, so those were lost)'],
  ['reordered', 'acked appends missing at the last read that are not lost: overwritten by a ' +
    'write re-executed after them (OPB merge re-executes orphans; allowed)'],
  ['stale', 'reads that missed a write acknowledged before they started'],
  ['dup', 'reads showing one append twice (a duplicated execution)'],
  ['violating', 'runs with a property violation / runs (the only judged column)'],
  ['converge ms', 'time after the faults stop until the replicas agree: the protocol\'s own ' +
    'check when it has one (OPB C2, which allows a heartbeat of replication lag), else equal ' +
    'reported states; - when nothing reports state'],
];

/** Splits `text` into lines of at most `width` characters at spaces. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

export function renderLegend(c: ChalkInstance, width = COMPARE_WIDTH): string {
  const key = Math.max(...LEGEND.map(([k]) => k.length)) + 2;
  const lines = [c.bold('Legend (all figures are means over the seeds)')];
  for (const [k, text] of LEGEND) {
    wrap(text, width - key - 2).forEach((l, i) =>
      lines.push(`  ${(i === 0 ? k : '').padEnd(key)}${l}`.trimEnd()));
  }
  return lines.join('\n');
}

export function renderCompare(title: string, rows: readonly CompareRow[],
  c: ChalkInstance): string {
  // The scenario name once per group of protocol rows, so the eye can follow a scenario.
  const label = (r: CompareRow, i: number): string =>
    (i > 0 && rows[i - 1]!.scenario === r.scenario ? '' : r.scenario);
  const service = renderTable('Availability and latency',
    ['scenario', 'protocol', 'answered %', 'in faults %', 'outage ms', 'p50 ms', 'p99 ms',
      'ops/s'],
    rows.map((r, i) => [label(r, i), r.protocol, r.answeredPct, r.answeredInFaultsPct,
      r.longestOutageMs, r.p50Ms, r.p99Ms, r.throughputOpsPerS]), c, 2);
  const anomalies = renderTable('Anomalies and convergence',
    ['scenario', 'protocol', 'lost', 'reordered', 'stale', 'dup', 'violating', 'converge ms'],
    rows.map((r, i) => [label(r, i), r.protocol, r.lostAckedWrites, r.overwrittenByReorder,
      r.staleReads, r.duplicateExecutions, `${r.violations}/${r.runs}`,
      r.convergenceMs === null ? '-' : r.convergenceMs]), c, 2);
  return [c.bold(title), '', service, '', anomalies, '', renderLegend(c)].join('\n');
}
