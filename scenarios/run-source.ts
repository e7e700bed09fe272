/**
 * What `replisim run` accepts as its SCENARIO: a built-in name, a scenario file, or a file
 * that says how to re-run something: a saved run or counterexample (`run --save`, `explore`)
 * or a regression file (`test/protocol/FOLDER/regressions/`: name, seed, mutant, property,
 * scenario).
 * From such a file come the scenario, seed, mutant and protocol; flags override them.
 */
import type { Scenario } from '../simulator/config.js';
import { ScenarioError } from './errors.js';
import { loadScenario, parseScenario, readJsonFile } from './load.js';
import { savedRunFrom } from './run-file.js';

export interface RunSource {
  readonly scenario: Scenario;
  readonly seed?: number;
  readonly mutant?: string | null;
  readonly protocol?: string;
  /** What the file was, for the banner: 'scenario', 'saved run', 'counterexample', 'regression'. */
  readonly kind: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function loadRunSource(nameOrPath: string): RunSource {
  if (!nameOrPath.includes('/') && !nameOrPath.endsWith('.json')) {
    return { scenario: loadScenario(nameOrPath), kind: 'scenario' };
  }
  const data = readJsonFile(nameOrPath);
  if (!isRecord(data)) return { scenario: parseScenario(data, nameOrPath), kind: 'scenario' };
  const schema = data['schema'];
  if (schema === 'replisim/run@1' || schema === 'replisim/counterexample@1') {
    const saved = savedRunFrom(data, nameOrPath);
    return { scenario: saved.scenario, seed: saved.seed, mutant: saved.mutant,
      protocol: saved.protocol, kind: schema === 'replisim/run@1' ? 'saved run'
        : 'counterexample' };
  }
  if (schema === undefined && 'scenario' in data && 'seed' in data) {
    const seed = data['seed'];
    const mutant = data['mutant'] ?? null;
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
      throw new ScenarioError(`${nameOrPath}: seed must be a non-negative integer`);
    }
    if (mutant !== null && typeof mutant !== 'string') {
      throw new ScenarioError(`${nameOrPath}: mutant must be a string or null`);
    }
    return { scenario: parseScenario(data['scenario'], `${nameOrPath} (scenario)`), seed,
      mutant, kind: 'regression' };
  }
  return { scenario: parseScenario(data, nameOrPath), kind: 'scenario' };
}
