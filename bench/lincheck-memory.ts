/**
 * Linearizability memory, measured in fresh child processes so that peak RSS belongs to one
 * check: (1) a 100k-op single-key linearizable history (generated deterministically, not
 * stored) decided within a 1 GiB budget, CPU ms over repeats and peak RSS against the budget;
 * (2) a history that exhausts a 256 MiB budget (Porcupine's 50-client kv file, unpartitioned),
 * to show that the budget bounds what is really allocated: the RSS it adds stays within it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { porcupineDirFrom } from './corpus.js';
import { linearizableKeyHistory } from './key-history.js';
import { spread, timed } from './stats.js';
import { parseHistory } from '../properties/formats/index.js';
import { checkHistory, verdictName } from '../properties/linearizability/index.js';
import type { CheckResult } from '../properties/linearizability/index.js';
import { kvModel } from '../properties/models/kv.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const KEY_OPS = 100_000;
const KEY_REPEATS = 5;
const EXHAUST_BUDGET = 256 * MiB;

/** What a child reports. */
interface ChildFigures {
  readonly verdict: string;
  readonly reason?: string;
  readonly ops: number;
  readonly budgetBytes: number;
  readonly peakAccountedBytes: number;
  /** RSS before the first check (history generated or read, code loaded). */
  readonly rssBeforeBytes: number;
  /** Peak RSS of the child process (getrusage), whole process. */
  readonly maxRssBytes: number;
  readonly cpuMs: ReturnType<typeof spread>;
  readonly wallMs: ReturnType<typeof spread>;
  readonly steps: number;
}

function figures(ops: number, budget: number, results: readonly CheckResult[],
  samples: readonly { cpuMs: number; wallMs: number }[], rssBefore: number): ChildFigures {
  const last = results[results.length - 1] as CheckResult;
  return {
    verdict: verdictName(last.verdict),
    ...(last.reason === undefined ? {} : { reason: last.reason }),
    ops, budgetBytes: budget,
    peakAccountedBytes: Math.max(...results.map((r) => r.peakBytes)),
    rssBeforeBytes: rssBefore,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    cpuMs: spread(samples.map((s) => s.cpuMs)),
    wallMs: spread(samples.map((s) => s.wallMs)),
    steps: last.steps,
  };
}

/** Child: the 100k-op single-key history, one warm-up and KEY_REPEATS timed checks. */
function keyChild(): ChildFigures {
  const ops = linearizableKeyHistory(KEY_OPS);
  const rssBefore = process.memoryUsage().rss;
  const results: CheckResult[] = [];
  const samples: { cpuMs: number; wallMs: number }[] = [];
  for (let i = 0; i <= KEY_REPEATS; i++) {
    const { value, sample } = timed(() => checkHistory(ops, kvModel, { maxCacheBytes: GiB }));
    results.push(value);
    if (i > 0) samples.push(sample);
  }
  return figures(KEY_OPS, GiB, results, samples, rssBefore);
}

/** Child: Porcupine's c50-ok.txt without partitioning, until the 256 MiB budget runs out. */
function exhaustChild(repoRoot: string): ChildFigures {
  const file = path.join(porcupineDirFrom(repoRoot), 'kv', 'c50-ok.txt');
  const ops = parseHistory(readFileSync(file, 'utf8')).ops;
  const rssBefore = process.memoryUsage().rss;
  const { value, sample } = timed(() => checkHistory(ops, kvModel,
    { partition: false, maxCacheBytes: EXHAUST_BUDGET }));
  return figures(ops.length, EXHAUST_BUDGET, [value], [sample], rssBefore);
}

function runChild(script: string, mode: string): ChildFigures | { error: string } {
  try {
    const out = execFileSync(process.execPath, [script, mode],
      { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(out) as ChildFigures;
  } catch (error) {
    return { error: (error as Error).message.split('\n')[0] ?? 'child failed' };
  }
}

function judged(f: ChildFigures | { error: string }): object {
  if ('error' in f) return f;
  const added = f.maxRssBytes - f.rssBeforeBytes;
  return {
    ...f,
    maxRssMiB: Math.round(f.maxRssBytes / MiB),
    addedRssMiB: Math.round(added / MiB),
    peakAccountedMiB: Math.round(f.peakAccountedBytes / MiB),
    budgetMiB: Math.round(f.budgetBytes / MiB),
    rssWithinBudget: f.maxRssBytes <= f.budgetBytes,
    addedRssWithinBudget: added <= f.budgetBytes,
  };
}

/** `npm run bench` entry: both children, from the compiled `dist/`. */
export function benchLincheckMemory(repoRoot: string): object {
  const script = path.join(repoRoot, 'dist', 'bench', 'lincheck-memory.js');
  if (!existsSync(script)) return { skipped: `no compiled script at ${script} (run tsc first)` };
  return {
    method: 'each case in a fresh node process; maxRss is that process\'s peak RSS (getrusage), ' +
      'addedRss what it grew after the history was in memory; CPU ms of the checks only, ' +
      `${KEY_REPEATS} repeats after 1 warm-up for the 100k-op history`,
    singleKey100k: judged(runChild(script, 'key')),
    exhaustedBudget: judged(runChild(script, 'exhaust')),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const mode = process.argv[2];
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const result = mode === 'key' ? keyChild() : mode === 'exhaust' ? exhaustChild(root) : null;
  if (result === null) {
    process.stderr.write('usage: node dist/bench/lincheck-memory.js key|exhaust\n');
    process.exitCode = 2;
  } else {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
}
