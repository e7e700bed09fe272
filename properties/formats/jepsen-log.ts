import { MalformedHistoryError } from '../linearizability/errors.js';
import type { RegisterOp, RegisterResult, RegValue } from '../models/register.js';
import type { Operation } from '../models/types.js';
import type { ParsedHistory } from './types.js';

/** `INFO jepsen.util - PROC TYPE FN VALUE`, fields split on runs of spaces/tabs. */
const UTIL_LINE =
  /^INFO[ \t]+jepsen\.util[ \t]+-[ \t]+(\S+)[ \t]+(\S+)[ \t]+(\S+)(?:[ \t]+(.*?))?[ \t]*$/;
/** Other log lines (other loggers, other levels) are ignored, as Porcupine's parser does. */
const OTHER_LOG_LINE = /^(INFO|WARN|WARNING|DEBUG|ERROR|TRACE|FATAL)\b/;

type Value =
  | { kind: 'value'; value: RegValue }
  | { kind: 'pair'; a: number; b: number }
  | { kind: 'timeout' };

interface Pending {
  readonly id: number;
  readonly client: string;
  readonly line: number;
  readonly input: RegisterOp;
}

function fail(reason: string, line: number): never {
  throw new MalformedHistoryError(reason, { line });
}

function parseValue(text: string | undefined, line: number): Value {
  if (text === undefined || text === '') fail('missing value field', line);
  if (text === 'nil') return { kind: 'value', value: null };
  if (text === ':timed-out') return { kind: 'timeout' };
  if (/^-?\d+$/.test(text)) return { kind: 'value', value: Number(text) };
  const m = /^\[\s*(-?\d+)\s+(-?\d+)\s*\]$/.exec(text);
  if (m !== null) return { kind: 'pair', a: Number(m[1]), b: Number(m[2]) };
  return fail(`bad value '${text}' (expected nil, an integer, [A B] or :timed-out)`, line);
}

function invocation(fn: string, value: Value, line: number): RegisterOp {
  if (fn === ':read') return { type: 'read' };
  if (fn === ':write' && value.kind === 'value') return { type: 'write', value: value.value };
  if (fn === ':cas' && value.kind === 'pair') {
    return { type: 'cas', expected: value.a, value: value.b };
  }
  return fail(`cannot invoke ${fn} with this value`, line);
}

/**
 * The outcome of a completion line under Porcupine's rules 2–7: an output, 'unknown' (a read
 * that timed out: closed here, always legal), 'indefinite' (:info: response after every event),
 * or 'dropped' (a :fail other than a CAS or read: definitely not applied).
 */
function completion(
  type: string,
  input: RegisterOp,
  value: Value,
  line: number,
): RegisterResult | 'unknown' | 'indefinite' | 'dropped' {
  if (type === ':info') return 'indefinite';
  if (type === ':fail') {
    if (input.type === 'cas') return { ok: false };
    return input.type === 'read' ? 'unknown' : 'dropped';
  }
  if (type !== ':ok') return fail(`unknown type ${type}`, line);
  if (input.type !== 'read') return { ok: true };
  if (value.kind !== 'value') return fail('an :ok :read needs nil or an integer', line);
  return { ok: true, value: value.value };
}

/**
 * Parses a Jepsen etcd log (histories README, format 2) with Porcupine's rules 1–8: time is the
 * line number; a failed CAS is kept as a "value differed" constraint; :info ops and ops still open
 * at the end are indefinite; nemesis lines (non-integer process) are ignored.
 */
export function parseJepsenLog(text: string): ParsedHistory {
  const lines = text.split('\n');
  const open = new Map<string, Pending>();
  const ops: Operation<RegisterOp, RegisterResult>[] = [];
  let invocations = 0;
  lines.forEach((raw, index) => {
    const line = index + 1;
    const content = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (content.trim() === '') return;
    const m = UTIL_LINE.exec(content);
    if (m === null) {
      if (OTHER_LOG_LINE.test(content)) return;
      fail('not a Jepsen log line (expected "INFO jepsen.util - PROCESS TYPE F VALUE")', line);
    }
    const [, proc = '', type = '', fn = ''] = m;
    if (!/^\d+$/.test(proc)) return;
    if (fn !== ':read' && fn !== ':write' && fn !== ':cas') fail(`unknown operation ${fn}`, line);
    const value = parseValue(m[4], line);
    if (type === ':invoke') {
      const previous = open.get(proc);
      if (previous !== undefined) {
        fail(
          `process ${proc} invokes again while its op from line ${previous.line} is still open`,
          line,
        );
      }
      open.set(proc, { id: invocations++, client: proc, line, input: invocation(fn, value, line) });
      return;
    }
    const pending = open.get(proc);
    if (pending === undefined) fail(`${type} for process ${proc} has no open invocation`, line);
    if (`:${pending.input.type}` !== fn) {
      const invoked = `:${pending.input.type} (line ${pending.line})`;
      fail(`completion ${fn} does not match the invocation ${invoked}`, line);
    }
    open.delete(proc);
    const result = completion(type, pending.input, value, line);
    if (result === 'dropped') return;
    const base = {
      id: pending.id,
      client: pending.client,
      input: pending.input,
      call: pending.line,
      line: pending.line,
    };
    if (result === 'indefinite') ops.push({ ...base, output: undefined, return: Infinity });
    else if (result === 'unknown') ops.push({ ...base, output: undefined, return: line });
    else ops.push({ ...base, output: result, return: line });
  });
  for (const pending of open.values()) {
    const { id, client, input, line } = pending;
    ops.push({ id, client, input, output: undefined, call: line, return: Infinity, line });
  }
  ops.sort((a, b) => a.id - b.id);
  const kind = invocations === 0 ? 'empty' : 'register';
  return { format: 'jepsen-etcd', kind, ops, invocations };
}
