/**
 * `replisim sweep SCENARIO`: the same scenario over a range of seeds, every property checked on
 * each; prints per-property counts and, for each failing seed, the command that reproduces it.
 * Seeds run in worker threads; results are reported in seed order whatever order they finish.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { runArtifacts } from '../reports/run-artifacts.js';
import { renderTable } from '../reports/table.js';
import {
  coverage, coverageCells, coverageGaps, type CoverageRow,
} from '../properties/sometimes.js';
import { loadScenario } from '../scenarios/load.js';
import { resolveProtocol, runChecked } from '../scenarios/runner.js';
import type { Scenario } from '../simulator/config.js';
import { mkdirOrFail, writeText } from './files.js';
import { parsePositiveInt, parseSeed, parseWorkerLimits } from './args.js';
import { makeOutput, type Output } from './output.js';
import { withParams } from './params.js';
import { protocolFileArgs } from './plugins.js';
import { makeProgress } from './progress.js';
import type { SweepJob, SweepOutcome } from './sweep-job.js';
import { openRunFolder, writeArtifacts } from './store.js';
import { runPool } from './worker-pool.js';

export interface SweepOptions {
  protocol?: string; mutant?: string; seeds?: string; seed?: string; workers?: string;
  param?: string[]; json?: boolean; trialTimeout?: string; workerMemory?: string;
  out?: string; store?: boolean;
}

interface Row { pass: number; fail: number; other: number; failing: number[] }

export async function sweepCommand(name: string, opts: SweepOptions): Promise<number> {
  const scenario = withParams(loadScenario(name), opts.param);
  const mutant = opts.mutant ?? null;
  const protocol = resolveProtocol(scenario, opts.protocol, mutant).name;
  const count = parsePositiveInt(opts.seeds ?? '100', '--seeds');
  const first = parseSeed(opts.seed ?? '0');
  const workers = Math.min(count,
    parsePositiveInt(opts.workers ?? String(Math.min(2, availableParallelism())), '--workers'));
  const limits = parseWorkerLimits(opts, 300);
  const out = makeOutput(opts.json === true);
  const folder = openRunFolder('sweep', opts);
  out.human(out.c.bold(`sweep ${scenario.name} protocol=${protocol} mutant=${mutant ?? '-'} ` +
    `seeds ${first}..${first + count - 1} workers=${workers}`));
  const jobs: SweepJob[] = Array.from({ length: count },
    (_, i) => ({ scenario, protocol, mutant, seed: first + i }));
  const results: SweepOutcome[] = [];
  const progress = makeProgress('sweep', 'seeds');
  const onResult = (_job: SweepJob, r: SweepOutcome): void => {
    results.push(r);
    progress.update(results.length, count);
  };
  // Even one worker is a thread: a seed that exits, hangs or exhausts memory costs only itself.
  await runPool<SweepJob, SweepOutcome>(new URL('./sweep-worker.js', import.meta.url), jobs,
    { workers, ...limits, lost: (job, why) => ({ ok: false, seed: job.seed, error: why,
      lost: true }) }, onResult);
  progress.stop();
  results.sort((a, b) => a.seed - b.seed);
  const reproduce = (seed: number): string => ['npx replisim run', name, `--protocol ${protocol}`,
    `--seed ${seed}`, ...(mutant === null ? [] : [`--mutant ${mutant}`]),
    ...(opts.param ?? []).map((p) => `--param ${p}`)].join(' ') + protocolFileArgs();
  const ran = results.flatMap((r) => (r.ok ? [r.happened] : []));
  const rows = coverage(ran, scenario.sometimes ?? [], protocol);
  const gaps = coverageGaps(rows);
  printCoverage(out, rows, gaps, ran.length);
  // Flagged, not failed: the exit code stays the protocol's verdict.
  const code = report(out, { name: scenario.name, protocol, mutant, first, count, results,
    reproduce, coverage: rows, gaps }, folder);
  if (folder !== null) {
    writeSeedFolders(folder, scenario, protocol, mutant, results);
    out.human(`run folder: ${folder} (results.json; seed-N/: report.html, history, trace)`);
  }
  return code;
}

/**
 * The coverage table: in how many seeds each "sometimes" event happened; an event the scenario
 * expects that no seed showed is flagged (its properties held vacuously).
 */
function printCoverage(out: Output, rows: readonly CoverageRow[], gaps: readonly string[],
  runs: number): void {
  out.human(renderTable('coverage: runs in which each event happened ("sometimes")',
    ['event', 'runs', 'expected', ''], coverageCells(rows, runs), out.c));
  if (gaps.length > 0) {
    out.human(out.c.red(`coverage: expected but never happened: ${gaps.join(', ')}`));
  }
}

