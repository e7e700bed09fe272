/** Parsers for option values; each throws a UsageError naming the flag. */
import { UsageError } from './errors.js';

export function parseSeed(text: string, flag = '--seed'): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} must be a non-negative integer, ` +
    `got "${text}"`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new UsageError(`${flag} must be at ` +
    `most ${Number.MAX_SAFE_INTEGER}, got ${text}`);
  return n;
}

export function parsePositiveInt(text: string, flag: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`${flag} must be a positive integer, got "${text}"`);
  }
  return Number(text);
}

export function parsePositiveNumber(text: string, flag: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be ` +
    `a positive number, got "${text}"`);
  return n;
}

/** `I/N` with 0 <= I < N. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (m === null) throw new UsageError(`--shard must look like I/N (e.g. 0/4), got "${text}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count) throw new UsageError(`--shard ${text}: need 0 <= I < N`);
  return { index, count };
}

/** `--trial-timeout S` and `--worker-memory MB` of the commands that run seeds in workers. */
export interface WorkerLimits { readonly jobTimeoutMs: number; readonly memoryMb: number }

/**
 * A run thread's heap: `memoryMb` of old generation (--worker-memory) and a young generation of
 * 192 MB (V8's default is 48: semi-spaces of 16 MB). A run allocates a new protocol state per
 * step and keeps its records (trace lines, message journeys, observations), so each scavenge
 * copied much live data: 446 scavenges in one OPB campaign. Interleaved on this 2-core machine
 * (4 runs each, CPU-s): OPB campaign median 22.4 with the default, 21.2 with 96 MB, 20.4 with
 * 192 MB; 384 MB gained nothing more.
 */
export function threadHeap(memoryMb: number): {
  readonly maxOldGenerationSizeMb: number; readonly maxYoungGenerationSizeMb: number;
} {
  return { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.min(192, memoryMb) };
}

export function parseWorkerLimits(opts: { trialTimeout?: string; workerMemory?: string },
  defaultTimeoutS: number): WorkerLimits {
  const seconds = parsePositiveNumber(opts.trialTimeout ?? String(defaultTimeoutS),
    '--trial-timeout');
  const memoryMb = parsePositiveInt(opts.workerMemory ?? '1024', '--worker-memory');
  if (memoryMb < 64) throw new UsageError(`--worker-memory must be at least 64 (MB), ` +
    `got ${memoryMb}`);
  // setTimeout takes at most 2^31-1 ms; longer is as good as no watchdog.
  return { jobTimeoutMs: Math.min(2 ** 31 - 1, Math.ceil(seconds * 1000)), memoryMb };
}
