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

/** A reference value from the paper, drawn beside ours (a dashed line on a timeline). */
export interface PaperLine { readonly y: number; readonly label: string }

/**
 * Latency over time (Figs. 8–10): one dot per request, the fault or migration marked, shaded
 * spans (a state transfer) and the paper's values as dashed lines.
 */
export interface TimelineFigure {
  readonly kind: 'timeline';
  readonly title: string;
  /** x in seconds, y in milliseconds. */
  readonly series: readonly { readonly label: string;
    readonly points: readonly (readonly [number, number])[] }[];
  readonly marks: readonly { readonly x: number; readonly label: string }[];
  readonly spans?: readonly { readonly from: number; readonly to: number;
    readonly label: string }[];
  readonly paper: readonly PaperLine[];
  /** A log y axis, for a figure whose stall is a thousand times the typical latency. */
  readonly logY?: boolean;
}

/** Bars of ours beside the paper's (§6.6, Fig. 11's histogram and phases). */
export interface BarsFigure {
  readonly kind: 'bars';
  readonly title: string;
  readonly unit: string;
  /** null: no value (ours: nothing measured; paper: not reported). */
  readonly bars: readonly { readonly label: string; readonly ours: number | null;
    readonly paper: number | null }[];
}

export type ExperimentFigure = TimelineFigure | BarsFigure;

export interface ExperimentResult {
  readonly name: string;
  readonly description: string;
  readonly tables: readonly ExperimentTable[];
  /** Shape checks against the paper: each a claim and whether our figures reproduce it. */
  readonly checks: readonly { readonly claim: string; readonly ok: boolean;
    readonly detail: string }[];
  readonly data?: Json;
  /** The paper's figures redrawn with our values; absent, the report draws the tables' bars. */
  readonly figures?: readonly ExperimentFigure[];
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
  /** `quick`: a short run for smoke tests (the figures are drawn, the checks mean little). */
  run(options: { readonly seeds: number; readonly ablate?: string; readonly quick?: boolean;
    readonly onProgress?: (done: number, total: number) => void }): ExperimentResult;
}
