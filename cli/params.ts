/**
 * `--param PROTOCOL.KEY=VALUE`: protocol parameters over a scenario's own, so one built-in
 * scenario can be run under other settings (the saved run keeps the changed scenario).
 */
import type { Json } from '../protocol/types.js';
import type { Scenario } from '../simulator/config.js';
import { findProtocol, protocols } from '../protocol/registry.js';
import { jsonDepthProblem, MAX_JSON_DEPTH } from '../properties/formats/json-bounds.js';
import { UsageError } from './errors.js';

function parseValue(text: string): Json {
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch {
    return text; // A bare word: a string parameter such as policy=discard.
  }
  if (jsonDepthProblem(value) !== null) {
    throw new UsageError(`--param value nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  return value;
}

export function withParams(scenario: Scenario, params: readonly string[] | undefined): Scenario {
  if (params === undefined || params.length === 0) return scenario;
  const next: { [protocol: string]: { [key: string]: Json } } = {};
  for (const [protocol, values] of Object.entries(scenario.params)) next[protocol] = { ...values };
  for (const p of params) {
    const m = /^([a-z][\w-]*)\.(\w+)=(.*)$/i.exec(p);
    if (m === null) {
      throw new UsageError(`--param must look like PROTOCOL.KEY=VALUE (e.g. opb.logKeep=4), ` +
        `got "${p}"`);
    }
    const [, protocol, key, value] = m;
    if (findProtocol(protocol!) === undefined) {
      throw new UsageError(`--param ${p}: unknown protocol "${protocol}" ` +
        `(known: ${protocols.map((x) => x.name).join(', ')})`);
    }
    next[protocol!] = { ...(next[protocol!] ?? {}), [key!]: parseValue(value!) };
  }
  return { ...scenario, params: next };
}
