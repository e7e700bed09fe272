/** Further benchmarks, by name, run after the engine benchmark. Add new ones here. */
import { benchLincheck } from './lincheck.js';
import { smartSteadyThroughput } from './smart-seeds.js';

export const extraBenches: readonly [string, () => Promise<unknown> | unknown][] = [
  ['smartSteady', () => smartSteadyThroughput(10)],
  ['lincheck', benchLincheck],
];
