/**
 * Lost acknowledged writes: the one definition `run`, `compare`, `start` and their JSON use.
 *
 * A write (put, append, successful cas) acknowledged to its client is **lost** when it is not
 * part of the system's final execution order: it took effect nowhere that survived. A write
 * that did take effect but whose value a write executed *after* it replaced is not lost; when
 * that later write was invoked earlier in real time (a re-executed orphan under OPB's `merge`)
 * it is counted apart as **reordered**.
 *
 * Two sources measure it:
 * - a protocol check that sees the final execution order (a property other than `anomalies`
 *   with a `lostAckedWrites` measure, e.g. OPB's C6 over the converged history) counts lost
 *   writes directly;
 * - without one, the client history: an acknowledged append that the last read bound to show
 *   it misses (`anomalies`' `missingAtLastRead`). For a protocol that executes in one order
 *   (SMART: one slot order), nothing is reordered and a missing append was lost.
 * The history count cannot tell lost from reordered (both are missing at the last read), so with
 * a protocol check, `reordered` = missing at the last read − lost (an estimate: the history
 * only sees appends).
 */
import type { Verdict } from './types.js';

export interface LostWrites {
  readonly lost: number;
  readonly reordered: number;
  /** Acknowledged appends missing at the last read (lost or reordered), from the history. */
  readonly missingAtLastRead: number;
  /** The property the `lost` figure comes from (`anomalies` or the protocol's own check). */
  readonly source: string;
}

/** The lost / reordered figures of one run from its verdicts; null if nothing measured them. */
export function lostWrites(verdicts: readonly Verdict[]): LostWrites | null {
  const missing = verdicts.find((v) => v.property === 'anomalies')
    ?.measures?.['missingAtLastRead'];
  const own = verdicts.find((v) => v.property !== 'anomalies'
    && v.measures?.['lostAckedWrites'] !== undefined);
  const lost = own?.measures?.['lostAckedWrites'];
  if (lost !== undefined) {
    const m = missing ?? 0;
    return { lost, reordered: Math.max(0, m - lost), missingAtLastRead: m,
      source: own!.property };
  }
  if (missing === undefined) return null;
  return { lost: missing, reordered: 0, missingAtLastRead: missing, source: 'anomalies' };
}
