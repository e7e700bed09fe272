import { kvModel } from './kv.js';
import { multiRegisterModel, parseInitialMap } from './multi-register.js';
import {
  etcdCasRegisterModel, knossosCasRegisterModel, parseRegValue, withInitialValue,
  type RegisterModel,
} from './register.js';
import type { AnyModel, InputKind } from './types.js';

export type { AnyModel, InputKind, Model, Operation, StepResult } from './types.js';
export { kvModel } from './kv.js';
export { kvKeyModel } from './kv-key.js';
export { multiRegisterModel } from './multi-register.js';
export type { MicroOp, TxnOp, TxnResult } from './multi-register.js';
export type { KvState } from './kv.js';
export {
  etcdCasRegisterModel, knossosCasRegisterModel, parseRegValue, withInitialValue,
} from './register.js';
export type { RegisterModel, RegisterOp, RegisterResult, RegValue } from './register.js';

const MODELS: readonly AnyModel[] = [kvModel, etcdCasRegisterModel, knossosCasRegisterModel,
  multiRegisterModel()];

/** Names of the registered models, in a fixed order. */
export function modelNames(): string[] {
  return MODELS.map((model) => model.name);
}

/** The registered models (name, description, input kind). */
export function listModels(): readonly AnyModel[] {
  return MODELS;
}

/** Knossos's name for its CAS register, whose reads of nil are unconstrained. */
const ALIASES: Readonly<Record<string, string>> = { 'cas-register': 'knossos-cas-register' };

/** How a register model with an initial value is written (for help and error messages). */
export const INITIAL_VALUE_SYNTAX = 'REGISTER:VALUE or (cas-register VALUE), e.g. ' +
  'knossos-cas-register:0, multi-register:{:x 0}';

/**
 * The model called `name`, or `undefined` when there is none. A register model takes an
 * initial value, as Knossos's `(cas-register 0)`: `knossos-cas-register:0`, `cas-register:0`,
 * `etcd-cas-register:"a"` or the Knossos form `(cas-register 0)` itself.
 */
export function getModel(name: string): AnyModel | undefined {
  const knossos = /^\(\s*([\w-]+)\s+(.+?)\s*\)$/s.exec(name.trim());
  const colon = name.indexOf(':');
  const [base, initial] = knossos !== null ? [knossos[1]!, knossos[2]!]
    : colon > 0 ? [name.slice(0, colon), name.slice(colon + 1)] : [name, undefined];
  const model = MODELS.find((m) => m.name === (ALIASES[base] ?? base));
  if (initial === undefined) return model;
  if (model?.inputKind === 'txn') {
    const values = parseInitialMap(initial, parseRegValue);
    return values === undefined ? undefined : multiRegisterModel(values);
  }
  if (model === undefined || model.inputKind !== 'register') return undefined;
  const value = parseRegValue(initial);
  return value === undefined ? undefined : withInitialValue(model as RegisterModel, value);
}

/** The model a history of this kind is checked against when none is named. */
export function defaultModelFor(kind: InputKind | 'empty'): AnyModel {
  const name = kind === 'register' ? 'etcd-cas-register'
    : kind === 'txn' ? 'multi-register' : 'kv';
  return getModel(name)!;
}
