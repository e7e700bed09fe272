/**
 * Knossos multi-register transactions in EDN: `:f :txn` with `:value [[:read :x nil]
 * [:write :y 2]]`. The invocation lists the micro-ops (reads carry nil); an `:ok` completion
 * repeats them with the values read filled in.
 */
import { MalformedHistoryError } from '../linearizability/errors.js';
import type { MicroOp, TxnKey, TxnOp, TxnResult } from '../models/multi-register.js';
import type { RegValue } from '../models/register.js';
import { EdnSeq, Keyword, Sym } from './edn.js';
import type { EdnValue } from './edn.js';

function fail(reason: string, line: number): never {
  throw new MalformedHistoryError(reason, { line });
}

function scalar(value: EdnValue | undefined, what: string, line: number): RegValue {
  if (value === null || typeof value === 'number' || typeof value === 'string') return value;
  if (value instanceof Keyword) return `:${value.name}`;
  return fail(`${what} must be nil, a number, a string or a keyword`, line);
}

function microOp(item: EdnValue | undefined, line: number): MicroOp {
  if (!(item instanceof EdnSeq) || item.items.length !== 3) {
    fail('a :txn micro-op must be [f key value], e.g. [:read :x nil]', line);
  }
  const [f, k, v] = item.items;
  const fn = f instanceof Keyword || f instanceof Sym ? f.name : undefined;
  if (fn !== 'read' && fn !== 'r' && fn !== 'write' && fn !== 'w') {
    fail('a :txn micro-op is :read or :write', line);
  }
  const key = scalar(k, 'a :txn key', line);
  if (key === null) fail('a :txn key must not be nil', line);
  return { f: fn === 'read' || fn === 'r' ? 'read' : 'write', key: key as TxnKey,
    value: scalar(v, 'a :txn value', line) };
}

export function txnInput(value: EdnValue | undefined, line: number): TxnOp {
  if (!(value instanceof EdnSeq)) fail(':value of a :txn must be a vector of micro-ops', line);
  return value.items.map((item) => microOp(item, line));
}

/** The `:ok` completion: the same micro-ops (f and key) as invoked, with values read. */
export function txnOutput(invoked: TxnOp, value: EdnValue | undefined, line: number): TxnResult {
  const txn = txnInput(value, line);
  const same = txn.length === invoked.length
    && txn.every((m, i) => m.f === invoked[i]!.f && m.key === invoked[i]!.key);
  if (!same) fail('the :ok :txn does not list the invoked micro-ops in order', line);
  return { ok: true, txn };
}
