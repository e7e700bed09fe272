/**
 * Loading scenarios: built-in ones by name (the JSON files in scenarios/builtin/) or any file by
 * path. Every problem becomes a one-line ScenarioError naming the file and the field.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Scenario } from '../simulator/config.js';
import { selectorsOf } from '../simulator/faults/kinds.js';
import { buildEndpoints } from '../simulator/topology.js';
import { ScenarioError } from './errors.js';
import { builtinScenarioDir } from './paths.js';
import { scenarioProblem, scenarioSchema } from './schema.js';

/** Validates parsed JSON as a scenario; `origin` names the source in error messages. */
export function parseScenario(data: unknown, origin: string): Scenario {
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
  scenario.faults.forEach((fault, i) => {
    for (const sel of selectorsOf(fault)) {
      try {
        endpoints.select(sel);
      } catch (error) {
        throw new ScenarioError(`${origin}: ` +
          `invalid scenario at faults.${i}: ${(error as Error).message}`);
      }
    }
  });
  return scenario;
}

export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ScenarioError(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ScenarioError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
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
