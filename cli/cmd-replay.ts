/**
 * `replisim replay FILE`: re-run a saved run or counterexample and verify its trace hash. On a
 * mismatch, name the first diverging event and show both versions of it. A file saved by another
 * trace format (simulator/trace.ts) has a hash that cannot be compared: the replay is then
 * verified against the file's trace lines (their text did not change between formats 1 and 2),
 * or, without them, reported as unverifiable, never as a divergence.
 */
import { renderHtmlReport } from '../reports/html.js';
import {
  renderReplayVerdict, replayDocument, type ReplayOutcome,
} from '../reports/replay.js';
import { traceText } from '../reports/run-artifacts.js';
import { renderRunSummary } from '../reports/terminal.js';
import { readSavedRun, traceLimit, unpackTrace } from '../scenarios/run-file.js';
import { runChecked } from '../scenarios/runner.js';
import { firstDivergence, TRACE_FORMAT } from '../simulator/trace.js';
import { writeText } from './files.js';
import { writeHistory } from './history-file.js';
import { makeOutput } from './output.js';

export interface ReplayOptions {
  json?: boolean; html?: string; trace?: string; history?: string; historyFormat?: string;
}

export function replayCommand(file: string, opts: ReplayOptions): number {
  const saved = readSavedRun(file);
  const out = makeOutput(opts.json === true);
  const run = runChecked({
    scenario: saved.scenario, protocol: saved.protocol, seed: saved.seed, mutant: saved.mutant,
    keepTrace: true,
  });
  const otherFormat = saved.traceFormat !== TRACE_FORMAT;
  let same = !otherFormat && run.record.traceHash === saved.traceHash;
  if (opts.html !== undefined) writeText(opts.html, renderHtmlReport(run));
  if (opts.trace !== undefined) writeText(opts.trace, traceText(run));
  if (opts.history !== undefined) writeHistory(run, opts.history, opts.historyFormat);
  let divergence: { index: number; saved: string | null; replayed: string | null } | null = null;
  if (!same && saved.trace !== null) {
    const before = unpackTrace(saved.trace, traceLimit(saved.events));
    const now = run.record.trace ?? [];
    const index = firstDivergence(before, now);
    // Another format's hash says nothing; lines identical to this replay's say it is the same.
    if (otherFormat && index === -1) same = true;
    else divergence = { index, saved: before[index] ?? null, replayed: now[index] ?? null };
  }
  const comparedBy = !otherFormat ? 'hash' : saved.trace !== null ? 'lines' : 'none';
  const outcome: ReplayOutcome = {
    file, run, same, otherFormat, comparedBy, traceFormat: TRACE_FORMAT, divergence,
    saved: { traceFormat: saved.traceFormat, traceHash: saved.traceHash, events: saved.events,
      hasTrace: saved.trace !== null, violations: saved.violations.length },
  };
  if (out.json) out.document(replayDocument(outcome));
  else {
    out.human(renderRunSummary(run, out.c));
    out.human(renderReplayVerdict(outcome, out.c));
  }
  return same ? 0 : 1;
}
