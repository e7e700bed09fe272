/**
 * Simulator throughput on a message-heavy run: 5 nodes of the example protocol with a 200 µs
 * heartbeat broadcast and 5 closed-loop clients, trace hashing on. Figures: simulated events per
 * wall-clock second (median of 3 after a warm-up) and peak resident memory.
 */
import { primaryCopy } from '../protocol/example/primary-copy.js';
import { parseScenario } from '../scenarios/load.js';
import { simulate } from '../simulator/sim.js';

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
  /** Per wall-clock second (median run). */
  readonly eventsPerSecond: number;
  /** Per second of this process's CPU time (median run): robust to other load on the machine. */
  readonly eventsPerCpuSecond: number;
  readonly runsMs: readonly number[];
  readonly runsCpuMs: readonly number[];
  readonly peakRssMiB: number;
}

export function benchEngine(durationUs = 10_000_000, repeats = 3): EngineFigures {
  const scenario = benchScenario(durationUs);
  // Warm-up (JIT).
  simulate({ scenario: benchScenario(durationUs / 5), protocol: primaryCopy, seed: 0 });
  const runsMs: number[] = [];
  const runsCpuMs: number[] = [];
  let events = 0;
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    events = simulate({ scenario, protocol: primaryCopy, seed: i + 1 }).metrics.events;
    runsMs.push(Number(process.hrtime.bigint() - start) / 1e6);
    const used = process.cpuUsage(cpu);
    runsCpuMs.push((used.user + used.system) / 1000);
  }
  const median = (xs: number[]): number =>
    [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return {
    events,
    eventsPerSecond: Math.round((events * 1000) / median(runsMs)),
    eventsPerCpuSecond: Math.round((events * 1000) / median(runsCpuMs)),
    runsMs: runsMs.map((ms) => Math.round(ms)),
    runsCpuMs: runsCpuMs.map((ms) => Math.round(ms)),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}
