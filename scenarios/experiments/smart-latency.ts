/**
 * P1.9 Fig. 6 and Fig. 7: single-client latency with and without NVRAM, and latency growth per
 * added millisecond of one-way network delay (four hops on the critical path ⇒ ≈ 4 ms per ms).
 */
import type { Experiment, ExperimentTable } from './types.js';
import {
  LAN, mean, ms, runExperiment, samples, seedList, smartExperimentScenario,
} from './smart-common.js';

/** P1.9 Fig. 6: the paper's mean latencies with and without NVRAM, ms. */
const PAPER = { nvramMs: 2.98, diskMs: 8.67, savedMs: 5.69 };

function meanLatencyUs(seeds: number, diskUs: number, addedUs: number, durationUs: number): number {
  const scenario = smartExperimentScenario({ name: 'smart-latency', replicas: 3, clients: 1,
    durationUs, diskUs, addedUs });
  return mean(seedList(seeds)
    .flatMap((seed) => samples(runExperiment(scenario, seed)).map((s) => s.latencyUs)));
}

export const smartLatency: Experiment = {
  name: 'smart-latency',
  description: 'SMART single-client latency with/without NVRAM (Fig. 6) ' +
    'and per added ms of delay (Fig. 7)',
  run({ seeds, quick, onProgress }) {
    const scale = quick === true ? 40 : 1;
    const nvram = meanLatencyUs(seeds, LAN.nvramUs, 0, 6_000_000 / scale);
    onProgress?.(1, 6);
    const disk = meanLatencyUs(seeds, LAN.diskUs, 0, 12_000_000 / scale);
    onProgress?.(2, 6);
    const delays = [0, 10, 20, 30].map((addedMs, i) => {
      const latency = addedMs === 0 ? nvram : meanLatencyUs(seeds, LAN.nvramUs,
        addedMs * 1000, 40_000_000 / scale);
      onProgress?.(3 + i, 6);
      return { addedMs, latency };
    });
    const slope = (delays[3]!.latency - delays[0]!.latency) / 30 / 1000;
    const fig6: ExperimentTable = {
      title: 'Fig. 6: single-client latency (3 replicas, reads), ms',
      columns: ['setup', 'ours', 'paper'],
      rows: [['NVRAM (disk cache on)', ms(nvram), PAPER.nvramMs],
        ['no NVRAM', ms(disk), PAPER.diskMs], ['saved by NVRAM', ms(disk - nvram), PAPER.savedMs]],
    };
    // P1.9 Fig. 7, derived from the figure (≈ 4 ms per added ms from ≈ 3 ms).
    const paperDelay = [3, 43, 83, 123];
    const fig7: ExperimentTable = {
      title: 'Fig. 7: latency vs added one-way delay, ms (paper values derived from the figure)',
      columns: ['added delay (ms)', 'ours', 'paper'],
      rows: [...delays.map((d, i) => [d.addedMs, ms(d.latency),
        paperDelay[i]!] as (string | number)[]),
        ['slope (ms per ms)', Math.round(slope * 100) / 100, 4]],
    };
    return {
      name: this.name, description: this.description, tables: [fig6, fig7],
      figures: [
        { kind: 'bars', title: 'Fig. 6: single-client latency, ms', unit: 'ms',
          bars: [{ label: 'NVRAM (disk cache on)', ours: ms(nvram), paper: PAPER.nvramMs },
            { label: 'no NVRAM', ours: ms(disk), paper: PAPER.diskMs }] },
        { kind: 'bars', title: 'Fig. 7: latency vs added one-way delay, ms', unit: 'ms',
          bars: delays.map((d, i) => ({ label: `+${d.addedMs} ms per hop`, ours: ms(d.latency),
            paper: paperDelay[i]! })) },
      ],
      checks: [
        { claim: 'NVRAM saves the log write (no-NVRAM latency exceeds NVRAM by 4–7 ms)',
          ok: disk - nvram > 4000 && disk - nvram < 7000, detail: `${ms(disk - nvram)} ms` },
        { claim: 'single-client latency with NVRAM is about 3 ms (2–4 ms)',
          ok: nvram > 2000 && nvram < 4000, detail: `${ms(nvram)} ms` },
        { claim: 'latency grows about 4 ms per added ms of one-way delay (3.5–4.5)',
          ok: slope > 3.5 && slope < 4.5,
          detail: `${Math.round(slope * 100) / 100} ms/ms` },
      ],
      data: { nvramUs: Math.round(nvram), diskUs: Math.round(disk),
        delays: delays.map((d) => [d.addedMs, Math.round(d.latency)]) },
    };
  },
};
