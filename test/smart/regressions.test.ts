import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkRun } from '../../properties/registry.js';
import { findProtocol } from '../../protocol/registry.js';
import { parseScenario } from '../../scenarios/load.js';
import { simulate } from '../../simulator/sim.js';

/**
 * Counterexamples `replisim explore --protocol smart` found, now fixed; each file says in
 * `finding` what was wrong and where it was fixed, and failed `property` before the fix.
 */
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'regressions');

describe('smart regressions from explore', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    it(file, () => {
      const saved = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
        seed: number; scenario: unknown;
      };
      const run = simulate({
        scenario: parseScenario(saved.scenario, file), protocol: findProtocol('smart')!,
        seed: saved.seed,
      });
      const failed = checkRun(run)
        .filter((v) => v.status === 'fail')
        .map((v) => `${v.property}: ${v.message}`);
      expect(failed).toEqual([]);
    });
  }
});
