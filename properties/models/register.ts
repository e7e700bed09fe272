import type { Model, StepResult } from './types.js';

/** A register value; `null` is nil / absent, distinct from every other value. */
export type RegValue = number | string | null;

/** An operation on a single register (Jepsen/Knossos `:f :read | :write | :cas`). */
export type RegisterOp =
  | { readonly type: 'read' }
  | { readonly type: 'write'; readonly value: RegValue }
  | { readonly type: 'cas'; readonly expected: RegValue; readonly value: RegValue };

/**
 * Result of a register operation. `ok` is false only for a CAS whose comparison failed (Porcupine
 * rule 5: at its linearization point the value differed from `expected`).
 */
export interface RegisterResult {
  readonly ok: boolean;
  /** The value read (reads only); `null` means the register was absent. */
  readonly value?: RegValue;
}

function show(value: RegValue): string {
  return value === null ? 'nil' : typeof value === 'string' ? JSON.stringify(value) : `${value}`;
}

function makeStep(nilReadIsUnconstrained: boolean) {
  return function step(
    state: RegValue,
    input: RegisterOp,
    output: RegisterResult | undefined,
  ): StepResult<RegValue> {
    switch (input.type) {
      case 'read': {
        if (output === undefined) return { ok: true, state };
        const seen = output.value ?? null;
        if (seen === null && nilReadIsUnconstrained) return { ok: true, state };
        return { ok: seen === state, state };
      }
      case 'write':
        return { ok: true, state: input.value };
      case 'cas': {
        const matches = state === input.expected;
        if (output === undefined) return { ok: true, state: matches ? input.value : state };
        if (!output.ok) return { ok: !matches, state };
        return { ok: matches, state: matches ? input.value : state };
      }
    }
  };
}

function describeRegisterOperation(input: RegisterOp, output: RegisterResult | undefined): string {
  switch (input.type) {
    case 'read':
      return `read → ${output === undefined ? '?' : show(output.value ?? null)}`;
    case 'write':
      return `write(${show(input.value)})${output === undefined ? ' → ?' : ''}`;
    case 'cas': {
      const result = output === undefined ? '?' : output.ok ? 'ok' : 'mismatch';
      return `cas(${show(input.expected)} → ${show(input.value)}) → ${result}`;
    }
  }
}

function hashValue(state: RegValue): string {
  return state === null ? 'nil' : typeof state === 'number' ? `n${state}` : `s${state}`;
}

/** A register model; `initial` is the value before any write (Knossos `(cas-register 0)`). */
export type RegisterModel = Model<RegValue, RegisterOp, RegisterResult> & {
  readonly initial: RegValue;
  readonly nilReadIsUnconstrained: boolean;
};

function makeRegisterModel(
  name: string,
  description: string,
  nilReadIsUnconstrained: boolean,
  initial: RegValue = null,
): RegisterModel {
  return {
    name,
    description,
    inputKind: 'register',
    initial,
    nilReadIsUnconstrained,
    init: () => initial,
    step: makeStep(nilReadIsUnconstrained),
    hash: hashValue,
    describeOperation: describeRegisterOperation,
    describeState: show,
    isNoop: (input, output) => input.type === 'read' && output === undefined,
  };
}

/**
 * Porcupine's etcd model (histories README, rules 1–8): the register starts absent (nil), which
 * differs from every value; a read of nil requires the register to be absent; a failed CAS saw a
 * value different from `expected`; an indefinite CAS applies iff the comparison succeeds.
 */
export const etcdCasRegisterModel = makeRegisterModel(
  'etcd-cas-register',
  'single register, starts absent (nil); read/write/cas; failed CAS = value differed',
  false,
);

/** Knossos' `cas-register`: as `etcd-cas-register`, except that a read of nil is unconstrained. */
export const knossosCasRegisterModel = makeRegisterModel(
  'knossos-cas-register',
  'as etcd-cas-register, but a read returning nil is unconstrained (Knossos convention)',
  true,
);

/**
 * `model` starting at `initial` instead of nil, named `NAME:VALUE` (e.g. Knossos's
 * `(cas-register 0)` is `knossos-cas-register:0`): a read of 0 before any write is then legal.
 */
export function withInitialValue(model: RegisterModel, initial: RegValue): RegisterModel {
  if (initial === null) return model;
  const base = model.name.split(':')[0]!;
  return makeRegisterModel(`${base}:${show(initial)}`,
    `${model.description.replace(/, starts absent \(nil\)/, '')}; starts at ${show(initial)}`,
    model.nilReadIsUnconstrained, initial);
}

/**
 * A register value as written in a model name, in EDN: `nil`, an integer, `"text"` or a
 * `:keyword` (kept as the string `:keyword`, as the EDN reader gives register values); `undefined`
 * when it is none of those.
 */
export function parseRegValue(text: string): RegValue | undefined {
  const t = text.trim();
  if (t === 'nil') return null;
  if (/^-?\d+$/.test(t)) {
    const n = Number(t);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  if (/^"[^"\\]*"$/.test(t)) return t.slice(1, -1);
  if (/^:[^\s:"]+$/.test(t)) return t;
  return undefined;
}
