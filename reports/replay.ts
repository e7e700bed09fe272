/**
 * The forms of `replisim replay`: whether the replayed trace is the saved one (by hash, or line
 * by line for a file of another trace format) and, when not, the first diverging event, as the
 * `--json` document and as the terminal lines after the run summary.
 */
import type { ChalkInstance } from 'chalk';
import type { CheckedRun } from '../scenarios/runner.js';

export interface ReplayOutcome {
  readonly file: string;
  readonly run: CheckedRun;
  /** The replayed trace is the saved one. */
  readonly same: boolean;
  /** The file was saved with another trace format, so its hash cannot be compared. */
  readonly otherFormat: boolean;
  readonly comparedBy: 'hash' | 'lines' | 'none';
  readonly saved: {
    readonly traceFormat: number; readonly traceHash: string; readonly events: number;
    readonly hasTrace: boolean; readonly violations: number;
  };
  readonly traceFormat: number;
  readonly divergence: { readonly index: number; readonly saved: string | null;
    readonly replayed: string | null } | null;
}

export function replayDocument(o: ReplayOutcome): unknown {
  return {
    file: o.file, same: o.same, comparedBy: o.comparedBy,
    savedTraceFormat: o.saved.traceFormat, traceFormat: o.traceFormat,
    expectedTraceHash: o.saved.traceHash, traceHash: o.run.record.traceHash,
    ok: o.run.ok,
    violations: o.run.violations.map((v) => ({ property: v.property, message: v.message })),
    divergence: o.divergence,
  };
}

/** What the terminal shows after the run summary: the verdict on the trace, and why. */
export function renderReplayVerdict(o: ReplayOutcome, c: ChalkInstance): string {
  const lines: string[] = [];
  if (o.otherFormat) {
    lines.push(c.yellow(`replay: ${o.file} was saved with trace format ` +
      `${o.saved.traceFormat}; this replisim hashes trace format ${o.traceFormat}, so the two ` +
      'hashes cannot be compared'));
  }
  if (o.same && o.otherFormat) {
    lines.push(c.green(`replay: identical trace, line for line (${o.saved.events} events)`));
    return lines.join('\n');
  }
  if (o.otherFormat && !o.saved.hasTrace) {
    lines.push('(the saved file has no trace lines, so the replay cannot be verified; ' +
      'save the run again to pin its new hash)');
    return lines.join('\n');
  }
  if (o.same) {
    const reproduced = o.saved.violations === 0 ? 'no violation, as saved'
      : `${o.run.violations.length} violation(s) reproduced`;
    lines.push(c.green(`replay: identical trace hash (${o.saved.events} events); ` +
      reproduced));
    return lines.join('\n');
  }
  if (!o.otherFormat) {
    lines.push(c.red(`replay: trace hash differs: ` +
      `saved ${o.saved.traceHash}, now ${o.run.record.traceHash}`));
  } else {
    lines.push(c.red('replay: the replayed trace differs from the saved one'));
  }
  if (o.divergence !== null) {
    lines.push(`first divergence at event ${o.divergence.index}:`,
      `  saved:    ${o.divergence.saved ?? '(trace ended)'}`,
      `  replayed: ${o.divergence.replayed ?? '(trace ended)'}`);
  } else {
    lines.push('(the saved file has no trace, so the diverging event cannot be named)');
  }
  return lines.join('\n');
}
