/**
 * Run by Stryker (`npm run mutation`, mutation/vitest.config.ts), not by `npm test`: each
 * protocol's campaign must find no violation, so a mutant of protocol/ is killed exactly when
 * the campaign finds it.
 *
 * Sample runs (REPLISIM_MUTATION_SAMPLE names a JSON file `{ "ids": [...] }` of Stryker mutant
 * ids, written by mutation/run.mjs): in Stryker's dry run the test drops every other mutant from
 * the coverage it reports, so Stryker marks them NoCoverage at once instead of running them;
 * run.mjs leaves them out of the score. An empty sample skips the campaigns: that pass only
 * lists the mutants.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { runCampaign } from '../scenarios/campaign.js';

const sampleFile = process.env['REPLISIM_MUTATION_SAMPLE'];
const sample: ReadonlySet<string> | null = sampleFile === undefined || sampleFile === ''
  ? null : new Set((JSON.parse(readFileSync(sampleFile, 'utf8')) as { ids: string[] }).ids);

type Counts = Record<string, number>;
interface StrykerNs {
  activeMutant?: string | number;
  mutantCoverage?: { static: Counts; perTest: Record<string, Counts> };
}
const stryker = (): StrykerNs | undefined =>
  (globalThis as { __stryker__?: StrykerNs }).__stryker__;

/** Keeps only sampled mutants in the coverage of Stryker's dry run. */
function pruneCoverage(keep: ReadonlySet<string>): void {
  const cov = stryker()?.mutantCoverage;
  if (cov === undefined) return;
  for (const counts of [cov.static, ...Object.values(cov.perTest)]) {
    for (const id of Object.keys(counts)) if (!keep.has(id)) delete counts[id];
  }
}

/** One line per tested mutant (REPLISIM_MUTATION_LOG), to follow a long run as it goes. */
function logOutcome(protocol: string, active: string | number | undefined, what: string): void {
  const log = process.env['REPLISIM_MUTATION_LOG'];
  if (log === undefined || log === '' || active === undefined) return;
  appendFileSync(log, `${active} ${protocol} ${what}\n`);
}

for (const protocol of ['smart', 'opb']) {
  it(`the ${protocol} campaign finds no violation`, () => {
    const active = stryker()?.activeMutant;
    try {
      if (sample !== null && sample.size === 0) return;
      if (sample !== null && active !== undefined && !sample.has(String(active))) return;
      const cpu = process.cpuUsage();
      const result = runCampaign(protocol, null);
      const used = process.cpuUsage(cpu);
      logOutcome(protocol, active, `${((used.user + used.system) / 1e6).toFixed(1)} CPU-s ` +
        (result.violation === null ? 'survived'
        : `killed at step ${result.violation.index} (${result.violation.step.scenario} seed ` +
          `${result.violation.step.seed}): ${result.violation.property}`));
      expect(result.violation, JSON.stringify(result.violation)).toBeNull();
    } finally {
      if (sample !== null && active === undefined) pruneCoverage(sample);
    }
  });
}
