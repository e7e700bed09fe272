/**
 * Loading scenarios: built-in ones by name (the JSON files in scenarios/builtin/) or any file by
 * path. Every problem becomes a one-line ScenarioError naming the file and the field.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import {
  jsonDepthProblem, MAX_JSON_DEPTH, oneLine, stripBom,
} from '../properties/formats/json-bounds.js';
import { basename, join } from 'node:path';
import type { Json } from '../protocol/types.js';
import type { Scenario } from '../simulator/config.js';
import { selectorsOf } from '../simulator/faults/kinds.js';
import { buildEndpoints } from '../simulator/topology.js';
import { ScenarioError } from './errors.js';
import { builtinScenarioDir } from './paths.js';
import { scenarioProblem, scenarioSchema } from './schema.js';

/** Validates parsed JSON as a scenario; `origin` names the source in error messages. */
export function parseScenario(data: unknown, origin: string): Scenario {
  const proto = protoKeyIn((data as { params?: unknown } | null)?.params);
  // The schema would silently drop it; a parameter named so is a mistake to report.
  if (proto !== null) throw new ScenarioError(`${origin}: invalid scenario at params.${proto}: ` +
    'not a parameter name');
  const parsed = scenarioSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    throw new ScenarioError(`${origin}: invalid scenario at ${where}: ${issue.message}`);
  }
  const scenario: Scenario = parsed.data;
  const problem = scenarioProblem(scenario);
  if (problem !== null) throw new ScenarioError(`${origin}: invalid scenario: ${problem}`);
  const endpoints = buildEndpoints(scenario);
  /** Every selector must name endpoints of the topology; `where` is the field that names it. */
  const resolve = (selectors: readonly string[], where: string): void => {
    for (const sel of selectors) {
      try {
        endpoints.select(sel);
      } catch (error) {
        throw new ScenarioError(`${origin}: invalid scenario at ${where}: ` +
          `${(error as Error).message}`);
      }
    }
  };
  scenario.network.links.forEach((link, i) => resolve([link.a, link.b], `network.links.${i}`));
  scenario.costs?.links.forEach((link, i) => resolve([link.a, link.b], `costs.links.${i}`));
  const nodes = new Set(scenario.topology.nodes.map((n) => n.id));
  scenario.faults.forEach((fault, i) => {
    const problem = fault.kind === 'operator' ? operatorArgsProblem(fault.args, nodes) : null;
    if (problem !== null) {
      throw new ScenarioError(`${origin}: invalid scenario at faults.${i}.args.${problem}`);
    }
  });
  scenario.faults.forEach((fault, i) => resolve(selectorsOf(fault), `faults.${i}`));
  return scenario;
}

/** `PROTOCOL.__proto__` when some protocol's parameters have a key `__proto__`. */
function protoKeyIn(params: unknown): string | null {
  if (typeof params !== 'object' || params === null) return null;
  for (const [protocol, values] of Object.entries(params)) {
    if (typeof values === 'object' && values !== null && Object.hasOwn(values, '__proto__')) {
      return `${protocol}.__proto__`;
    }
  }
  return null;
}

/**
 * Operator commands are protocol-specific JSON, but the built-in ones share two conventions:
 * `members` lists node ids (SMART migrate) and `to` names a node (OPB handoff). Both must name
 * nodes of the topology (not selectors), or the run would fail far from the mistake.
 */
function operatorArgsProblem(args: Json, nodes: ReadonlySet<string>): string | null {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return null;
  const obj = args as { readonly [k: string]: Json };
  const show = (v: Json): string => oneLine(JSON.stringify(v), 60);
  if (Object.hasOwn(obj, 'members')) {
    const members = obj['members'];
    if (!Array.isArray(members)) {
      return `members: expected a list of node ids, got ${show(members!)}`;
    }
    for (const [j, m] of (members as readonly Json[]).entries()) {
      if (typeof m !== 'string' || !nodes.has(m)) return `members.${j}: unknown node ${show(m)}`;
    }
  }
  if (Object.hasOwn(obj, 'to')) {
    const to = obj['to']!;
    if (typeof to !== 'string' || !nodes.has(to)) return `to: unknown node ${show(to)}`;
  }
  return null;
}

/** Largest JSON file read (saved runs carry a compressed trace; scenarios are a few KB). */
export const MAX_JSON_FILE_BYTES = 64 * 1024 * 1024;

/**
 * A JSON file from outside, bounded: at most MAX_JSON_FILE_BYTES, a UTF-8 BOM accepted, nesting
 * at most MAX_JSON_DEPTH; every problem is one line naming the file.
 */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_JSON_FILE_BYTES) {
      throw new ScenarioError(`${path} is too large (${size} bytes; at most ` +
        `${MAX_JSON_FILE_BYTES})`);
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof ScenarioError) throw error;
    throw new ScenarioError(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseJsonText(stripBom(text), path);
}

/** JSON text from outside (`origin` names it): one-line errors, bounded nesting. */
export function parseJsonText(text: string, origin: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw new ScenarioError(`${origin} is not valid JSON: ${oneLine((error as Error).message)}`);
  }
  const deep = jsonDepthProblem(value);
  if (deep !== null) {
    throw new ScenarioError(`${origin}: nested deeper than ${MAX_JSON_DEPTH} levels at ` +
      `${oneLine(deep, 80)}`);
  }
  return value;
}

export function builtinScenarioNames(): string[] {
  return readdirSync(builtinScenarioDir())
    .filter((f) => f.endsWith('.json'))
    .map((f) => basename(f, '.json'))
    .sort();
}

export function builtinScenarios(): Scenario[] {
  return builtinScenarioNames().map((n) => loadScenario(n));
}

/** A built-in scenario name, or a path to a scenario JSON file. */
export function loadScenario(nameOrPath: string): Scenario {
  const builtin = join(builtinScenarioDir(), `${nameOrPath}.json`);
  if (!nameOrPath.includes('/') && !nameOrPath.endsWith('.json')) {
    if (!existsSync(builtin)) {
      throw new ScenarioError(`unknown scenario "${nameOrPath}" (see \`replisim list\`, ` +
        `or give a path to a .json file)`);
    }
    return parseScenario(readJsonFile(builtin), `scenario ${nameOrPath}`);
  }
  return parseScenario(readJsonFile(nameOrPath), nameOrPath);
}
