/** `replisim lincheck FILE...`: linearizability of history files, checked in this process. */
import { readFile, stat } from 'node:fs/promises';
import { formatNames, parseHistory, resolveFormat } from '../properties/formats/index.js';
import type { ParsedHistory } from '../properties/formats/index.js';
import { checkHistory, MalformedHistoryError } from '../properties/linearizability/index.js';
import {
  defaultModelFor, getModel, INITIAL_VALUE_SYNTAX, modelNames,
} from '../properties/models/index.js';
import type { AnyModel } from '../properties/models/index.js';
import {
  lincheckFileResult, renderLincheckFile, type LincheckFileResult,
} from '../reports/lincheck.js';
import { UsageError } from './errors.js';
import { makeOutput } from './output.js';

/** Options of `replisim lincheck` (DESIGN §5). */
export interface LincheckOptions {
  readonly format?: string;
  readonly model?: string;
  /** Per-file timeout in seconds (default 60). */
  readonly timeout?: number;
  readonly json?: boolean;
}

const DEFAULT_TIMEOUT_S = 60;

function chooseModel(file: string, parsed: ParsedHistory, name: string | undefined): AnyModel {
  if (name !== undefined) {
    const model = getModel(name);
    if (model === undefined) {
      throw new UsageError(`unknown model '${name}' (known: ${modelNames().join(', ')}; ` +
        `${INITIAL_VALUE_SYNTAX})`);
    }
    if (parsed.kind !== 'empty' && parsed.kind !== model.inputKind) {
      throw new UsageError(`${file}: model '${name}' cannot check a ${parsed.kind} history`);
    }
    return model;
  }
  return defaultModelFor(parsed.kind);
}

/** Histories of a million operations are tens of MB; beyond this the checker cannot answer. */
const MAX_HISTORY_BYTES = 256 * 1024 * 1024;

async function load(file: string,
  format: ReturnType<typeof resolveFormat>): Promise<ParsedHistory> {
  let text: string;
  try {
    const size = (await stat(file)).size;
    if (size > MAX_HISTORY_BYTES) {
      throw new UsageError(`${file}: too large (${size} bytes; at most ${MAX_HISTORY_BYTES})`);
    }
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UsageError(`${file}: cannot read the file (${code})`);
  }
  try {
    return parseHistory(text, format);
  } catch (error) {
    if (error instanceof MalformedHistoryError) {
      const at = error.line === undefined ? '' : `:${error.line}`;
      const op = error.op === undefined ? '' : ` (op ${error.op})`;
      throw new UsageError(`${file}${at}: malformed history${op}: ${error.reason}`);
    }
    throw error;
  }
}

/**
 * `replisim lincheck FILE... [--format F] [--model M] [--timeout S] [--json]`: checks every file
 * in this process. Returns 0 when all are linearizable, 1 when some is not, 3 when some is
 * unknown (timeout or memory) and none is not.
 * @throws UsageError (exit 2) for an unreadable file, unknown format or model, malformed history.
 */
export async function lincheckCommand(files: string[], opts: LincheckOptions): Promise<number> {
  if (files.length === 0) throw new UsageError('lincheck needs at least one history file');
  const format = opts.format === undefined ? undefined : resolveFormat(opts.format);
  if (opts.format !== undefined && format === undefined) {
    throw new UsageError(`unknown format '${opts.format}' (known: ${formatNames().join(', ')})`);
  }
  if (opts.model !== undefined && getModel(opts.model) === undefined) {
    throw new UsageError(`unknown model '${opts.model}' (known: ${modelNames().join(', ')}; ` +
      `${INITIAL_VALUE_SYNTAX})`);
  }
  const timeoutS = opts.timeout ?? DEFAULT_TIMEOUT_S;
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) {
    throw new UsageError(`--timeout must be a positive number of seconds (got ${opts.timeout})`);
  }
  // Parse everything first, so that a bad file fails before any result is printed.
  const inputs: { file: string; parsed: ParsedHistory; model: AnyModel }[] = [];
  for (const file of files) {
    const parsed = await load(file, format);
    inputs.push({ file, parsed, model: chooseModel(file, parsed, opts.model) });
  }
  const out = makeOutput(opts.json === true);
  const results: LincheckFileResult[] = [];
  for (const { file, parsed, model } of inputs) {
    const checked = checkHistory(parsed.ops, model, { timeoutMs: timeoutS * 1000 });
    const result = lincheckFileResult(file, parsed, model, checked);
    results.push(result);
    if (!out.json) out.human(renderLincheckFile(result, out.c));
  }
  if (out.json) out.document(results);
  if (results.some((r) => r.verdict === 'not-linearizable')) return 1;
  if (results.some((r) => r.verdict === 'unknown')) return 3;
  return 0;
}
