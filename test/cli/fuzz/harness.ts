/**
 * Runs fuzz cases through the real CLI entry (`main`) in worker threads, each with a watchdog and
 * a 1 GiB heap budget (the same pool `sweep` and `explore` use), and sorts the outcomes: accepted
 * (exit 0/1/3), rejected (exit 2) on exactly one line or not, internal errors (exit 4 or a
 * worker crash), hangs (watchdog) and memory blow-ups (heap budget).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { runPool } from '../../../cli/worker-pool.js';
import type { Case } from './arbitraries.js';

interface Job { readonly index: number; readonly argv: string[]; readonly dir: string;
  readonly files: Record<string, string> }
type Answer = { code: number; stderr: string; lost?: string };

export interface FuzzCounts {
  inputs: number; accepted: number; rejected: number; multiLineRejections: number;
  internalErrors: number; hangs: number; overMemory: number;
  bySurface: Record<string, { inputs: number; accepted: number; rejected: number }>;
  examples: string[];
}

export async function fuzz(arbs: readonly fc.Arbitrary<Case>[], perSurface: number, seed: number,
  options: { workers: number; hangSeconds: number }): Promise<FuzzCounts> {
  const scratch = mkdtempSync(join(tmpdir(), 'replisim-fuzz-'));
  const cases = arbs.flatMap((arb, i) => fc.sample(arb, { numRuns: perSurface, seed: seed + i }));
  const counts: FuzzCounts = { inputs: 0, accepted: 0, rejected: 0, multiLineRejections: 0,
    internalErrors: 0, hangs: 0, overMemory: 0, bySurface: {}, examples: [] };
  const jobs: Job[] = cases.map((c, index) => {
    const dir = join(scratch, String(index));
    return { index, dir, argv: c.argv.map((a) => a.replace(/^@\//, `${dir}/`)),
      files: Object.fromEntries(Object.entries(c.files)
        .map(([name, content]) => [name, content.toString('base64')])) };
  });
  const note = (job: Job, what: string): void => {
    if (counts.examples.length < 20) {
      counts.examples.push(`${cases[job.index]!.surface} ${JSON.stringify(job.argv)
        .slice(0, 200)}: ${what.slice(0, 300)}`);
    }
  };
  await runPool<Job, Answer>(new URL('./worker.mjs', import.meta.url), jobs,
    { workers: options.workers, jobTimeoutMs: options.hangSeconds * 1000, memoryMb: 1024,
      lost: (_job, why) => ({ code: -1, stderr: '', lost: why }) },
    (job, a) => {
      counts.inputs++;
      const surface = cases[job.index]!.surface;
      const mine = counts.bySurface[surface] ??= { inputs: 0, accepted: 0, rejected: 0 };
      mine.inputs++;
      if (a.lost === undefined && a.code === 2) mine.rejected++;
      if (a.lost === undefined && [0, 1, 3].includes(a.code)) mine.accepted++;
      if (a.lost !== undefined) {
        if (a.lost.includes('no answer')) counts.hangs++;
        else if (a.lost.includes('memory')) counts.overMemory++;
        else counts.internalErrors++;
        note(job, a.lost);
      } else if (a.code === 2) {
        counts.rejected++;
        if (a.stderr.split('\n').filter((l) => l !== '').length !== 1) {
          counts.multiLineRejections++;
          note(job, `multi-line rejection: ${a.stderr}`);
        }
      } else if (a.code === 0 || a.code === 1 || a.code === 3) counts.accepted++;
      else {
        counts.internalErrors++;
        note(job, `exit ${a.code}: ${a.stderr}`);
      }
      rmSync(job.dir, { recursive: true, force: true });
    });
  rmSync(scratch, { recursive: true, force: true });
  return counts;
}
