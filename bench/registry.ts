/** Further benchmarks, by name, run after the engine benchmark. Add new ones here. */
import { benchCheckedRun } from './checked-run.js';
import { benchLincheck } from './lincheck.js';

export const extraBenches: readonly [string, () => Promise<unknown> | unknown][] = [
  // The standard checked runs users do (`replisim run`): invariants and every property on.
  ['checkedRunSmart', () => benchCheckedRun('smart-steady', 'smart')],
  ['checkedRunOpb', () => benchCheckedRun('opb-steady', 'opb')],
  ['lincheck', benchLincheck],
];
