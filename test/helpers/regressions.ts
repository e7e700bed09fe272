/**
 * Regression suites: each saved counterexample (a run file explore wrote, now fixed) in a folder
 * is run again through the one run-and-check pipeline (scenarios/runner.ts), with the message
 * record, and must violate none of the properties `replisim run --record` checks and leave none
 * undecided.
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

/**
 * `part` (index, of) runs every `of`-th file from `index`, so one folder can be spread over
 * several test files that the runner's forks take in parallel.
 */
export function regressionSuite(title: string, dir: string, protocol: string,
  part: { readonly index: number; readonly of: number } = { index: 0, of: 1 }): void {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
    .filter((_, i) => i % part.of === part.index);
  describe(title, () => {
    it('has files to run', () => expect(files.length).toBeGreaterThan(0));
    for (const file of files) {
      it(file, () => {
        // With the message record, as `explore --record` found them: without it a third of the
        // checks skip and C6 answers `unknown` on some files, so the suite would judge less
        // than the campaign that found the bug.
        const run = runChecked({ ...readSaved(path.join(dir, file)), protocol, keepTrace: true });
        expect(run.violations.map((v) => `${v.property}: ${v.message}`)).toEqual([]);
        expect(run.verdicts.filter((v) => v.status === 'unknown')
          .map((v) => `${v.property}: ${v.message}`)).toEqual([]);
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
