import type { KvOp, KvResult } from '../../protocol/kv-types.js';
import type { Model, Operation, StepResult } from './types.js';

/**
 * State of the `kv` model: key → value. Absent keys read as "" (the Porcupine convention), so an
 * entry whose value is "" is never stored; this keeps `hash` canonical.
 */
export type KvState = ReadonlyMap<string, string>;

const EMPTY: KvState = new Map();

function withValue(state: KvState, key: string, value: string): KvState {
  if ((state.get(key) ?? '') === value) return state;
  const next = new Map(state);
  if (value === '') next.delete(key);
  else next.set(key, value);
  return next;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function quote(s: string): string {
  return JSON.stringify(s);
}

function stepKv(state: KvState, input: KvOp, output: KvResult | undefined): StepResult<KvState> {
  const current = state.get(input.key) ?? '';
  switch (input.type) {
    case 'get':
      if (output === undefined) return { ok: true, state };
      return { ok: (output.value ?? '') === current, state };
    case 'put':
      return { ok: true, state: withValue(state, input.key, input.value) };
    case 'append':
      return { ok: true, state: withValue(state, input.key, current + input.value) };
    case 'cas': {
      const matches = current === input.expected;
      // An indefinite CAS applies exactly when the comparison succeeds at its point.
      if (output === undefined) {
        return { ok: true, state: matches ? withValue(state, input.key, input.value) : state };
      }
      // A CAS whose comparison failed is kept as a constraint: it saw a different value.
      if (!output.ok) return { ok: !matches, state };
      return { ok: matches, state: matches ? withValue(state, input.key, input.value) : state };
    }
  }
}

function describeKvOperation(input: KvOp, output: KvResult | undefined): string {
  const suffix = output === undefined ? ' → ?' : '';
  switch (input.type) {
    case 'get':
      return `get(${quote(input.key)}) → ${output === undefined ? '?' : quote(output.value ?? '')}`;
    case 'put':
      return `put(${quote(input.key)}, ${quote(input.value)})${suffix}`;
    case 'append':
      return `append(${quote(input.key)}, ${quote(input.value)})${suffix}`;
    case 'cas': {
      const result = output === undefined ? '?' : output.ok ? 'ok' : 'mismatch';
      return `cas(${quote(input.key)}, ${quote(input.expected)} → ${quote(input.value)}) → ${result}`;
    }
  }
}

/**
 * The `kv` model: every key is an independent string register with get/put/append/cas.
 * Linearizability is local, so histories are partitioned by key.
 */
export const kvModel: Model<KvState, KvOp, KvResult> = {
  name: 'kv',
  description: 'per-key string register: get/put/append/cas; absent keys read ""',
  inputKind: 'kv',
  init: () => EMPTY,
  step: stepKv,
  hash(state) {
    if (state.size === 0) return '';
    if (state.size === 1) {
      for (const [key, value] of state) return JSON.stringify([key, value]);
    }
    const keys = [...state.keys()].sort(compareStrings);
    return JSON.stringify(keys.map((key) => [key, state.get(key)]));
  },
  partition(ops) {
    const byKey = new Map<string, Operation<KvOp, KvResult>[]>();
    for (const op of ops) {
      const group = byKey.get(op.input.key);
      if (group === undefined) byKey.set(op.input.key, [op]);
      else group.push(op);
    }
    const keys = [...byKey.keys()].sort(compareStrings);
    return keys.map((key) => byKey.get(key) ?? []);
  },
  describePartition(ops) {
    const first = ops[0];
    return first === undefined ? 'empty' : `key ${quote(first.input.key)}`;
  },
  describeOperation: describeKvOperation,
  describeState(state) {
    const keys = [...state.keys()].sort(compareStrings);
    return `{${keys.map((key) => `${quote(key)}: ${quote(state.get(key) ?? '')}`).join(', ')}}`;
  },
  isNoop: (input, output) => input.type === 'get' && output === undefined,
};
