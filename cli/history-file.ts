/** `--history FILE [--history-format F]` of `run` and `replay`. */
import {
  HISTORY_FORMATS, historyFormatOf, historyText, type HistoryFormat,
} from '../reports/run-artifacts.js';
import { UnwritableHistoryError } from '../properties/formats/writers.js';
import type { CheckedRun } from '../scenarios/runner.js';
import { UsageError } from './errors.js';
import { writeText } from './files.js';

export function writeHistory(run: CheckedRun, file: string, format?: string): void {
  if (format !== undefined && !(HISTORY_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--history-format must be one of ${HISTORY_FORMATS.join(', ')}, ` +
      `got "${format}"`);
  }
  const chosen = (format as HistoryFormat | undefined) ?? historyFormatOf(file);
  try {
    writeText(file, historyText(run, chosen));
  } catch (error) {
    if (error instanceof UnwritableHistoryError) throw new UsageError(error.message);
    throw error;
  }
}
