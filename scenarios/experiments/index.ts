/** Every experiment `replisim experiment NAME` can run. Add new experiments here. */
import { smartDisconnect } from './smart-disconnect.js';
import { smartLatency } from './smart-latency.js';
import { smartMigration } from './smart-migration.js';
import { smartPipelining } from './smart-pipelining.js';
import { smartRepeatedMigration } from './smart-repeated-migration.js';
import { opbAdaptationExperiment } from './opb-adaptation.js';
import { opbAvailabilityExperiment } from './opb-availability.js';
import { opbNextDisasterExperiment } from './opb-next-disaster.js';
import type { Experiment } from './types.js';

export const experiments: readonly Experiment[] = [
  smartLatency, smartPipelining, smartDisconnect, smartMigration, smartRepeatedMigration,
  opbAvailabilityExperiment, opbAdaptationExperiment, opbNextDisasterExperiment,
];

export function findExperiment(name: string): Experiment | undefined {
  return experiments.find((e) => e.name === name);
}
