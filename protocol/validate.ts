/**
 * The shape every protocol must have before it is registered, checked on values that come from
 * outside the tree (REPLISIM_PROTOCOLS, --protocol-file, `defineProtocol`): the types say the
 * same for TypeScript, but a JavaScript module is only checked here. A problem is one sentence
 * naming the field, so the CLI can print it on one line.
 */
import { FAULT_KINDS, type AnyProtocol } from './types.js';

const NAME = /^[a-z][a-z0-9-]*$/;
const TARGETS = ['first', 'spread'];
const ON_TIMEOUT = ['broadcast', 'rotate'];
const REQUIRED_FUNCTIONS = ['init', 'step', 'durable', 'describeMessage'] as const;
const OPTIONAL_FUNCTIONS = ['invariants', 'corrupt', 'swarmParams', 'swarmMigration',
  'messageType', 'sizeOf', 'encodeMessage'] as const;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why `value` is not a usable protocol, or null when it is. */
export function protocolProblem(value: unknown): string | null {
  if (!isObject(value)) return 'not an object';
  const name = value['name'];
  if (typeof name !== 'string' || !NAME.test(name)) {
    return `name must be a lower-case word such as "my-kv" (got ${JSON.stringify(name)})`;
  }
  if (typeof value['description'] !== 'string') return `${name}: description must be a string`;
  for (const f of REQUIRED_FUNCTIONS) {
    if (typeof value[f] !== 'function') return `${name}: ${f} must be a function`;
  }
  for (const f of OPTIONAL_FUNCTIONS) {
    if (value[f] !== undefined && typeof value[f] !== 'function') {
      return `${name}: ${f}, when given, must be a function`;
    }
  }
  return mutantsProblem(name, value['mutants']) ?? clientProblem(name, value['client'])
    ?? otherFieldsProblem(name, value);
}

function mutantsProblem(name: string, mutants: unknown): string | null {
  if (!Array.isArray(mutants)) return `${name}: mutants must be a list (empty if none)`;
  for (const [i, m] of mutants.entries()) {
    if (!isObject(m) || typeof m['name'] !== 'string' || typeof m['description'] !== 'string') {
      return `${name}: mutants[${i}] must be { name, description }`;
    }
    if (!m['name'].startsWith(`${name}:`)) {
      return `${name}: mutant "${m['name']}" must be named "${name}:<bug>"`;
    }
  }
  return null;
}

function clientProblem(name: string, client: unknown): string | null {
  if (!isObject(client) || !TARGETS.includes(client['target'] as string)
    || !ON_TIMEOUT.includes(client['onTimeout'] as string)) {
    return `${name}: client must be { target: "first" | "spread", ` +
      'onTimeout: "broadcast" | "rotate" }';
  }
  return null;
}

function otherFieldsProblem(name: string, p: Record<string, unknown>): string | null {
  if (!isObject(p['defaults'])) return `${name}: defaults must be an object of parameters`;
  const survives = p['survives'];
  if (survives !== undefined && (!Array.isArray(survives)
    || survives.some((k) => !(FAULT_KINDS as readonly unknown[]).includes(k)))) {
    return `${name}: survives must list fault kinds among ${FAULT_KINDS.join(', ')}`;
  }
  if (p['linearizable'] !== undefined && typeof p['linearizable'] !== 'boolean') {
    return `${name}: linearizable, when given, must be true or false`;
  }
  for (const field of ['operatorRequests', 'messageTypes']) {
    const names = p[field];
    if (names !== undefined && (!Array.isArray(names)
      || names.some((n) => typeof n !== 'string' || n === '')
      || new Set(names).size < names.length)) {
      return `${name}: ${field}, when given, must list distinct non-empty names`;
    }
  }
  const sizes = p['swarmReplicas'];
  if (sizes !== undefined && !(Array.isArray(sizes) && sizes.length === 2
    && sizes.every((n) => Number.isInteger(n) && n >= 1) && sizes[0] <= sizes[1])) {
    return `${name}: swarmReplicas, when given, must be [min, max] with 1 <= min <= max`;
  }
  return null;
}

/** The value as a protocol, or an Error whose message says what is wrong with it. */
export function asProtocol(value: unknown, origin: string): AnyProtocol {
  const problem = protocolProblem(value);
  if (problem !== null) throw new InvalidProtocolError(`${origin}: invalid protocol: ${problem}`);
  return value as AnyProtocol;
}

export class InvalidProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidProtocolError';
  }
}
