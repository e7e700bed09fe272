/**
 * Runs every OPB built-in scenario for many seeds and reports property failures (not run in CI).
 * Usage (after `tsc`): node -e "import('./dist/bench/opb-seeds.js').then((m) => m.main())"
 */
import { findProtocol } from '../protocol/registry.js';
import { liveness } from '../properties/liveness.js';
import { noFailure } from '../properties/no-failure.js';
import { opbProperties } from '../properties/opb-all.js';
import { builtinScenarioNames, loadScenario } from '../scenarios/load.js';
import { simulate } from '../simulator/sim.js';
import { checkProperty } from '../properties/types.js';

export interface SeedFailure {
  readonly scenario: string;
  readonly seed: number;
  readonly property: string;
  readonly message: string;
  readonly traceHash: string;
}

export interface SeedReport {
  readonly runs: number;
  readonly failures: readonly SeedFailure[];
  /** Per scenario: worst time to converge after the faults stopped (µs). */
  readonly worstConvergeUs: { readonly [scenario: string]: number };
}

/** Runs each opb-* scenario for `seeds` seeds (default 200) with `mutant` (default none). */
export function opbSeeds(seeds = 200, mutant: string | null = null,
  onRun?: (scenario: string, seed: number) => void): SeedReport {
  const protocol = findProtocol('opb');
  if (protocol === undefined) throw new Error('opb is not registered');
  const props = [noFailure, liveness, ...opbProperties];
  const failures: SeedFailure[] = [];
  const worst: { [scenario: string]: number } = {};
  let runs = 0;
  for (const name of builtinScenarioNames().filter((n) => n.startsWith('opb-'))) {
    const scenario = loadScenario(name);
    for (let seed = 0; seed < seeds; seed++) {
      onRun?.(name, seed);
      const run = simulate({ scenario, protocol, seed, mutant });
      runs++;
      for (const p of props) {
        const v = checkProperty(p, run);
        const c = v.measures?.['timeToConvergeUs'];
        if (c !== undefined) worst[name] = Math.max(worst[name] ?? 0, c);
        if (v.status === 'fail') failures.push({ scenario: name, seed, property: p.name,
          message: v.message, traceHash: run.traceHash });
      }
    }
  }
  return { runs, failures, worstConvergeUs: worst };
}

export function main(): void {
  const seeds = Number(process.argv[2] ?? 200);
  const report = opbSeeds(seeds, process.argv[3] ?? null);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.exitCode = report.failures.length === 0 ? 0 : 1;
}
