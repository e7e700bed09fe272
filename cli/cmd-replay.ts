/**
 * `replisim replay FILE`: re-run a saved run or counterexample and verify its trace hash. On a
 * mismatch, name the first diverging event and show both versions of it.
 */
import { renderHtmlReport } from '../reports/html.js';
import { traceText } from '../reports/run-artifacts.js';
import { renderRunSummary } from '../reports/terminal.js';
import { readSavedRun, traceLimit, unpackTrace } from '../scenarios/run-file.js';
import { runChecked } from '../scenarios/runner.js';
import { firstDivergence } from '../simulator/trace.js';
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
  const same = run.record.traceHash === saved.traceHash;
  if (opts.html !== undefined) writeText(opts.html, renderHtmlReport(run));
  if (opts.trace !== undefined) writeText(opts.trace, traceText(run));
  if (opts.history !== undefined) writeHistory(run, opts.history, opts.historyFormat);
  let divergence: { index: number; saved: string | null; replayed: string | null } | null = null;
  if (!same && saved.trace !== null) {
    const before = unpackTrace(saved.trace, traceLimit(saved.events));
    const now = run.record.trace ?? [];
    const index = firstDivergence(before, now);
    divergence = { index, saved: before[index] ?? null, replayed: now[index] ?? null };
  }
  if (out.json) {
    out.document({
      file, same, expectedTraceHash: saved.traceHash, traceHash: run.record.traceHash,
      ok: run.ok,
      violations: run.violations.map((v) => ({ property: v.property, message: v.message })),
      divergence,
    });
    return same ? 0 : 1;
  }
  const { c } = out;
  out.human(renderRunSummary(run, c));
  if (same) {
    const reproduced = saved.violations.length === 0 ? 'no violation, as saved'
      : `${run.violations.length} violation(s) reproduced`;
    out.human(c.green(`replay: identical trace hash (${saved.events} events); ${reproduced}`));
    return 0;
  }
  out.human(c.red(`replay: trace hash differs: ` +
    `saved ${saved.traceHash}, now ${run.record.traceHash}`));
  if (divergence !== null) {
    out.human(`first divergence at event ${divergence.index}:`);
    out.human(`  saved:    ${divergence.saved ?? '(trace ended)'}`);
    out.human(`  replayed: ${divergence.replayed ?? '(trace ended)'}`);
  } else {
    out.human('(the saved file has no trace, so the diverging event cannot be named)');
  }
  return 1;
}
