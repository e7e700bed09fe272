import { kvModel } from './kv.js';
import { etcdCasRegisterModel, knossosCasRegisterModel } from './register.js';
import type { AnyModel } from './types.js';

export type { AnyModel, InputKind, Model, Operation, StepResult } from './types.js';
export { kvModel } from './kv.js';
export { kvKeyModel } from './kv-key.js';
export type { KvState } from './kv.js';
export { etcdCasRegisterModel, knossosCasRegisterModel } from './register.js';
export type { RegisterOp, RegisterResult, RegValue } from './register.js';

const MODELS: readonly AnyModel[] = [kvModel, etcdCasRegisterModel, knossosCasRegisterModel];

/** Names of the registered models, in a fixed order. */
export function modelNames(): string[] {
  return MODELS.map((model) => model.name);
}

/** The registered models (name, description, input kind). */
export function listModels(): readonly AnyModel[] {
  return MODELS;
}

/** The model called `name`, or `undefined` when there is none. */
export function getModel(name: string): AnyModel | undefined {
  return MODELS.find((model) => model.name === name);
}
