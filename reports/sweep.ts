/**
 * The forms of `replisim sweep`: the per-property counts over all seeds, the failing seeds with
 * their reproduce commands and the closing line (terminal), the same as the results document
 * (`--json` and results.json), and the table of "sometimes" events.
 */
import type { ChalkInstance } from 'chalk';
import { coverageCells, type CoverageRow } from '../properties/sometimes.js';
import type { StateCoverageFigure } from '../scenarios/state-coverage.js';
import { renderStateCoverage } from './state-coverage.js';
import { renderTable } from './table.js';

/** What the report reads of one seed's outcome (cli/sweep-job.ts makes them). */
export type SweepSeedResult =
  | { readonly ok: true; readonly seed: number; readonly pass: boolean;
      readonly traceHash: string;
      readonly verdicts: readonly { readonly property: string; readonly status: string;
        readonly message: string }[] }
  /** `lost`: the worker died or hung on this seed (a finding); otherwise an internal error. */
  | { readonly ok: false; readonly seed: number; readonly error: string;
      readonly lost?: boolean };

export interface SweepSummary {
  readonly name: string;
  readonly protocol: string;
  readonly mutant: string | null;
  readonly first: number;
  readonly count: number;
  /** By seed. */
  readonly results: readonly SweepSeedResult[];
  /** The command that re-runs one seed. */
  readonly reproduce: (seed: number) => string;
  readonly coverage: readonly CoverageRow[];
  readonly gaps: readonly string[];
  /** With --state-coverage: distinct protocol states over the seeds. */
  readonly stateCoverage?: StateCoverageFigure;
}

/** The first line: the scenario, protocol, mutant, seed range and worker threads. */
export function renderSweepHeader(h: { readonly name: string; readonly protocol: string;
  readonly mutant: string | null; readonly first: number; readonly count: number;
  readonly workers: number }, c: ChalkInstance): string {
  return c.bold(`sweep ${h.name} protocol=${h.protocol} mutant=${h.mutant ?? '-'} ` +
    `seeds ${h.first}..${h.first + h.count - 1} workers=${h.workers}`);
}

/** Where the sweep's run folder went. */
export function renderSweepFolder(folder: string): string {
  return `run folder: ${folder} (results.json; seed-N/: report.html, history, trace)`;
}

interface Row { pass: number; fail: number; other: number; failing: number[] }

function tally(results: readonly SweepSeedResult[]): Map<string, Row> {
  const rows = new Map<string, Row>();
  for (const r of results) {
    if (!r.ok) continue;
    for (const v of r.verdicts) {
      const row = rows.get(v.property) ?? { pass: 0, fail: 0, other: 0, failing: [] };
      if (v.status === 'pass') row.pass++;
      else if (v.status === 'fail') {
        row.fail++;
        row.failing.push(r.seed);
      } else row.other++;
      rows.set(v.property, row);
    }
  }
  return rows;
}

type Broken = Extract<SweepSeedResult, { ok: false }>;

function split(s: SweepSummary): { failed: SweepSeedResult[]; lost: Broken[]; errors: Broken[] } {
  const broken = s.results.filter((r): r is Broken => !r.ok);
  return { failed: s.results.filter((r) => r.ok && !r.pass),
    lost: broken.filter((r) => r.lost === true), errors: broken.filter((r) => r.lost !== true) };
}

function failuresOf(s: SweepSummary): { seed: number; property: string; message: string;
  reproduce: string }[] {
  return split(s).failed.flatMap((r) => (r.ok ? r.verdicts.filter((v) => v.status === 'fail')
    .map((v) => ({ seed: r.seed, property: v.property, message: v.message,
      reproduce: s.reproduce(r.seed) })) : []));
}

/** The results document: what `--json` prints and results.json holds. */
export function sweepDocument(s: SweepSummary): {
  readonly failedSeeds: readonly number[]; readonly errors: readonly unknown[];
  readonly lostSeeds: readonly unknown[]; readonly [k: string]: unknown;
} {
  const { failed, lost, errors } = split(s);
  return {
    scenario: s.name, protocol: s.protocol, mutant: s.mutant, firstSeed: s.first, seeds: s.count,
    failedSeeds: failed.map((r) => r.seed), errors: errors.map((e) => ({ seed: e.seed,
      error: e.error })),
    lostSeeds: lost.map((e) => ({ seed: e.seed, error: e.error,
      reproduce: s.reproduce(e.seed) })),
    properties: [...tally(s.results)].map(([property, r]) => ({ property, pass: r.pass,
      fail: r.fail, other: r.other })),
    failures: failuresOf(s), coverage: s.coverage, neverHappened: s.gaps,
    ...(s.stateCoverage === undefined ? {} : { stateCoverage: s.stateCoverage }),
    runs: s.results.map((r) => (r.ok ? { seed: r.seed, pass: r.pass, traceHash: r.traceHash }
      : { seed: r.seed, error: r.error })),
  };
}

/** The terminal report: counts per property, up to 10 failing seeds, lost seeds, verdict. */
export function renderSweep(s: SweepSummary, c: ChalkInstance): string {
  const { failed, lost, errors } = split(s);
  const failures = failuresOf(s);
  const table = [...tally(s.results)].map(([p, r]) => [p, r.pass, r.fail, r.other,
    r.failing.slice(0, 8).join(',') + (r.failing.length > 8 ? ',…' : '')]);
  const lines = [renderTable('properties over all seeds (other = skipped or unknown)',
    ['property', 'pass', 'fail', 'other', 'failing seeds'], table, c)];
  for (const seed of [...new Set(failures.map((f) => f.seed))].slice(0, 10)) {
    const fs = failures.filter((f) => f.seed === seed);
    lines.push(c.red(`✗ seed ${seed}: ${fs.map((f) => `${f.property}: ${f.message}`)
      .join('; ')}`), `  reproduce: ${s.reproduce(seed)}`);
  }
  for (const e of lost) {
    lines.push(c.red(`✗ seed ${e.seed}: ${e.error}`), `  reproduce: ${s.reproduce(e.seed)}`);
  }
  for (const e of errors) lines.push(c.red(`error at seed ${e.seed}: ${e.error}`));
  if (s.stateCoverage !== undefined) lines.push(renderStateCoverage(s.stateCoverage, c));
  const errored = errors.length === 0 ? '' : `, ${errors.length} stopped on an internal error`;
  const died = lost.length === 0 ? '' : `, ${lost.length} killed their worker`;
  lines.push(failed.length === 0 && lost.length === 0 && errors.length === 0
    ? c.green(`sweep: ${s.count} seeds, every property held`)
    : c.red(`sweep: ${failed.length} of ${s.count} seeds failed${died}${errored}`));
  return lines.join('\n');
}

/**
 * The coverage table: in how many seeds each "sometimes" event happened; an event the scenario
 * expects that no seed showed is flagged (its properties held vacuously).
 */
export function renderSweepCoverage(rows: readonly CoverageRow[], gaps: readonly string[],
  runs: number, c: ChalkInstance): string {
  const table = renderTable('coverage: runs in which each event happened ("sometimes")',
    ['event', 'runs', 'expected', ''], coverageCells(rows, runs), c);
  if (gaps.length === 0) return table;
  return `${table}\n${c.red(`coverage: expected but never happened: ${gaps.join(', ')}`)}`;
}
