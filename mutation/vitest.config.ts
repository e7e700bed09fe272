/**
 * The test run Stryker uses (`npm run mutation`): only mutation/*.test.ts, which run each
 * protocol's campaign, so a mutant is killed exactly when its protocol's campaign finds it.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['mutation/*.test.ts'],
    // A campaign takes up to 20 CPU-seconds; on a shared machine the wall time is a multiple.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
