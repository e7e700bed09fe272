/**
 * `replisim explore`: swarm testing. Trial t uses seed (base + t); shards take every N-th trial,
 * so any batch system can split the seed space. Results stream to DIR/results.jsonl as they
 * finish (an interrupted run loses nothing finished; `--resume` skips the seeds done); each
 * violation is shrunk and saved as a counterexample with its replay command. A trial whose
 * worker dies or hangs is reported with the command that re-runs just that trial.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { findProtocol, protocols } from '../protocol/registry.js';
import type { TrialResult } from '../scenarios/explore.js';
import { builtinScenarioNames, loadScenario } from '../scenarios/load.js';
import {
  exploreCoverage, exploreDocument, renderExplore, renderExploreHeader, renderExploreResuming,
  renderQueueWaiting, renderTrialError, type ExploreSource, type ExploreSummary, type LostTrial,
} from '../reports/explore.js';
import { runArtifacts } from '../reports/run-artifacts.js';
import { type SavedRun, writeSavedRun } from '../scenarios/run-file.js';
import { resolveProtocol, runChecked } from '../scenarios/runner.js';
import { StateCoverageTally } from '../scenarios/state-coverage.js';
import {
  parsePositiveInt, parsePositiveNumber, parseSeed, parseShard, parseWorkerLimits,
} from './args.js';
import { UsageError } from './errors.js';
import type { JobOutcome, TrialJob } from './explore-job.js';
import { appendResult, openResults } from './explore-results.js';
import { mkdirOrFail } from './files.js';
import { makeOutput, type Output } from './output.js';
import { protocolFileArgs } from './plugins.js';
import { makeProgress } from './progress.js';
import { assertReachable, parseRedisUrl } from './queue-connection.js';
import { latestFolder, openRunFolder, writeArtifacts } from './store.js';
import { runPool } from './worker-pool.js';

export interface ExploreOptions {
  protocol?: string; scenario?: string; mutant?: string; runs?: string; time?: string;
  workers?: string;
  shard?: string; seed?: string; out?: string; json?: boolean; shrinkRuns?: string;
  keepGoing?: boolean; resume?: boolean; trialTimeout?: string; workerMemory?: string;
  queue?: string; batch?: string; stateCoverage?: boolean; record?: boolean;
}

export async function exploreCommand(opts: ExploreOptions): Promise<number> {
  if (opts.runs !== undefined && opts.time !== undefined) throw new UsageError('give --runs or ' +
    '--time, not both');
  if (opts.queue !== undefined && opts.time !== undefined) throw new UsageError('--queue needs ' +
    'a counted --runs, not --time (the seed range must be known to split it into batches)');
  if (opts.queue === undefined && opts.batch !== undefined) throw new UsageError('--batch ' +
    'applies only with --queue');
  const queue = opts.queue === undefined ? null : parseRedisUrl(opts.queue);
  const batch = parsePositiveInt(opts.batch ?? '10', '--batch');
  const protocol = opts.protocol ?? defaultProtocol();
  if (findProtocol(protocol) === undefined) {
    throw new UsageError(`unknown protocol ` +
      `"${protocol}" (known: ${protocols.map((p) => p.name).join(', ')})`);
  }
  const scenarios: ExploreSource[] = opts.scenario !== undefined
    ? [{ scenario: loadScenario(opts.scenario), source: opts.scenario }]
    : builtinScenarioNames().map((n) => ({ scenario: loadScenario(n), source: n }))
      .filter((s) => s.scenario.protocols.includes(protocol));
  if (scenarios.length === 0) throw new UsageError(`no built-in scenario ` +
    `runs on protocol ${protocol} (give one with --scenario FILE)`);
  const mutant = opts.mutant ?? null;
  for (const s of scenarios) resolveProtocol(s.scenario, protocol, mutant);
  const runs = opts.time === undefined ? parsePositiveInt(opts.runs ?? '100', '--runs') : Infinity;
  const deadline = opts.time === undefined ? Infinity : Date.now() +
    1000 * parsePositiveNumber(opts.time, '--time');
  const workers =
    parsePositiveInt(opts.workers ?? String(Math.min(2, availableParallelism())), '--workers');
  const shard = opts.shard === undefined ? { index: 0, count: 1 } : parseShard(opts.shard);
  const base = parseSeed(opts.seed ?? '0');
  const shrinkRuns = parseSeed(opts.shrinkRuns ?? '100', '--shrink-runs');
  const limits = parseWorkerLimits(opts, 600);
  // Before results.jsonl is started afresh: an absent Redis must not cost earlier results.
  if (queue !== null) await assertReachable(queue);
  // A run folder out/explore/<time>/ unless --out; --resume alone continues the newest one.
  const resumed = opts.out === undefined && opts.resume === true ? latestFolder('explore') : null;
  const outDir = resumed ?? openRunFolder('explore', { out: opts.out })!;
  mkdirOrFail(outDir);
  const resultsFile = join(outDir, 'results.jsonl');
  const finished = openResults(resultsFile, opts.resume === true, protocol, mutant);
  const out = makeOutput(opts.json === true);
  out.human(renderExploreHeader({ protocol, mutant, scenarios: scenarios.length, base, shard,
    runner: queue === null ? { workers } : { queue: queue.url, batch }, resultsFile }, out.c));

  const total = runs === Infinity ? 0
    : Math.max(0, Math.ceil((runs - shard.index) / shard.count) - finished.size);
  if (finished.size > 0) out.human(renderExploreResuming(finished.size, resultsFile));
  const stateCoverage = opts.stateCoverage === true;
  const keepRecord = opts.record === true;
  /** Each job's place in seed order: state coverage merges trials in that order. */
  const positions = new Map<number, number>();
  function* jobs(): Generator<TrialJob> {
    for (let t = shard.index; t < runs && Date.now() < deadline; t += shard.count) {
      const seed = base + t;
      if (finished.has(seed)) continue;
      const { scenario, source } = scenarios[seed % scenarios.length]!;
      positions.set(seed, positions.size);
      yield { scenario, source, protocol, mutant, seed, shrinkRuns, stateCoverage,
        record: keepRecord };
    }
  }
  const tally = stateCoverage ? new StateCoverageTally() : null;
  const reproduce = (job: TrialJob): string => ['npx replisim explore', `--protocol ${protocol}`,
    `--scenario ${job.source}`, ...(mutant === null ? [] : [`--mutant ${mutant}`]),
    `--seed ${job.seed}`, '--runs 1', `--shrink-runs ${shrinkRuns}`,
    ...(keepRecord ? ['--record'] : [])].join(' ')
    + protocolFileArgs();
  /** Every trial this invocation finished, in completion order (sorted by seed at the end). */
  const finishedTrials: FinishedTrial[] = [];
  let done = 0;
  const progress = makeProgress('explore', 'runs');
  const onResult = (job: TrialJob, outcome: JobOutcome): boolean => {
    const go = record(job, outcome);
    const position = positions.get(job.seed)!;
    tally?.offer(position, job.source, outcome.ok ? outcome.result.states ?? null : null);
    if (!go) tally?.stopAfter(position);
    return go;
  };
  const record = (job: TrialJob, outcome: JobOutcome): boolean => {
    done++;
    progress.update(done, Math.max(total, done));
    const position = positions.get(job.seed)!;
    if (!outcome.ok) {
      const row = { seed: job.seed, scenario: job.scenario.name, protocol, mutant,
        error: outcome.error, reproduce: reproduce(job) };
      finishedTrials.push(outcome.lost === true ? { position, source: job.source, lost: row }
        : { position, source: job.source,
          error: renderTrialError(job.seed, job.scenario.name, outcome.error) });
      appendResult(resultsFile, row);
      return opts.keepGoing === true;
    }
    const { counterexample, states, ...summary } = outcome.result;
    let file: string | null = null;
    if (counterexample !== undefined) {
      file = join(outDir, `counterexample-${job.scenario.name}-${job.seed}.json`);
      writeSavedRun(file, counterexample);
    }
    finishedTrials.push({ position, source: job.source, happened: [...outcome.result.happened],
      ...(file === null ? {}
        : { found: { result: outcome.result, file, example: counterexample! } }) });
    appendResult(resultsFile, { ...summary, counterexample: file,
      ...(states === undefined ? {} : { distinctStates: states.distinct }) });
    return outcome.result.ok || opts.keepGoing === true;
  };
  if (queue !== null) {
    // Trials run on `replisim worker` processes anywhere; results come back to onResult here.
    // BullMQ is loaded only here: every other command starts without it.
    const { runOnQueue } = await import('./explore-queue.js');
    await runOnQueue({ target: queue, batch,
      waiting: (batches) => out.human(renderQueueWaiting(batches, queue.url)) }, jobs(),
    onResult);
  } else {
    // Even one worker is a thread: a trial that exits, hangs or exhausts memory costs only itself.
    await runPool<TrialJob, JobOutcome>(new URL('./explore-worker.js', import.meta.url), jobs(),
      { workers, ...limits, lost: (_job, why) => ({ ok: false, error: why, lost: true }) },
      onResult);
  }
  progress.stop();
  const counted = countedTrials(finishedTrials, opts.keepGoing === true);
  const found = counted.flatMap((t) => t.found === undefined ? [] : [t.found]);
  writeExampleFolders(outDir, found.map((f) => f.example), found.map((f) => f.file));
  const happened = new Map<string, string[][]>();
  for (const t of counted) {
    if (t.happened === undefined) continue;
    const list = happened.get(t.source);
    if (list === undefined) happened.set(t.source, [t.happened]);
    else list.push(t.happened);
  }
  const covered = exploreCoverage(scenarios, protocol, happened, out.c);
  out.human(covered.text);
  return report(out, { done: counted.length, found: found.map((f) => f.result),
    saved: found.map((f) => f.file),
    errors: counted.flatMap((t) => t.error === undefined ? [] : [t.error]),
    lost: counted.flatMap((t) => t.lost === undefined ? [] : [t.lost]),
    finishedWhileStopping: finishedTrials.length - counted.length,
    resultsFile, resumed: finished.size, gaps: covered.gaps, replayArgs: protocolFileArgs(),
    ...(tally === null ? {} : { stateCoverage: tally.figure() }) });
}

