/**
 * Knossos's `multi-register`: registers named by keys, read and written only by transactions
 * (`:f :txn`, `:value [[:read :x nil] [:write :y 2]]`). A read must see the register's current
 * value, except that a read of nil is unconstrained (Knossos convention: nil means "not read");
 * a write sets it. Registers start at nil unless given an initial map, as Knossos's
 * `(multi-register {:x 0 :y 0})`. A transaction is atomic: all of its reads and writes happen
 * at its linearization point.
 */
import type { RegValue } from './register.js';
import type { Model, Operation, StepResult } from './types.js';

export type TxnKey = number | string;

export interface MicroOp {
  readonly f: 'read' | 'write';
  readonly key: TxnKey;
  readonly value: RegValue;
}

/** The invocation's transaction (its reads carry nil). */
export type TxnOp = readonly MicroOp[];

/** A completed transaction: the same micro-ops with the values read filled in. */
export interface TxnResult {
  readonly ok: true;
  readonly txn: TxnOp;
}

/** Register values by key id (absent = nil, never stored as null, so states compare by hash). */
type State = ReadonlyMap<string, RegValue>;

const keyId = (key: TxnKey): string => (typeof key === 'number' ? `n${key}` : `s${key}`);

function show(value: RegValue | TxnKey): string {
  if (value === null) return 'nil';
  if (typeof value === 'string') return value.startsWith(':') ? value : JSON.stringify(value);
  return `${value}`;
}

const idKey = (id: string): TxnKey => (id.startsWith('n') ? Number(id.slice(1)) : id.slice(1));

function step(state: State, input: TxnOp, output: TxnResult | undefined): StepResult<State> {
  // An indefinite transaction may have happened: its writes apply, its reads are unknown.
  const txn = output?.txn ?? input;
  let next: Map<string, RegValue> | undefined;
  for (const m of txn) {
    const id = keyId(m.key);
    const current = (next ?? state).get(id) ?? null;
    if (m.f === 'read') {
      if (output !== undefined && m.value !== null && m.value !== current) {
        return { ok: false, state };
      }
    } else if (m.value !== current) {
      next ??= new Map(state);
      if (m.value === null) next.delete(id);
      else next.set(id, m.value);
    }
  }
  return { ok: true, state: next ?? state };
}

function hash(state: State): string {
  return JSON.stringify([...state].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function describeState(state: State): string {
  const entries = [...state].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([id, v]) => `${show(idKey(id))} ${show(v)}`).join(', ')}}`;
}

function describeOperation(input: TxnOp, output: TxnResult | undefined): string {
  const txn = output?.txn ?? input;
  const body = txn.map((m) => `${m.f === 'read' ? 'r' : 'w'} ${show(m.key)} ` +
    `${m.f === 'read' && output === undefined ? '?' : show(m.value)}`).join(', ');
  return `txn [${body}]${output === undefined ? ' → ?' : ''}`;
}

/**
 * Transactions touching disjoint sets of registers are independent objects (P-compositionality):
 * one partition per connected component of keys.
 */
function partition(ops: readonly Operation<TxnOp, TxnResult>[]): Operation<TxnOp, TxnResult>[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  for (const op of ops) {
    const ids = op.input.map((m) => keyId(m.key));
    for (const id of ids) if (!parent.has(id)) parent.set(id, id);
    for (const id of ids.slice(1)) parent.set(find(id), find(ids[0]!));
  }
  const groups = new Map<string, Operation<TxnOp, TxnResult>[]>();
  for (const op of ops) {
    const first = op.input[0];
    // An empty transaction (normally removed as a no-op) touches nothing: a group of its own.
    const root = first === undefined ? '' : find(keyId(first.key));
    const group = groups.get(root) ?? [];
    groups.set(root, group);
    group.push(op);
  }
  return [...groups.values()];
}

function describePartition(ops: readonly Operation<TxnOp, TxnResult>[]): string {
  const keys = new Map<string, TxnKey>();
  for (const op of ops) for (const m of op.input) keys.set(keyId(m.key), m.key);
  return `keys ${[...keys.keys()].sort().map((id) => show(keys.get(id)!)).join(' ')}`;
}

export type MultiRegisterModel = Model<State, TxnOp, TxnResult> & {
  readonly initial: ReadonlyMap<TxnKey, RegValue>;
};

/** The multi-register model starting from `initial` (unlisted keys start at nil). */
export function multiRegisterModel(
  initial: ReadonlyMap<TxnKey, RegValue> = new Map(),
): MultiRegisterModel {
  const start: State = new Map([...initial].filter(([, v]) => v !== null)
    .map(([k, v]) => [keyId(k), v] as const));
  const given = [...initial].map(([k, v]) => `${show(k)} ${show(v)}`).join(', ');
  return {
    name: initial.size === 0 ? 'multi-register' : `multi-register:{${given}}`,
    description: 'registers by key, read and written by :txn transactions (Knossos ' +
      'multi-register); a read of nil is unconstrained; registers start at nil' +
      (initial.size === 0 ? '' : ` except {${given}}`),
    inputKind: 'txn',
    initial,
    init: () => start,
    step,
    hash,
    describeOperation,
    describeState,
    partition,
    describePartition,
    // Only reads whose values are unknown or nil: always legal, no effect.
    isNoop: (input, output) => (output?.txn ?? input)
      .every((m) => m.f === 'read' && (output === undefined || m.value === null)),
  };
}

/**
 * An initial map as written in a model name, in EDN: `{:x 0, :y 1}` (keys: keywords, integers
 * or strings without spaces; values as `parseRegValue`); `undefined` when malformed.
 */
export function parseInitialMap(
  text: string, parseValue: (t: string) => RegValue | undefined,
): Map<TxnKey, RegValue> | undefined {
  const t = text.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return undefined;
  const tokens = t.slice(1, -1).split(/[\s,]+/).filter((x) => x !== '');
  if (tokens.length % 2 !== 0) return undefined;
  const map = new Map<TxnKey, RegValue>();
  for (let i = 0; i < tokens.length; i += 2) {
    const key = parseValue(tokens[i]!);
    const value = parseValue(tokens[i + 1]!);
    if (key === undefined || key === null || value === undefined) return undefined;
    map.set(key, value);
  }
  return map;
}
