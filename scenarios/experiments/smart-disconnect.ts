/**
 * P1.9 Fig. 8 and §6.7: disconnecting a non-leader changes nothing (the fastest quorum decides);
 * disconnecting the leader stalls the next request for about the 3 s suspicion timeout.
 */
import type { FaultEvent } from '../../simulator/config.js';
import type { Experiment } from './types.js';
import {
  mean, ms, runExperiment, samples, seedList, smartExperimentScenario, timelinePoints,
  type Sample,
} from './smart-common.js';

/** P1.9 Fig. 8 and §6.7, the paper's values (ms). */
const PAPER = { followerMs: 2.6, leaderStallMs: 3_100 };

/** When the cut happens and each run ends; `--quick` runs shorter streams. */
const TIMES = { cutUs: 3_000_000, followerUs: 6_000_000, leaderUs: 9_000_000 };
const QUICK_TIMES = { cutUs: 600_000, followerUs: 1_200_000, leaderUs: 4_000_000 };

function disconnect(node: string, at: number): FaultEvent[] {
  return [{ at, kind: 'partition', mode: 'isolate', symmetry: 'symmetric',
    sides: [[node]] }];
}

export const smartDisconnect: Experiment = {
  name: 'smart-disconnect',
  description: 'SMART disconnection: non-leader (no pause, Fig. 8) and leader (≈ timeout, §6.7)',
  run({ seeds, quick, onProgress }) {
    const { cutUs, followerUs, leaderUs } = quick === true ? QUICK_TIMES : TIMES;
    const follower = smartExperimentScenario({ name: 'smart-disconnect-follower',
      replicas: 3, clients: 1, durationUs: followerUs, faults: disconnect('n3', cutUs) });
    const leader = smartExperimentScenario({ name: 'smart-disconnect-leader',
      replicas: 3, clients: 1,
      durationUs: leaderUs, requestTimeoutUs: 500_000, faults: disconnect('n1', cutUs) });
    const before: number[] = [];
    const after: number[] = [];
    const stalls: number[] = [];
    const shown: { follower: Sample[]; leader: Sample[] } = { follower: [], leader: [] };
    for (const seed of seedList(seeds)) {
      const cut = samples(runExperiment(follower, seed));
      for (const s of cut) (s.call < cutUs ? before : after).push(s.latencyUs);
      const around = samples(runExperiment(leader, seed));
      if (seed === 0) Object.assign(shown, { follower: cut, leader: around });
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
        rows: [['non-leader C cut: mean before', ms(mean(before)), PAPER.followerMs],
          ['non-leader C cut: mean after', ms(mean(after)), PAPER.followerMs],
          ['leader cut: the stalled request', ms(stall), PAPER.leaderStallMs]],
      }],
      figures: [
        { kind: 'timeline', title: 'Fig. 8: request latency, non-leader C disconnected ' +
          '(seed 0)', series: [{ label: 'ours', points: timelinePoints(shown.follower) }],
        marks: [{ x: cutUs / 1e6, label: 'C disconnected' }],
        paper: [{ y: PAPER.followerMs, label: `paper: ${PAPER.followerMs} ms` }] },
        { kind: 'timeline', title: '§6.7: request latency, leader A disconnected (seed 0)',
          series: [{ label: 'ours', points: timelinePoints(shown.leader) }],
          marks: [{ x: cutUs / 1e6, label: 'A disconnected' }], logY: true,
          paper: [{ y: PAPER.leaderStallMs, label: `paper: ${PAPER.leaderStallMs} ms` }] },
      ],
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
