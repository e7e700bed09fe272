/** P1.9 §6.6: two clients issuing consecutive requests, α = 10 versus α = 1 (no batching). */
import type { Experiment } from './types.js';
import {
  mean, ms, runExperiment, samples, seedList, smartExperimentScenario,
} from './smart-common.js';

function meanLatencyUs(seeds: number, clients: number, alpha: number): number {
  const scenario = smartExperimentScenario({ name: 'smart-pipelining', replicas: 3, clients, alpha,
    durationUs: 6_000_000 });
  // The paper averages one client's requests.
  return mean(seedList(seeds).flatMap((seed) => samples(runExperiment(scenario, seed))
    .filter((s) => s.client === 'c0').map((s) => s.latencyUs)));
}

export const smartPipelining: Experiment = {
  name: 'smart-pipelining',
  description: 'SMART pipelining: two concurrent clients with α=10 vs α=1 (§6.6, ' +
    '14% lower latency with α=10)',
  run({ seeds, onProgress }) {
    const single = meanLatencyUs(seeds, 1, 10);
    onProgress?.(1, 3);
    const wide = meanLatencyUs(seeds, 2, 10);
    onProgress?.(2, 3);
    const narrow = meanLatencyUs(seeds, 2, 1);
    onProgress?.(3, 3);
    const reduction = (narrow - wide) / wide;
    return {
      name: this.name, description: this.description,
      tables: [{
        title: '§6.6: mean latency of one of two concurrent clients, ms',
        columns: ['setup', 'ours', 'paper'],
        rows: [['1 client, α=10', ms(single), 2.98], ['2 clients, α=10', ms(wide), 4.3],
          ['2 clients, α=1', ms(narrow), 4.9],
          ['reduction (α=1 − α=10) / α=10', `${Math.round(reduction * 100)}%`, '14%']],
      }],
      checks: [
        { claim: 'with two clients, α=10 is faster than α=1', ok: wide < narrow,
          detail: `${ms(wide)} vs ${ms(narrow)} ms` },
        { claim: 'two clients with α=1 are slower than one client', ok: narrow > single,
          detail: `${ms(narrow)} vs ${ms(single)} ms` },
      ],
      data: { singleUs: Math.round(single), alpha10Us: Math.round(wide),
        alpha1Us: Math.round(narrow) },
    };
  },
};
