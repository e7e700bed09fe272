/**
 * `replisim explore`: swarm testing. Trial t uses seed (base + t); shards take every N-th trial,
 * so any batch system can split the seed space. Results stream to DIR/results.jsonl as they
 * finish (an interrupted run loses nothing finished); each violation is shrunk and saved as a
 * counterexample with its replay command.
 */
import { appendFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { findProtocol, protocols } from '../protocol/registry.js';
import type { TrialResult } from '../scenarios/explore.js';
import { builtinScenarios, loadScenario } from '../scenarios/load.js';
import { writeSavedRun } from '../scenarios/run-file.js';
import { resolveProtocol } from '../scenarios/runner.js';
import { parsePositiveInt, parsePositiveNumber, parseSeed, parseShard } from './args.js';
import { UsageError } from './errors.js';
import { runTrialJob, type JobOutcome, type TrialJob } from './explore-job.js';
import { mkdirOrFail } from './files.js';
import { makeOutput } from './output.js';
import { makeProgress } from './progress.js';
import { runPool } from './worker-pool.js';

export interface ExploreOptions {
  protocol?: string; scenario?: string; mutant?: string; runs?: string; time?: string;
  workers?: string;
  shard?: string; seed?: string; out?: string; json?: boolean; shrinkTime?: string;
  keepGoing?: boolean;
}

export async function exploreCommand(opts: ExploreOptions): Promise<number> {
  if (opts.runs !== undefined && opts.time !== undefined) throw new UsageError('give --runs or ' +
    '--time, not both');
  const protocol = opts.protocol ?? defaultProtocol();
  if (findProtocol(protocol) === undefined) {
    throw new UsageError(`unknown protocol ` +
      `"${protocol}" (known: ${protocols.map((p) => p.name).join(', ')})`);
  }
  const scenarios = opts.scenario !== undefined ? [loadScenario(opts.scenario)]
    : builtinScenarios().filter((s) => s.protocols.includes(protocol));
  if (scenarios.length === 0) throw new UsageError(`no built-in scenario ` +
    `runs on protocol ${protocol}`);
  const mutant = opts.mutant ?? null;
  for (const s of scenarios) resolveProtocol(s, protocol, mutant);
  const runs = opts.time === undefined ? parsePositiveInt(opts.runs ?? '100', '--runs') : Infinity;
  const deadline = opts.time === undefined ? Infinity : Date.now() +
    1000 * parsePositiveNumber(opts.time, '--time');
  const workers =
    parsePositiveInt(opts.workers ?? String(Math.min(2, availableParallelism())), '--workers');
  const shard = opts.shard === undefined ? { index: 0, count: 1 } : parseShard(opts.shard);
  const base = parseSeed(opts.seed ?? '0');
  const shrinkMs = 1000 * parsePositiveNumber(opts.shrinkTime ?? '30', '--shrink-time');
  const outDir = opts.out ?? join('out', 'explore');
  mkdirOrFail(outDir);
  const resultsFile = join(outDir, 'results.jsonl');
  const out = makeOutput(opts.json === true);
  out.human(out.c.bold(`explore ` +
    `protocol=${protocol} mutant=${mutant ?? '-'} scenarios=${scenarios.length} ` +
    `seeds from ${base} shard ${shard.index}/${shard.count} workers=${workers} → ${resultsFile}`));

  const total = runs === Infinity ? 0 : Math.ceil((runs - shard.index) / shard.count);
  function* jobs(): Generator<TrialJob> {
    for (let t = shard.index; t < runs && Date.now() < deadline; t += shard.count) {
      const seed = base + t;
      yield { scenario: scenarios[seed % scenarios.length]!.name, protocol, mutant,
        seed, shrinkMs };
    }
  }
  const found: TrialResult[] = [];
  const saved: string[] = [];
  const errors: string[] = [];
  let done = 0;
  const progress = makeProgress('explore', 'runs');
  const onResult = (job: TrialJob, outcome: JobOutcome): boolean => {
    done++;
    progress.update(done, Math.max(total, done));
    if (!outcome.ok) {
      errors.push(`seed ${job.seed} (${job.scenario}): ${outcome.error}`);
      appendFileSync(resultsFile, `${JSON.stringify({ ...job, error: outcome.error })}\n`);
      return opts.keepGoing === true;
    }
    const { counterexample, ...summary } = outcome.result;
    let file: string | null = null;
    if (counterexample !== undefined) {
      file = join(outDir, `counterexample-${job.scenario}-${job.seed}.json`);
      writeSavedRun(file, counterexample);
      saved.push(file);
      found.push(outcome.result);
    }
    appendFileSync(resultsFile, `${JSON.stringify({ ...summary, counterexample: file })}\n`);
    return outcome.result.ok || opts.keepGoing === true;
  };
  if (workers === 1) {
    for (const job of jobs()) if (!onResult(job, runTrialJob(job))) break;
  } else {
    await runPool<TrialJob, JobOutcome>(new URL('./explore-worker.js', import.meta.url), jobs(),
      workers, onResult);
  }
  progress.stop();
  return report(out, { done, found, saved, errors, resultsFile });
}

function report(out: ReturnType<typeof makeOutput>, r: {
  done: number; found: TrialResult[]; saved: string[]; errors: string[]; resultsFile: string;
}): number {
  if (out.json) {
    out.document({
      runs: r.done, violations: r.found.length, errors: r.errors, results: r.resultsFile,
      counterexamples: r.found.map((f, i) => ({
        file: r.saved[i], seed: f.seed, scenario: f.scenario, violations: f.violations,
        knobs: f.knobs, replay: `npx replisim replay ${r.saved[i]}`,
      })),
    });
  }
  const { c } = out;
  for (const [i, f] of r.found.entries()) {
    out.human(c.red(`✗ seed=${f.seed} scenario=${f.scenario}: ${f.violations[0]?.property}: ` +
      `${f.violations[0]?.message}`));
    out.human(`  swarm: ${Object.entries(f.knobs).map(([k, v]) => `${k}=${v}`).join(' ')}`);
    out.human(`  shrunk to ${f.shrunkFaults} fault events; ` +
      `trace-hash ${f.counterexample?.traceHash}`);
    out.human(`  reproduce: npx replisim replay ${r.saved[i]}`);
  }
  for (const e of r.errors) out.human(c.red(`error: ${e}`));
  out.human(r.found.length === 0 ? c.green(`explore: ${r.done} runs, no violation`)
    : c.red(`explore: ${r.done} runs, ${r.found.length} violation(s)`));
  if (r.errors.length > 0) return 4;
  return r.found.length === 0 ? 0 : 1;
}

function defaultProtocol(): string {
  return findProtocol('smart') !== undefined ? 'smart' : protocols[0]!.name;
}
