/**
 * An experiment reproduces a published result: it runs scenarios and returns a table that
 * reports/ renders (terminal, JSON, HTML). Our figures sit beside the paper's.
 */
import type { Json } from '../../protocol/types.js';

export interface ExperimentTable {
  readonly title: string;
  readonly columns: readonly string[];
  /** Cells are numbers or short strings; one row per measured point. */
  readonly rows: readonly (readonly (string | number)[])[];
}

export interface ExperimentResult {
  readonly name: string;
  readonly description: string;
  readonly tables: readonly ExperimentTable[];
  /** Shape checks against the paper: each a claim and whether our figures reproduce it. */
  readonly checks: readonly { readonly claim: string; readonly ok: boolean;
    readonly detail: string }[];
  readonly data?: Json;
}

/**
 * A mechanism the experiment can switch off in every arm (`--ablate NAME`). With it off, the
 * shape checks that the mechanism explains must fail: that is how a check shows it can fail.
 */
export interface Ablation { readonly name: string; readonly description: string }

export interface Experiment {
  readonly name: string;
  readonly description: string;
  /** Seeds per measured point when the user gives none (enough for the shape to show). */
  readonly defaultSeeds?: number;
  readonly ablations?: readonly Ablation[];
  run(options: { readonly seeds: number; readonly ablate?: string;
    readonly onProgress?: (done: number, total: number) => void }): ExperimentResult;
}
