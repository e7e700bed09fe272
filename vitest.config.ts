import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const dist = (file: string): string => fileURLToPath(new URL(`./dist/api/${file}`, import.meta.url));

export default defineConfig({
  // The examples import the package by name, as a user's code does: in this checkout the names
  // resolve to the build (`npm test` builds first), as package.json's `exports` say.
  resolve: {
    alias: [
      { find: /^replisim$/, replacement: dist('index.js') },
      { find: /^replisim\/vitest$/, replacement: dist('vitest.js') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.js'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one fork fewer than the cores: one fork on CI's 2 cores, while many
    // files wait on the CLI processes they start. One fork per core ran the suite in 406 s
    // instead of 533 s there (2026-12-04), with every test passing.
    maxWorkers: availableParallelism(),
    globalSetup: ['test/helpers/scratch-root.ts'],
    // Files share their fork's module cache instead of importing the whole harness afresh:
    // on CI's 2 cores the suite ran in 521 s instead of 691 s (import time 44 s instead of
    // 204 s, 2026-12-07). A test that measures its process's peak RSS starts a fresh process
    // for it (test/bench/lincheck-memory.test.ts).
    isolate: false,
    // The JSON report lets CI print a plain "N passed, N failed" closing line.
    reporters: ['default', 'json'],
    outputFile: { json: 'out/test-results.json' },
  },
});
