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
import type { Scenario } from '../../simulator/config.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

/** A saved counterexample's scenario (validated) and seed; `file` a path or a file URL. */
export function readSaved(file: string | URL):
  { readonly scenario: Scenario; readonly seed: number } {
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { seed: number; scenario: unknown };
  const name = path.basename(typeof file === 'string' ? file : file.pathname);
  return { scenario: parseScenario(saved.scenario, name), seed: saved.seed };
}

export function regressionSuite(title: string, dir: string, protocol: string): void {
  describe(title, () => {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      it(file, () => {
        const run = runChecked({ ...readSaved(path.join(dir, file)), protocol });
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
  return simulate({ ...readSaved(url), protocol: findProtocol(protocol)!, keepTrace });
}
