/**
 * Regression suites: each saved counterexample (a run file explore wrote, now fixed) in a folder
 * is run again and must violate none of the given properties.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../properties/types.js';
import { findProtocol } from '../../protocol/registry.js';
import { parseScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

export function regressionSuite(title: string, dir: string, protocol: string,
  verdicts: (run: RunRecord) => Verdict[]): void {
  describe(title, () => {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      it(file, () => {
        const saved = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
          seed: number; scenario: unknown;
        };
        const run = simulate({
          scenario: parseScenario(saved.scenario, file), protocol: findProtocol(protocol)!,
          seed: saved.seed,
        });
        const failed = verdicts(run)
          .filter((v) => v.status === 'fail')
          .map((v) => `${v.property}: ${v.message}`);
        expect(failed).toEqual([]);
      });
    }
  });
}
