import type { KvOp, KvResult } from '../../protocol/kv-types.js';
import { MalformedHistoryError } from '../linearizability/errors.js';
import type { RegisterOp, RegisterResult, RegValue } from '../models/register.js';
import type { TxnOp, TxnResult } from '../models/multi-register.js';
import type { InputKind, Operation } from '../models/types.js';
import { EdnMap, EdnSeq, Keyword, readEdnForms, Sym } from './edn.js';
import { txnInput, txnOutput } from './edn-txn.js';
import type { EdnValue } from './edn.js';
import type { ParsedHistory } from './types.js';

type EventType = 'invoke' | 'ok' | 'fail' | 'info';

interface Pending {
  readonly id: number;
  readonly client: string;
  readonly line: number;
  readonly call: number;
  readonly kind: InputKind;
  readonly f: string;
  readonly input: KvOp | RegisterOp | TxnOp;
}

function fail(reason: string, line: number): never {
  throw new MalformedHistoryError(reason, { line });
}

function show(value: EdnValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'nil';
  if (value instanceof Keyword) return `:${value.name}`;
  if (value instanceof Sym) return value.name;
  if (value instanceof EdnMap) return 'a map';
  if (value instanceof EdnSeq) return `[${value.items.map((v) => show(v)).join(' ')}]`;
  return JSON.stringify(value);
}

function name(value: EdnValue | undefined): string | undefined {
  if (value instanceof Keyword || value instanceof Sym) return value.name;
  return typeof value === 'string' ? value : undefined;
}

/** A KV string (strings; numbers are accepted and printed in decimal). */
function kvString(value: EdnValue | undefined, what: string, line: number): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return fail(`${what} must be a string (got ${show(value)})`, line);
}

function regValue(value: EdnValue | undefined, what: string, line: number): RegValue {
  if (value === null || typeof value === 'number' || typeof value === 'string') return value;
  if (value instanceof Keyword) return `:${value.name}`;
  return fail(`${what} must be nil, a number, a string or a keyword (got ${show(value)})`, line);
}

function pair(value: EdnValue | undefined, line: number): readonly [EdnValue, EdnValue] {
  if (!(value instanceof EdnSeq) || value.items.length !== 2) {
    fail(`a cas needs a value [expected new] (got ${show(value)})`, line);
  }
  return [value.items[0] as EdnValue, value.items[1] as EdnValue];
}

function kvInput(f: string, key: string, value: EdnValue | undefined, line: number): KvOp {
  switch (f) {
    case 'get':
    case 'read':
      return { type: 'get', key };
    case 'put':
    case 'write':
      return { type: 'put', key, value: kvString(value, ':value of a put', line) };
    case 'append':
      return { type: 'append', key, value: kvString(value, ':value of an append', line) };
    case 'cas': {
      const [expected, next] = pair(value, line);
      return {
        type: 'cas',
        key,
        expected: kvString(expected, 'cas expected value', line),
        value: kvString(next, 'cas new value', line),
      };
    }
    default:
      return fail(`unknown :f :${f} for a key-value op (expected get, put, append or cas)`, line);
  }
}

function registerInput(f: string, value: EdnValue | undefined, line: number): RegisterOp {
  switch (f) {
    case 'read':
      return { type: 'read' };
    case 'write':
      return { type: 'write', value: regValue(value, ':value of a write', line) };
    case 'cas': {
      const [expected, next] = pair(value, line);
      return {
        type: 'cas',
        expected: regValue(expected, 'cas expected value', line),
        value: regValue(next, 'cas new value', line),
      };
    }
    default:
      return fail(`unknown :f :${f} for a register op (expected read, write or cas)`, line);
  }
}

/** `Array.isArray` does not narrow a readonly array out of a union. */
const isTxn = (input: Pending['input']): input is TxnOp => Array.isArray(input);

function okOutput(
  pending: Pending,
  value: EdnValue | undefined,
  line: number,
): KvResult | RegisterResult | TxnResult {
  const input = pending.input;
  if (isTxn(input)) return txnOutput(input, value, line);
  if (input.type === 'get') {
    return { ok: true, value: value === null ? '' : kvString(value, ':value of an ok get', line) };
  }
  if (input.type === 'read') {
    return { ok: true, value: regValue(value, ':value of an ok read', line) };
  }
  return { ok: true };
}

