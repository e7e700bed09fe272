/** RunRecords for checker tests: a minimal hand-made one, or a real run without its checks. */
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { HistoryOp } from '../../simulator/history.js';
import type {
  NodeEvent, Observation, ReplyFact, RequestTimeout, RunRecord,
} from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

export function fakeRun(parts: { ops?: HistoryOp[]; observations?: Observation[];
  nodeEvents?: NodeEvent[]; replies?: ReplyFact[]; requestTimeouts?: RequestTimeout[];
  faultWindowEndUs?: number; endUs?: number }): RunRecord {
  return {
    scenario: 'fake', protocol: 'fake', seed: 0, mutant: null, traceHash: '0'.repeat(64),
    endUs: parts.endUs ?? 1_000_000,
    faultWindowEndUs: parts.faultWindowEndUs ?? 500_000, params: {}, replicas: [], endpoints: [],
    claimsLinearizable: true, faults: [],
    history: { schema: 'replisim/history@1', ops: parts.ops ?? [] },
    observations: parts.observations ?? [], nodeEvents: parts.nodeEvents ?? [], failures: [],
    replies: parts.replies ?? [], requestTimeouts: parts.requestTimeouts ?? [], trace: null,
    metrics: { events: 0, messagesSent: 0, messagesDelivered: 0, messagesDropped: 0,
      duplicates: 0, messagesHeld: 0, longestHoldUs: 0, persists: 0,
      opsOk: 0, opsFail: 0, opsInfo: 0, throughputOpsPerS: 0,
      latencyUs: { p50: 0, p90: 0, p99: 0, max: 0 }, messagesPerOp: 0 },
  };
}

/**
 * A built-in scenario simulated with its trace and message record kept, and no property checked
 * (tests of one property would only pay for the others).
 */
export function recordedRun(scenario: string, protocol: string, seed: number,
  mutant: string | null = null): RunRecord {
  return simulate({ scenario: loadScenario(scenario), protocol: findProtocol(protocol)!, seed,
    keepTrace: true, mutant });
}

const recorded = new Map<string, RunRecord>();
/** `recordedRun`, simulated once per test file (the tests only read it). */
export function recordedOnce(scenario: string, protocol: string, seed: number,
  mutant: string | null = null): RunRecord {
  const key = `${scenario}|${protocol}|${seed}|${mutant ?? '-'}`;
  if (!recorded.has(key)) recorded.set(key, recordedRun(scenario, protocol, seed, mutant));
  return recorded.get(key)!;
}

/** `r` without the observations `drop` names; throws if it names none (an edit that missed). */
export function withoutObservations(r: RunRecord, drop: (o: Observation) => boolean): RunRecord {
  const observations = r.observations.filter((o) => !drop(o));
  if (observations.length === r.observations.length) throw new Error('no observation dropped');
  return { ...r, observations };
}
