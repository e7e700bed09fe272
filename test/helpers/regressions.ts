/**
 * Regression suites: each saved counterexample (a run file explore wrote, now fixed) in a folder
 * is run again through the one run-and-check pipeline (scenarios/runner.ts) and must violate
 * none of the properties `replisim run` checks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';
import { findProtocol } from '../../protocol/registry.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

export function regressionSuite(title: string, dir: string, protocol: string): void {
  describe(title, () => {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      it(file, () => {
        const saved = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
          seed: number; scenario: unknown;
        };
        const run = runChecked({ scenario: parseScenario(saved.scenario, file), protocol,
          seed: saved.seed });
        expect(run.violations.map((v) => `${v.property}: ${v.message}`)).toEqual([]);
      });
    }
  });
}

/**
 * The run a saved counterexample (a regression file) names: its scenario and seed, simulated
 * again with `protocol` (message record kept when `keepTrace`). `url` is the file's URL.
 */
export function savedRun(url: URL, protocol: string, keepTrace = false): RunRecord {
  const saved = JSON.parse(readFileSync(url, 'utf8')) as { seed: number; scenario: unknown };
  return simulate({ scenario: parseScenario(saved.scenario, path.basename(url.pathname)),
    protocol: findProtocol(protocol)!, seed: saved.seed, keepTrace });
}
