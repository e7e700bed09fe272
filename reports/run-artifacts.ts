/**
 * The files a run folder holds for one run (docs/run-folders.md): the result, a replayable run
 * file, the trace, the history in three formats and the HTML report. Pure: it returns names
 * and texts, and nothing in them depends on the wall clock (only the folder's name does).
 */
import {
  jepsenEdnText, nativeHistoryText, porcupineKvText, UnwritableHistoryError,
} from '../properties/formats/writers.js';
import { toSavedRun } from '../scenarios/run-file.js';
import type { CheckedRun } from '../scenarios/runner.js';
import type { Scenario } from '../simulator/config.js';
import { renderHtmlReport } from './html.js';
import { resultDocument } from './result.js';

export interface Artifact { readonly name: string; readonly text: string }

/** History formats by name, for `--history-format` and the run folder. */
export const HISTORY_FORMATS = ['native', 'edn', 'porcupine'] as const;
export type HistoryFormat = (typeof HISTORY_FORMATS)[number];

export function historyText(run: CheckedRun, format: HistoryFormat): string {
  const h = run.record.history;
  return format === 'native' ? nativeHistoryText(h)
    : format === 'edn' ? jepsenEdnText(h) : porcupineKvText(h);
}

/** The format a history file name asks for: `.edn` is Jepsen EDN, anything else native. */
export function historyFormatOf(file: string): HistoryFormat {
  return /\.edn$/i.test(file) ? 'edn' : 'native';
}

export function traceText(run: CheckedRun): string {
  return `${(run.record.trace ?? []).join('\n')}\n`;
}

/** Needs a run that kept its trace (`keepTrace: true`). */
export function runArtifacts(run: CheckedRun, scenario: Scenario): Artifact[] {
  const files: Artifact[] = [
    { name: 'result.json', text: `${JSON.stringify(resultDocument(run), null, 2)}\n` },
    { name: 'run.json', text: `${JSON.stringify(toSavedRun(run, scenario), null, 1)}\n` },
    { name: 'trace.txt', text: traceText(run) },
    { name: 'history.json', text: historyText(run, 'native') },
    { name: 'history.edn', text: historyText(run, 'edn') },
  ];
  try {
    files.push({ name: 'history-porcupine.edn', text: historyText(run, 'porcupine') });
  } catch (error) {
    if (!(error instanceof UnwritableHistoryError)) throw error;
    files.push({ name: 'history-porcupine.txt', text: `not written: ${error.message}\n` });
  }
  files.push({ name: 'report.html', text: renderHtmlReport(run) });
  return files;
}