/** The failing seeds (at most 3), else the first seed, re-run with their trace into seed-N/. */
function writeSeedFolders(folder: string, scenario: Scenario, protocol: string,
  mutant: string | null, results: readonly SweepOutcome[]): void {
  // Not a seed that killed its worker: re-running it here could take this process down too.
  const failing = results.filter((r) => r.ok && !r.pass).map((r) => r.seed).slice(0, 3);
  const ran = results.filter((r) => r.ok);
  const seeds = failing.length > 0 ? failing : ran.slice(0, 1).map((r) => r.seed);
  for (const seed of seeds) {
    const run = runChecked({ scenario, protocol, seed, mutant, keepTrace: true });
    const dir = join(folder, `seed-${seed}`);
    mkdirOrFail(dir);
    writeArtifacts(dir, runArtifacts(run, scenario));
  }
}

function tally(results: readonly SweepOutcome[]): Map<string, Row> {
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

function report(out: Output, s: {
  name: string; protocol: string; mutant: string | null; first: number; count: number;
  results: readonly SweepOutcome[]; reproduce: (seed: number) => string;
  coverage: readonly CoverageRow[]; gaps: readonly string[];
}, folder: string | null): number {
  const rows = tally(s.results);
  const failed = s.results.filter((r) => r.ok && !r.pass);
  const broken = s.results.filter((r): r is Extract<SweepOutcome, { ok: false }> => !r.ok);
  const lost = broken.filter((r) => r.lost === true);
  const errors = broken.filter((r) => r.lost !== true);
  const failures = failed.flatMap((r) => (r.ok ? r.verdicts.filter((v) => v.status === 'fail')
    .map((v) => ({ seed: r.seed, property: v.property, message: v.message,
      reproduce: s.reproduce(r.seed) })) : []));
  const doc = {
    scenario: s.name, protocol: s.protocol, mutant: s.mutant, firstSeed: s.first, seeds: s.count,
    failedSeeds: failed.map((r) => r.seed), errors: errors.map((e) => ({ seed: e.seed,
      error: e.error })),
    lostSeeds: lost.map((e) => ({ seed: e.seed, error: e.error,
      reproduce: s.reproduce(e.seed) })),
    properties: [...rows].map(([property, r]) => ({ property, pass: r.pass, fail: r.fail,
      other: r.other })),
    failures, coverage: s.coverage, neverHappened: s.gaps,
    runs: s.results.map((r) => (r.ok ? { seed: r.seed, pass: r.pass, traceHash: r.traceHash }
      : { seed: r.seed, error: r.error })),
  };
  if (folder !== null) writeText(join(folder, 'results.json'), `${JSON.stringify(doc, null, 2)}\n`);
  if (out.json) out.document(doc);
  const { c } = out;
  const table = [...rows].map(([p, r]) => [p, r.pass, r.fail, r.other,
    r.failing.slice(0, 8).join(',') + (r.failing.length > 8 ? ',…' : '')]);
  out.human(renderTable('properties over all seeds (other = skipped or unknown)',
    ['property', 'pass', 'fail', 'other', 'failing seeds'], table, c));
  for (const seed of [...new Set(failures.map((f) => f.seed))].slice(0, 10)) {
    const fs = failures.filter((f) => f.seed === seed);
    out.human(c.red(`✗ seed ${seed}: ${fs.map((f) => `${f.property}: ${f.message}`).join('; ')}`));
    out.human(`  reproduce: ${s.reproduce(seed)}`);
  }
  for (const e of lost) {
    out.human(c.red(`✗ seed ${e.seed}: ${e.error}`));
    out.human(`  reproduce: ${s.reproduce(e.seed)}`);
  }
  for (const e of errors) out.human(c.red(`error at seed ${e.seed}: ${e.error}`));
  const errored = errors.length === 0 ? '' : `, ${errors.length} stopped on an internal error`;
  const died = lost.length === 0 ? '' : `, ${lost.length} killed their worker`;
  out.human(failed.length === 0 && broken.length === 0
    ? c.green(`sweep: ${s.count} seeds, every property held`)
    : c.red(`sweep: ${failed.length} of ${s.count} seeds failed${died}${errored}`));
  // A seed that kills its worker is a finding about the protocol (exit 1), like a violation.
  if (errors.length > 0) return 4;
  return failed.length > 0 || lost.length > 0 ? 1 : 0;
}
