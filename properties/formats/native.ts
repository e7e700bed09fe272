import type { KvOp, KvResult } from '../../protocol/kv-types.js';
import type { History } from '../../simulator/history.js';
import { jsonDepthProblem, MAX_JSON_DEPTH, oneLine, stripBom } from './json-bounds.js';
import { MalformedHistoryError } from '../linearizability/errors.js';
import type { Operation } from '../models/types.js';
import type { ParsedHistory } from './types.js';

/** The schema tag of native histories. */
export const NATIVE_SCHEMA = 'replisim/history@1';

type Json = unknown;

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(reason: string, op?: number): never {
  throw new MalformedHistoryError(reason, op === undefined ? {} : { op });
}

function stringField(obj: Record<string, Json>, field: string, where: string, op: number): string {
  const value = obj[field];
  if (typeof value !== 'string') fail(`${where}.${field} must be a string`, op);
  return value;
}

function parseInput(raw: Json, op: number): KvOp {
  if (!isRecord(raw)) fail('input must be an object', op);
  const key = stringField(raw, 'key', 'input', op);
  switch (raw['type']) {
    case 'get':
      return { type: 'get', key };
    case 'put':
    case 'append':
      return { type: raw['type'], key, value: stringField(raw, 'value', 'input', op) };
    case 'cas':
      return {
        type: 'cas',
        key,
        expected: stringField(raw, 'expected', 'input', op),
        value: stringField(raw, 'value', 'input', op),
      };
    default:
      return fail(
        `input.type must be get, put, append or cas (got ${JSON.stringify(raw['type'])})`,
        op,
      );
  }
}

function parseOutput(raw: Json, input: KvOp, op: number): KvResult {
  if (raw === undefined && input.type !== 'get' && input.type !== 'cas') return { ok: true };
  if (!isRecord(raw)) fail(`an ok ${input.type} needs an output object`, op);
  const ok = raw['ok'];
  if (typeof ok !== 'boolean') fail('output.ok must be a boolean', op);
  if (!ok && input.type !== 'cas') {
    fail(`output.ok is false for a ${input.type} (only a CAS may fail its comparison)`, op);
  }
  const value = raw['value'];
  if (value !== undefined && typeof value !== 'string') fail('output.value must be a string', op);
  if (input.type === 'get') {
    if (value === undefined) fail('an ok get needs output.value (absent keys read "")', op);
    return { ok, value };
  }
  return { ok };
}

function finiteTime(value: Json, field: string, op: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    fail(`${field} must be a finite number`, op);
  }
  return value;
}

/**
 * Validates one native op and converts it; returns `undefined` for a 'fail' op (definitely not
 * applied, so dropped). 'info' ops become indefinite: no output, return = Infinity.
 */
function convertOp(
  raw: Json,
  index: number,
  ids: Set<number>,
): Operation<KvOp, KvResult> | undefined {
  if (!isRecord(raw)) fail(`ops[${index}] must be an object`);
  const id = raw['id'];
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
    fail(`ops[${index}].id must be a non-negative integer`);
  }
  if (ids.has(id)) fail(`duplicate op id ${id} (ops[${index}])`, id);
  ids.add(id);
  const client = raw['client'];
  if (typeof client !== 'string' && typeof client !== 'number') fail('client must be a string', id);
  const input = parseInput(raw['input'], id);
  const call = finiteTime(raw['call'], 'call', id);
  const status = raw['status'];
  if (status === 'fail') return undefined;
  if (status === 'info') {
    return { id, client: String(client), input, output: undefined, call, return: Infinity };
  }
  if (status !== 'ok') fail(`status must be ok, fail or info (got ${JSON.stringify(status)})`, id);
  const ret = finiteTime(raw['return'], 'return', id);
  if (ret < call) fail(`return ${ret} is before call ${call}`, id);
  const output = parseOutput(raw['output'], input, id);
  return { id, client: String(client), input, output, call, return: ret };
}

/** Validates a native history value (already JSON-decoded or built in memory). */
export function nativeOperations(history: Json): ParsedHistory {
  if (!isRecord(history)) {
    fail(`a native history must be a JSON object with schema "${NATIVE_SCHEMA}"`);
  }
  if (history['schema'] !== NATIVE_SCHEMA) {
    fail(`schema must be "${NATIVE_SCHEMA}" (got ${JSON.stringify(history['schema'])})`);
  }
  const rawOps = history['ops'];
  if (!Array.isArray(rawOps)) fail('ops must be an array');
  const ids = new Set<number>();
  const ops: Operation[] = [];
  rawOps.forEach((raw: Json, index: number) => {
    const op = convertOp(raw, index, ids);
    if (op !== undefined) ops.push(op);
  });
  return { format: 'native', kind: 'kv', ops, invocations: rawOps.length };
}

/**
 * Converts an in-memory native history (as recorded by the simulator) to checker operations.
 * The recorder's typed ops are reused as they are (input and output objects shared, nothing
 * re-parsed) when they are plainly well formed; anything else goes through the validating
 * conversion, so a malformed history is still rejected with the same message.
 */
export function fromNativeHistory(history: History): Operation<KvOp, KvResult>[] {
  const ops: Operation<KvOp, KvResult>[] = [];
  for (const op of history.ops) {
    const { status, input, output } = op;
    const plain = Number.isFinite(op.call) && typeof op.client === 'string' && (status === 'info'
      || (status === 'ok' && Number.isFinite(op.return) && output !== undefined
        && (input.type !== 'get' || typeof output.value === 'string')
        && (output.ok || input.type === 'cas')));
    if (!plain) return nativeOperations(history).ops as Operation<KvOp, KvResult>[];
    if (status === 'info') {
      ops.push({ id: op.id, client: op.client, input, output: undefined, call: op.call,
        return: Infinity });
    } else if (status === 'ok') {
      ops.push({ id: op.id, client: op.client, input, output, call: op.call,
        return: op.return as number });
    }
  }
  return ops;
}

function lineOfPosition(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** True when `prefix` could be the beginning of a valid JSON text. */
function viablePrefix(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return true;
  } catch (error) {
    const message = String(error);
    const position = /position (\d+)/.exec(message);
    if (position !== null && Number(position[1]) >= prefix.length) return true;
    return /end of JSON input|Unterminated|end of data/i.test(message);
  }
}

/** Offset of a JSON syntax error: from the engine's message, or by bisecting viable prefixes. */
function errorPosition(text: string, message: string): number {
  const position = /position (\d+)/.exec(message);
  if (position !== null) return Number(position[1]);
  let good = 0;
  let bad = text.length;
  while (bad - good > 1) {
    const mid = (good + bad) >>> 1;
    if (viablePrefix(text.slice(0, mid))) good = mid;
    else bad = mid;
  }
  return bad - 1;
}

/** Parses a native JSON history file. */
export function parseNative(raw: string): ParsedHistory {
  const text = stripBom(raw);
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = lineOfPosition(text, errorPosition(text, message));
    throw new MalformedHistoryError(`invalid JSON: ${oneLine(message)}`, { line });
  }
  const deep = jsonDepthProblem(value);
  if (deep !== null) {
    throw new MalformedHistoryError(`nested deeper than ${MAX_JSON_DEPTH} levels at ${deep}`,
      { line: 1 });
  }
  return nativeOperations(value);
}
