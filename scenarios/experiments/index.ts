/** Every experiment `replisim experiment NAME` can run. Add new experiments here. */
import type { Experiment } from './types.js';

export const experiments: readonly Experiment[] = [];

export function findExperiment(name: string): Experiment | undefined {
  return experiments.find((e) => e.name === name);
}
