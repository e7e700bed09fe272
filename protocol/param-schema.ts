/**
 * A protocol's parameter schema, declared next to its defaults and checked in `init` (the runner
 * tries one init before any run, so a bad value is a one-line user error, never a run that loops
 * on a zero period or computes NaN deadlines). Only the schema's own keys are parameters:
 * `toString`, `__proto__` and the like are unknown keys like any other.
 */
import { assert } from './assert.js';
import type { Json } from './types.js';

export type ParamRule =
  /** A timer period or timeout in microseconds: a safe integer > 0. */
  | 'period'
  /** A safe integer >= 1. */
  | 'count'
  /** A safe integer >= 0. */
  | 'natural'
  | 'boolean'
  /** A node id of the topology, or null. */
  | 'node-or-null'
  /** One of these strings. */
  | readonly string[];

export type ParamSchema = { readonly [key: string]: ParamRule };

function fits(rule: ParamRule, v: Json | undefined, nodes: readonly string[]): boolean {
  switch (rule) {
    case 'period':
      return typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
    case 'count':
      return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
    case 'natural':
      return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
    case 'boolean':
      return typeof v === 'boolean';
    case 'node-or-null':
      return v === null || (typeof v === 'string' && nodes.includes(v));
    default:
      return typeof v === 'string' && rule.includes(v);
  }
}

function describeRule(rule: ParamRule): string {
  switch (rule) {
    case 'period': return 'a positive integer (microseconds)';
    case 'count': return 'a positive integer';
    case 'natural': return 'a non-negative integer';
    case 'boolean': return 'true or false';
    case 'node-or-null': return 'a node id of the topology or null';
    default: return `one of ${rule.join('|')}`;
  }
}

/** Asserts that `params` has only the schema's keys, each present and fitting its rule. */
export function checkParamSchema(protocol: string, schema: ParamSchema,
  params: { readonly [key: string]: Json }, nodes: readonly string[]): void {
  for (const key of Object.keys(params)) {
    assert(Object.hasOwn(schema, key), `${protocol}: unknown param ${JSON.stringify(key)}`);
  }
  for (const [key, rule] of Object.entries(schema)) {
    const v = Object.hasOwn(params, key) ? params[key] : undefined;
    const shown = v === undefined ? 'nothing' : JSON.stringify(v).slice(0, 40);
    assert(fits(rule, v, nodes),
      `${protocol}: param ${key} must be ${describeRule(rule)}, got ${shown}`);
  }
}
