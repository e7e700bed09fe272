/**
 * The "200 seeds per scenario" claim for SMART: runs every built-in smart scenario for a range of
 * seeds with all properties, and each mutant until its scenario catches it. Not run in CI
 * (it takes minutes); run `node dist/bench/smart-seeds.js [seeds]` after building.
 */
import { loadScenario } from '../scenarios/load.js';
import {
  huntMutant, runSmart, smartMutantScenarios, smartProtocol, smartScenarioNames,
} from '../scenarios/experiments/smart-catalog.js';
import { simulate } from '../simulator/sim.js';

export interface SmartSeedReport {
  readonly seeds: number;
  readonly scenarios: readonly { readonly name: string; readonly failures: readonly string[];
    readonly ms: number }[];
  readonly mutants: readonly { readonly mutant: string; readonly scenario: string;
    readonly seed: number | null }[];
}

export function smartSeeds(seeds = 200,
  onLine: (line: string) => void = () => {}): SmartSeedReport {
  const scenarios = smartScenarioNames().map((name) => {
    const failures: string[] = [];
    const started = Date.now();
    for (let seed = 0; seed < seeds; seed++) {
      const { failed } = runSmart(name, seed);
      if (failed.length > 0) failures.push(
        `seed ${seed}: ${failed.map((v) => `${v.property}: ${v.message}`).join(' | ')}`);
    }
    const ms = Date.now() - started;
    onLine(`${name}: ${failures.length === 0 ? 'ok' : `${failures.length} FAILED`} (${seeds}` +
      ` seeds, ${ms} ms)`);
    for (const f of failures.slice(0, 3)) onLine(`  ${f}`);
    return { name, failures, ms };
  });
  const mutants = smartMutantScenarios.map(({ mutant, scenario, trace, from }) => {
    // The claim is "within 200 seeds" (from the catalog's first seed).
    const hit = huntMutant(mutant, scenario, Math.max(seeds, 200), trace === true, from);
    onLine(
      `${mutant} @ ${scenario}: ${hit === null ? 'NOT CAUGHT' : `caught at seed ${hit.seed}`}`);
    return { mutant, scenario, seed: hit === null ? null : hit.seed };
  });
  return { seeds, scenarios, mutants };
}

/** Simulator throughput on the SMART steady-state scenario (events per wall-clock second). */
export function smartSteadyThroughput(runs = 10): { events: number; ms: number;
  eventsPerS: number } {
  const scenario = loadScenario('smart-steady');
  const started = process.hrtime.bigint();
  let events = 0;
  for (let seed = 0; seed < runs; seed++) {
    events += simulate({ scenario, protocol: smartProtocol(), seed,
      checkInvariants: false }).metrics.events;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { events, ms: Math.round(ms), eventsPerS: Math.round((events * 1000) / ms) };
}

const invokedDirectly = process.argv[1] !== undefined
  && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '');
if (invokedDirectly) {
  const seeds = Number(process.argv[2] ?? 200);
  console.log(`smart steady throughput: ${JSON.stringify(smartSteadyThroughput())}`);
  const report = smartSeeds(seeds, (line) => console.log(line));
  const bad = report.scenarios.some((s) => s.failures.length > 0)
    || report.mutants.some((m) => m.seed === null);
  process.exitCode = bad ? 1 : 0;
}
