/** Further benchmarks, by name, run after the engine benchmark. Add new ones here. */
import { benchLincheck } from './lincheck.js';

export const extraBenches: readonly [string, () => Promise<unknown> | unknown][] = [
  ['lincheck', benchLincheck],
];
