/**
 * P1.9 §6.6: two clients issuing consecutive requests, α = 10 versus α = 1 (no batching). The
 * shape comes from contention, so the experiment runs with the cost model on (LAN_CPU): a
 * second client queues behind the first at the leader, and with α = 1 also waits for the
 * first's slot to be decided before its own can be proposed.
 */
import type { Experiment } from './types.js';
import {
  LAN_CPU, mean, ms, runExperiment, samples, seedList, smartExperimentScenario,
} from './smart-common.js';

/** The bounds of the shape checks: the paper has +44 % and 14 %; ours must show the sign. */
export const PIPELINING_BOUNDS = { contentionPct: 3, pipeliningPct: 10 };

/** P1.9 §6.6 (and Fig. 6 for one client), the paper's mean latencies in ms. */
const PAPER = { single: 2.98, alpha10: 4.3, alpha1: 4.9 };

function meanLatencyUs(seeds: number, clients: number, alpha: number, costs: boolean,
  durationUs: number): number {
  const scenario = smartExperimentScenario({ name: 'smart-pipelining', replicas: 3, clients, alpha,
    durationUs, ...(costs ? LAN_CPU : { params: { checkpointUs: 0 } }) });
  // The paper averages one client's requests.
  return mean(seedList(seeds).flatMap((seed) => samples(runExperiment(scenario, seed))
    .filter((s) => s.client === 'c0').map((s) => s.latencyUs)));
}

function pct(value: number): string {
  return `${Math.round(value * 1000) / 10}%`;
}

export const smartPipelining: Experiment = {
  name: 'smart-pipelining',
  description: 'SMART pipelining: two concurrent clients with α=10 vs α=1 (§6.6, ' +
    '14% lower latency with α=10)',
  ablations: [{ name: 'costs', description: 'no cost model: only hops (0.6–0.8 ms) and log ' +
    'writes cost time (no CPU time, and saving a checkpoint takes none), so a second client ' +
    'contends for nothing' }],
  run({ seeds, ablate, quick, onProgress }) {
    if (ablate !== undefined && ablate !== 'costs') {
      throw new Error(`smart-pipelining has no ablation "${ablate}" (it has: costs)`);
    }
    const costs = ablate !== 'costs';
    const duration = quick === true ? 250_000 : 6_000_000;
    const single = meanLatencyUs(seeds, 1, 10, costs, duration);
    onProgress?.(1, 3);
    const wide = meanLatencyUs(seeds, 2, 10, costs, duration);
    onProgress?.(2, 3);
    const narrow = meanLatencyUs(seeds, 2, 1, costs, duration);
    onProgress?.(3, 3);
    const contention = (wide - single) / single;
    const reduction = (narrow - wide) / wide;
    const { contentionPct, pipeliningPct } = PIPELINING_BOUNDS;
    return {
      name: this.name, description: this.description,
      tables: [{
        title: `§6.6: mean latency of one of two concurrent clients, ms` +
          `${costs ? '' : ' (ablated: no cost model)'}`,
        columns: ['setup', 'ours', 'paper'],
        rows: [['1 client, α=10', ms(single), PAPER.single],
          ['2 clients, α=10', ms(wide), PAPER.alpha10],
          ['2 clients, α=1', ms(narrow), PAPER.alpha1],
          ['contention (2 clients − 1) / 1 at α=10', pct(contention), '44%'],
          ['reduction (α=1 − α=10) / α=10', pct(reduction), '14%']],
      }],
      checks: [
        { claim: `at α=10, two clients are at least ${contentionPct}% slower than one`,
          ok: contention * 100 >= contentionPct,
          detail: `${ms(wide)} vs ${ms(single)} ms (${pct(contention)})` },
        { claim: `with two clients, α=10 is at least ${pipeliningPct}% faster than α=1`,
          ok: reduction * 100 >= pipeliningPct,
          detail: `${ms(wide)} vs ${ms(narrow)} ms (${pct(reduction)})` },
        { claim: 'two clients with α=1 are slower than one client', ok: narrow > single,
          detail: `${ms(narrow)} vs ${ms(single)} ms` },
      ],
      figures: [{ kind: 'bars', title: '§6.6: mean latency of one client, ms', unit: 'ms',
        bars: [{ label: '1 client, α=10', ours: ms(single), paper: PAPER.single },
          { label: '2 clients, α=10', ours: ms(wide), paper: PAPER.alpha10 },
          { label: '2 clients, α=1', ours: ms(narrow), paper: PAPER.alpha1 }] }],
      data: { singleUs: Math.round(single), alpha10Us: Math.round(wide),
        alpha1Us: Math.round(narrow), costModel: costs },
    };
  },
};
