/**
 * P1.9 Fig. 8 and §6.7: disconnecting a non-leader changes nothing (the fastest quorum decides);
 * disconnecting the leader stalls the next request for about the 3 s suspicion timeout.
 */
import type { FaultEvent } from '../../simulator/config.js';
import type { Experiment } from './types.js';
import {
  mean, ms, runExperiment, samples, seedList, smartExperimentScenario,
} from './smart-common.js';

const CUT_US = 3_000_000;

function disconnect(node: string): FaultEvent[] {
  return [{ at: CUT_US, kind: 'partition', mode: 'isolate', symmetry: 'symmetric',
    sides: [[node]] }];
}

export const smartDisconnect: Experiment = {
  name: 'smart-disconnect',
  description: 'SMART disconnection: non-leader (no pause, Fig. 8) and leader (≈ timeout, §6.7)',
  run({ seeds, onProgress }) {
    const follower = smartExperimentScenario({ name: 'smart-disconnect-follower',
      replicas: 3, clients: 1,
      durationUs: 6_000_000, faults: disconnect('n3') });
    const leader = smartExperimentScenario({ name: 'smart-disconnect-leader',
      replicas: 3, clients: 1,
      durationUs: 9_000_000, requestTimeoutUs: 500_000, faults: disconnect('n1') });
    const before: number[] = [];
    const after: number[] = [];
    const stalls: number[] = [];
    for (const seed of seedList(seeds)) {
      for (const s of samples(runExperiment(follower, seed)))
        (s.call < CUT_US ? before : after).push(s.latencyUs);
      const around = samples(runExperiment(leader, seed));
      stalls.push(Math.max(...around.map((s) => s.latencyUs)));
      onProgress?.(seed + 1, seeds);
    }
    const stall = mean(stalls);
    const change = Math.abs(mean(after) - mean(before)) / mean(before);
    return {
      name: this.name, description: this.description,
      tables: [{
        title: 'Fig. 8 / §6.7: latency around a disconnection, ms',
        columns: ['setup', 'ours', 'paper'],
        rows: [['non-leader C cut: mean before', ms(mean(before)), 2.6],
          ['non-leader C cut: mean after', ms(mean(after)), 2.6],
          ['leader cut: the stalled request', ms(stall), 3100]],
      }],
      checks: [
        { claim: 'disconnecting a non-leader causes no pause (mean within 10%)', ok: change < 0.1,
          detail: `${Math.round(change * 1000) / 10}% change` },
        { claim: 'disconnecting the leader stalls one request for about the 3 s timeout (2.5–4 s)',
          ok: stall > 2_500_000 && stall < 4_000_000, detail: `${ms(stall)} ms` },
      ],
      data: { beforeUs: Math.round(mean(before)), afterUs: Math.round(mean(after)),
        stallUs: Math.round(stall) },
    };
  },
};
