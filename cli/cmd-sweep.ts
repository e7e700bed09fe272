/**
 * `replisim sweep SCENARIO`: the same scenario over a range of seeds, every property checked on
 * each; prints per-property counts and, for each failing seed, the command that reproduces it.
 * Seeds run in worker threads; results are reported in seed order whatever order they finish.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { runArtifacts } from '../reports/run-artifacts.js';
import {
  renderSweep, renderSweepCoverage, renderSweepFolder, renderSweepHeader, sweepDocument,
  type SweepSummary,
} from '../reports/sweep.js';
import { coverage, coverageGaps } from '../properties/sometimes.js';
import { loadScenario } from '../scenarios/load.js';
import { resolveProtocol, runChecked } from '../scenarios/runner.js';
import { StateCoverageTally } from '../scenarios/state-coverage.js';
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
  out?: string; store?: boolean; stateCoverage?: boolean; record?: boolean;
}

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
  out.human(renderSweepHeader({ name: scenario.name, protocol, mutant, first, count, workers },
    out.c));
  const stateCoverage = opts.stateCoverage === true;
  const jobs: SweepJob[] = Array.from({ length: count },
    (_, i) => ({ scenario, protocol, mutant, seed: first + i, stateCoverage,
      record: opts.record === true }));
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
  // Merged in seed order (results are sorted), so the figure does not depend on the workers.
  const tally = stateCoverage ? new StateCoverageTally() : null;
  for (const r of results) {
    tally?.offer(r.seed - first, scenario.name, r.ok ? r.states ?? null : null);
  }
  const reproduce = (seed: number): string => ['npx replisim run', name, `--protocol ${protocol}`,
    `--seed ${seed}`, ...(mutant === null ? [] : [`--mutant ${mutant}`]),
    ...(opts.param ?? []).map((p) => `--param ${p}`)].join(' ') + protocolFileArgs();
  const ran = results.flatMap((r) => (r.ok ? [r.happened] : []));
  const rows = coverage(ran, scenario.sometimes ?? [], protocol);
  const gaps = coverageGaps(rows);
  out.human(renderSweepCoverage(rows, gaps, ran.length, out.c));
  // Flagged, not failed: the exit code stays the protocol's verdict.
  const code = report(out, { name: scenario.name, protocol, mutant, first, count, results,
    reproduce, coverage: rows, gaps,
    ...(tally === null ? {} : { stateCoverage: tally.figure() }) }, folder);
  if (folder !== null) {
    writeSeedFolders(folder, scenario, protocol, mutant, results);
    out.human(renderSweepFolder(folder));
  }
  return code;
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

function report(out: Output, s: SweepSummary, folder: string | null): number {
  const doc = sweepDocument(s);
  if (folder !== null) writeText(join(folder, 'results.json'), `${JSON.stringify(doc, null, 2)}\n`);
  if (out.json) out.document(doc);
  out.human(renderSweep(s, out.c));
  // A seed that kills its worker is a finding about the protocol (exit 1), like a violation.
  if (doc.errors.length > 0) return 4;
  return doc.failedSeeds.length > 0 || doc.lostSeeds.length > 0 ? 1 : 0;
}