/** A finished trial and its place in seed order. */
interface FinishedTrial {
  readonly position: number;
  readonly source: string;
  /** Its "sometimes" events (a trial that ran to its verdict). */
  readonly happened?: string[];
  readonly found?: { readonly result: TrialResult; readonly file: string;
    readonly example: SavedRun };
  readonly error?: string;
  readonly lost?: LostTrial;
}

/**
 * The trials the summary counts, in seed order. Without --keep-going, explore stops at its first
 * failing trial; with several workers, trials of later seeds may still finish while it stops,
 * and how many depends on timing. All seeds before a failing one were handed out before it, so
 * every one of them finishes: cutting at the first failing seed gives the same summary (runs,
 * counterexamples, coverage) whatever the workers' speed. The rest stay in results.jsonl.
 */
export function countedTrials<T extends { readonly position: number; readonly found?: unknown;
  readonly error?: string; readonly lost?: unknown }>(trials: readonly T[],
  keepGoing: boolean): T[] {
  const inOrder = [...trials].sort((a, b) => a.position - b.position);
  if (keepGoing) return inOrder;
  const first = inOrder.findIndex((t) => t.found !== undefined || t.error !== undefined
    || t.lost !== undefined);
  return first < 0 ? inOrder : inOrder.slice(0, first + 1);
}

function report(out: Output, r: ExploreSummary): number {
  if (out.json) out.document(exploreDocument(r));
  out.human(renderExplore(r, out.c));
  if (r.errors.length > 0) return 4;
  return r.found.length === 0 && r.lost.length === 0 ? 0 : 1;
}

/** The first counterexamples replayed into folders of their own: HTML, history, trace. */
function writeExampleFolders(outDir: string, examples: readonly SavedRun[],
  files: readonly string[]): void {
  examples.slice(0, 5).forEach((ce, i) => {
    const run = runChecked({ scenario: ce.scenario, protocol: ce.protocol, seed: ce.seed,
      mutant: ce.mutant, keepTrace: true });
    const dir = files[i]!.replace(/\.json$/, '');
    mkdirOrFail(dir);
    writeArtifacts(dir, runArtifacts(run, ce.scenario));
  });
}

function defaultProtocol(): string {
  return findProtocol('smart') !== undefined ? 'smart' : protocols[0]!.name;
}
