/** Every experiment `replisim experiment NAME` can run. Add new experiments here. */
import { smartDisconnect } from './smart-disconnect.js';
import { smartLatency } from './smart-latency.js';
import { smartMigration } from './smart-migration.js';
import { smartPipelining } from './smart-pipelining.js';
import { smartRepeatedMigration } from './smart-repeated-migration.js';
import type { Experiment } from './types.js';

export const experiments: readonly Experiment[] = [
  smartLatency, smartPipelining, smartDisconnect, smartMigration, smartRepeatedMigration,
];

export function findExperiment(name: string): Experiment | undefined {
  return experiments.find((e) => e.name === name);
}
