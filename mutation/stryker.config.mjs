/**
 * StrykerJS over protocol/smart and protocol/optimistic (`npm run mutation`, which runs this
 * through mutation/run.mjs). The test is each protocol's campaign (mutation/campaign.test.ts).
 * Left out, because every mutant in them is equivalent: describe.ts (trace wording of messages),
 * smart/mutants.ts (mutant descriptions), the message argument of assert() (ignorer plugin).
 */
export default {
  $schema: '../node_modules/@stryker-mutator/core/schema/stryker-schema.json',
  testRunner: 'vitest',
  vitest: { configFile: 'mutation/vitest.config.ts', related: false },
  plugins: ['@stryker-mutator/vitest-runner', './mutation/ignore-assert-messages.mjs'],
  ignorers: ['assert-messages'],
  mutate: [
    'protocol/smart/**/*.ts', 'protocol/optimistic/**/*.ts',
    '!protocol/**/describe.ts', '!protocol/smart/mutants.ts', '!protocol/**/types.ts',
  ],
  coverageAnalysis: 'perTest',
  // Timeouts (a mutant that loops) count as killed; the campaign itself takes many seconds.
  timeoutFactor: 2,
  timeoutMS: 120_000,
  // The unmutated dry run is both campaigns with coverage analysis, about a minute alone; the
  // default 5-minute limit stopped it on a machine loaded 10× its cores (2026-12-05). A wall
  // limit only stops the command here, it never decides a mutant's verdict.
  dryRunTimeoutMinutes: 30,
  concurrency: 2,
  reporters: ['json', 'progress', 'clear-text'],
  // run.mjs lists the scored survivors; a sample run would print thousands of skipped ones.
  clearTextReporter: { reportMutants: false },
  jsonReporter: { fileName: 'out/mutation/mutation.json' },
  // The sandbox needs the sources and scenarios only (reports/ is ours, not Stryker's default).
  ignorePatterns: ['dist', 'out', 'test', 'bench', 'docs', '!reports'],
  tempDirName: 'out/stryker-tmp',
  cleanTempDir: 'always',
  checkers: [],
};
