/**
 * State coverage across trials (`explore` and `sweep` with --state-coverage): each trial's run
 * fingerprints the protocol states its nodes stepped into (simulator/state-coverage.ts); the
 * trials' fingerprint sets are merged here in trial order (seed order), whatever order workers
 * finish them in, so the distinct count and its saturation series are a function of the seed
 * range alone, never of the number of workers or of which one ran what.
 */
import { VisitedSet } from '../simulator/visited.js';

/** A trial's fingerprints as text (base64 of the (lo, hi) pairs): what crosses threads and
 * the Redis queue alike. */
export function encodeFingerprints(pairs: Int32Array): string {
  return Buffer.from(pairs.buffer, pairs.byteOffset, pairs.byteLength).toString('base64');
}

export function decodeFingerprints(text: string): Int32Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 8 !== 0) throw new Error('state coverage: torn fingerprint list');
  // Copied into a fresh buffer: a pooled Buffer's offset need not be a multiple of 4.
  return new Int32Array(new Uint8Array(bytes).buffer);
}

/** One trial's protocol states: how many, and their fingerprints (encodeFingerprints). */
export interface TrialStates { readonly distinct: number; readonly fingerprints: string }

export function trialStates(pairs: Int32Array): TrialStates {
  return { distinct: pairs.length / 2, fingerprints: encodeFingerprints(pairs) };
}

export interface StateCoverageFigure {
  /** Trials counted: a prefix of the trials in seed order. */
  readonly trials: number;
  /** Distinct protocol states over those trials. */
  readonly distinct: number;
  readonly byScenario: readonly { readonly scenario: string; readonly trials: number;
    readonly distinct: number }[];
  /** Distinct states after the first 1, 2, 4, 8, … trials, and after all of them. */
  readonly saturation: readonly { readonly trials: number; readonly distinct: number }[];
}

interface Pending { readonly scenario: string; readonly fingerprints: string | null }

export class StateCoverageTally {
  private readonly all = new VisitedSet(12);
  private readonly perScenario = new Map<string, { seen: VisitedSet; trials: number }>();
  private readonly pending = new Map<number, Pending>();
  private readonly saturation: { trials: number; distinct: number }[] = [];
  /** Trials merged so far: positions 0 .. merged-1. */
  private merged = 0;
  /** Positions past this one are not counted (the exploration stopped there). */
  private last = Infinity;

  /**
   * The trial at `position` (0-based, in seed order) finished; `fingerprints` is null when it
   * gave none (an error or a lost worker: it still counts as a trial).
   */
  offer(position: number, scenario: string, states: TrialStates | null): void {
    const fingerprints = states === null ? null : states.fingerprints;
    this.pending.set(position, { scenario, fingerprints });
    for (let next = this.pending.get(this.merged); next !== undefined && this.merged <= this.last;
      next = this.pending.get(this.merged)) {
      this.pending.delete(this.merged);
      this.merge(next);
    }
  }

  /** Counts no trial after `position`: what a stopped exploration ran up to, with any worker
   * count (every earlier trial had been handed out, so it finishes). */
  stopAfter(position: number): void {
    this.last = Math.min(this.last, position);
  }

  private merge(trial: Pending): void {
    const group = this.perScenario.get(trial.scenario) ?? { seen: new VisitedSet(12), trials: 0 };
    this.perScenario.set(trial.scenario, group);
    group.trials++;
    if (trial.fingerprints !== null) {
      const pairs = decodeFingerprints(trial.fingerprints);
      for (let i = 0; i < pairs.length; i += 2) {
        this.all.add(pairs[i]!, pairs[i + 1]!);
        group.seen.add(pairs[i]!, pairs[i + 1]!);
      }
    }
    this.merged++;
    // A power of two: 1, 2, 4, 8, …
    if ((this.merged & (this.merged - 1)) === 0) {
      this.saturation.push({ trials: this.merged, distinct: this.all.size });
    }
  }

  figure(): StateCoverageFigure {
    const saturation = [...this.saturation];
    if (this.merged > 0 && saturation.at(-1)?.trials !== this.merged) {
      saturation.push({ trials: this.merged, distinct: this.all.size });
    }
    return {
      trials: this.merged, distinct: this.all.size,
      byScenario: [...this.perScenario].map(([scenario, g]) => ({ scenario, trials: g.trials,
        distinct: g.seen.size })),
      saturation,
    };
  }
}