/** The events of an EDN text: either a sequence of maps, or one vector/list of maps. */
function events(text: string): { maps: EdnMap[]; lines: number[] } {
  const { forms, lines } = readEdnForms(text);
  let items: readonly EdnValue[] = forms;
  let itemLines: readonly number[] = lines;
  const only = forms[0];
  if (forms.length === 1 && only instanceof EdnSeq) {
    items = only.items;
    itemLines = only.lines;
  }
  const maps: EdnMap[] = [];
  items.forEach((item, i) => {
    if (!(item instanceof EdnMap)) {
      fail(`expected an operation map, got ${show(item)}`, itemLines[i] ?? 1);
    }
    maps.push(item);
  });
  return { maps, lines: itemLines.slice() };
}

/**
 * Parses a Jepsen/Knossos EDN history (`{:type :invoke, :f :write, :value 3, :process 0}` maps,
 * one per line or inside a vector). Jepsen semantics: a completion belongs to the open invocation
 * of its process; `:fail` means the op did not happen (dropped); `:info` is indefinite; an
 * invocation still open at the end is indefinite. Ops with a `:key` are key-value ops (format 1,
 * Porcupine's kv logs); others are single-register ops. Non-integer processes (`:nemesis`) are
 * ignored. Time is the event's position (`:time`, when present, is not needed).
 */
export function parseEdnHistory(text: string, expect?: InputKind): ParsedHistory {
  const { maps } = events(text);
  const open = new Map<string, Pending>();
  const ops: Operation[] = [];
  let kind: InputKind | undefined = expect;
  let invocations = 0;
  maps.forEach((event, time) => {
    const line = event.line;
    const process = event.get('process');
    if (process instanceof Keyword || process === null) return;
    if (typeof process !== 'number' && typeof process !== 'string') {
      fail(`:process must be an integer (got ${show(process)})`, line);
    }
    const type = name(event.get('type'));
    if (type !== 'invoke' && type !== 'ok' && type !== 'fail' && type !== 'info') {
      fail(`:type must be :invoke, :ok, :fail or :info (got ${show(event.get('type'))})`, line);
    }
    const f = name(event.get('f'));
    if (f === undefined) fail(`:f must be a keyword (got ${show(event.get('f'))})`, line);
    const client = String(process);
    const value = event.get('value');
    if (type === 'invoke') {
      // Knossos multi-register histories are all :txn ops.
      const opKind: InputKind = f === 'txn' ? 'txn' : event.has('key') ? 'kv' : 'register';
      if (kind === undefined) kind = opKind;
      if (opKind !== kind) {
        const why = kind === 'txn' || opKind === 'txn' ? 'a :txn history has only :txn ops'
          : kind === 'kv'
            ? 'a key-value history needs :key on every op'
            : 'this register history has an op with :key';
        fail(why, line);
      }
      const previous = open.get(client);
      if (previous !== undefined) {
        fail(
          `process ${client} invokes again while its op from line ${previous.line} is still open`,
          line,
        );
      }
      const input =
        opKind === 'txn' ? txnInput(value, line)
          : opKind === 'kv'
            ? kvInput(f, kvString(event.get('key'), ':key', line), value, line)
            : registerInput(f, value, line);
      open.set(client, { id: invocations++, client, line, call: time, kind: opKind, f, input });
      return;
    }
    const pending = open.get(client);
    if (pending === undefined) fail(`:${type} for process ${client} has no open invocation`, line);
    if (pending.f !== f) {
      const invoked = `:${pending.f} (line ${pending.line})`;
      fail(`completion :f :${f} does not match the invocation's ${invoked}`, line);
    }
    open.delete(client);
    completeOp(ops, pending, type as EventType, value, time, line);
  });
  for (const pending of open.values()) {
    ops.push({
      id: pending.id,
      client: pending.client,
      input: pending.input,
      output: undefined,
      call: pending.call,
      return: Infinity,
      line: pending.line,
    });
  }
  ops.sort((a, b) => a.id - b.id);
  const format = expect === 'kv' ? 'porcupine-kv' : 'edn';
  return { format, kind: kind ?? 'empty', ops, invocations };
}

function completeOp(
  ops: Operation[],
  pending: Pending,
  type: EventType,
  value: EdnValue | undefined,
  time: number,
  line: number,
): void {
  const base = {
    id: pending.id,
    client: pending.client,
    input: pending.input,
    call: pending.call,
    line: pending.line,
  };
  if (type === 'fail') return;
  if (type === 'info') {
    ops.push({ ...base, output: undefined, return: Infinity });
    return;
  }
  ops.push({ ...base, output: okOutput(pending, value, line), return: time });
}
