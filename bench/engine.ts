/**
 * Simulator throughput on a message-heavy run: 5 nodes of the example protocol with a 200 µs
 * heartbeat broadcast and 5 closed-loop clients, trace hashing on. Figures: simulated events per
 * CPU second (median of 5 after warm-ups; wall beside it) and peak resident memory.
 */
import { primaryCopy } from '../protocol/example/primary-copy.js';
import { parseScenario } from '../scenarios/load.js';
import { simulate } from '../simulator/sim.js';
import { TRACE_FORMAT } from '../simulator/trace.js';
import { repeat, type Timing } from './stats.js';

export function benchScenario(durationUs: number) {
  const ids = ['n1', 'n2', 'n3', 'n4', 'n5'];
  return parseScenario({
    schema: 'replisim/scenario@1', name: 'bench-broadcast', protocols: ['example'],
    params: { example: { beatUs: 200 } },
    topology: { dcs: [{ name: 'dc1', zone: 'z1' }], nodes: ids.map((id) => ({ id, dc: 'dc1' })),
      replicas: ids },
    network: { intraDc: { minUs: 100, maxUs: 300 }, loss: [1, 1000] },
    clients: { count: 5 },
    durationUs, settleUs: 0,
  }, 'bench');
}

export interface EngineFigures {
  readonly events: number;
  /** The trace encoding hashed per event (simulator/trace.ts): format 2 hashes binary tokens. */
  readonly traceFormat: number;
  /** Per second of this process's CPU time (median run): robust to other load on the machine. */
  readonly eventsPerCpuSecond: number;
  /** Per wall-clock second (median run): meaningless on a loaded machine, shown for reference. */
  readonly eventsPerWallSecond: number;
  readonly timing: Timing;
  readonly peakRssMiB: number;
}

/** `repeats` timed runs (seeds 1..repeats) after `warmUps` full-length runs (JIT). */
export function benchEngine(durationUs = 10_000_000, repeats = 5, warmUps = 2): EngineFigures {
  const scenario = benchScenario(durationUs);
  let events = 0;
  const { timing } = repeat(repeats, warmUps, (i) => {
    events = simulate({ scenario, protocol: primaryCopy, seed: i + 1 }).metrics.events;
  });
  return {
    events, traceFormat: TRACE_FORMAT,
    eventsPerCpuSecond: Math.round((events * 1000) / timing.cpuMs.median),
    eventsPerWallSecond: Math.round((events * 1000) / timing.wallMs.median),
    timing,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}
