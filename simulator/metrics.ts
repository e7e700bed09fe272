/** Run metrics derived from the history and the engine's counters. */
import type { History } from './history.js';
import type { CostMeasures, RunMetrics } from './run-record.js';

export interface Counters {
  readonly sent: number;
  readonly delivered: number;
  readonly dropped: number;
  readonly duplicates: number;
  readonly held: number;
  /** Longest PCT hold of one message (Delivery.longestHoldUs). */
  readonly longestHoldUs?: number;
  readonly persists: number;
}

/** `costs`: the cost model's measures, when the scenario has one. */
export function computeMetrics(history: History, c: Counters, events: number,
  endUs: number, costs: CostMeasures | null = null): RunMetrics {
  const ok = history.ops.filter((op) => op.status === 'ok');
  const latencies = ok.map((op) => op.return! - op.call).sort((a, b) => a - b);
  const count = (status: string): number => history.ops.filter((op) => op.status === status).length;
  return {
    events,
    messagesSent: c.sent,
    messagesDelivered: c.delivered,
    messagesDropped: c.dropped,
    duplicates: c.duplicates,
    messagesHeld: c.held,
    longestHoldUs: c.longestHoldUs ?? 0,
    persists: c.persists,
    opsOk: ok.length,
    opsFail: count('fail'),
    opsInfo: count('info'),
    throughputOpsPerS: endUs > 0 ? Math.round((ok.length * 1_000_000) / endUs) : 0,
    latencyUs: {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: latencies.length > 0 ? latencies[latencies.length - 1]! : 0,
    },
    messagesPerOp: ok.length > 0 ? Math.round(c.sent / ok.length) : 0,
    ...(costs === null ? {} : { costs }),
  };
}

/** Nearest-rank percentile of an ascending list; 0 for an empty list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
