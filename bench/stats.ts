/**
 * Timing helpers for the benchmarks: CPU time of this process (user + system, robust to other
 * load on a shared machine) beside wall time, warm-up rounds, min / median / max of repeats.
 */

export interface Sample {
  readonly cpuMs: number;
  readonly wallMs: number;
}

export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export interface Timing {
  readonly repeats: number;
  readonly warmUps: number;
  readonly cpuMs: Spread;
  readonly wallMs: Spread;
}

/** Runs `f` once, measuring this process's CPU time and the wall time it took. */
export function timed<T>(f: () => T): { value: T; sample: Sample } {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const value = f();
  const wallMs = performance.now() - wall;
  const used = process.cpuUsage(cpu);
  return { value, sample: { cpuMs: (used.user + used.system) / 1000, wallMs } };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

export function spread(values: readonly number[]): Spread {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { min: round(s[0]!), median: round(median), max: round(s[s.length - 1]!) };
}

export function summarize(samples: readonly Sample[], warmUps: number): Timing {
  return {
    repeats: samples.length, warmUps,
    cpuMs: spread(samples.map((s) => s.cpuMs)),
    wallMs: spread(samples.map((s) => s.wallMs)),
  };
}

/** `warmUps` untimed calls, then `repeats` timed ones (`i` is the repeat index, from 0). */
export function repeat<T>(repeats: number, warmUps: number,
  f: (i: number) => T): { timing: Timing; last: T } {
  for (let i = 0; i < warmUps; i++) f(i);
  const samples: Sample[] = [];
  let last: T | undefined;
  for (let i = 0; i < repeats; i++) {
    const { value, sample } = timed(() => f(i));
    samples.push(sample);
    last = value;
  }
  return { timing: summarize(samples, warmUps), last: last as T };
}
