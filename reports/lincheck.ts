/**
 * The forms of `replisim lincheck`: one file's result as the JSON the command prints with
 * `--json`, and as its terminal line (verdict, size, time, model, then the explanation).
 */
import type { ChalkInstance } from 'chalk';
import type { ParsedHistory } from '../properties/formats/index.js';
import {
  formatExplanation, verdictName, type CheckResult, type Explanation,
} from '../properties/linearizability/index.js';
import type { AnyModel } from '../properties/models/index.js';

/** One file's result, as printed by `--json`. */
export interface LincheckFileResult {
  readonly file: string;
  readonly format: string;
  readonly model: string;
  readonly verdict: 'linearizable' | 'not-linearizable' | 'unknown';
  readonly ms: number;
  /** Invocations in the file (failed and timed-out ones included). */
  readonly ops: number;
  readonly partitions: number;
  readonly reason?: string;
  readonly explanation?: Explanation;
}

export function lincheckFileResult(file: string, parsed: ParsedHistory, model: AnyModel,
  r: CheckResult): LincheckFileResult {
  return {
    file,
    format: parsed.format,
    model: model.name,
    verdict: verdictName(r.verdict),
    ms: Math.round(r.ms * 1000) / 1000,
    ops: parsed.invocations,
    partitions: r.partitions,
    ...(r.reason === undefined ? {} : { reason: r.reason }),
    ...(r.explanation === undefined ? {} : { explanation: r.explanation }),
  };
}

export function renderLincheckFile(result: LincheckFileResult, chalk: ChalkInstance): string {
  const colour =
    result.verdict === 'linearizable' ? chalk.green : result.verdict === 'unknown'
      ? chalk.yellow : chalk.red;
  const reason = result.reason === undefined ? '' : ` (${result.reason})`;
  const head =
    `${result.file}: ${colour(result.verdict)}${reason} · ${result.ops} ops · ` +
    `${result.ms.toFixed(1)} ms · ${result.model}`;
  if (result.explanation === undefined) return head;
  const detail = formatExplanation(result.explanation)
    .split('\n')
    .map((line) => `  ${chalk.dim(line)}`)
    .join('\n');
  return `${head}\n${detail}`;
}
