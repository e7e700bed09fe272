/** Shared helpers of the OPB experiments: run a scenario variant over seeds and collect figures. */
import { findProtocol } from '../../protocol/registry.js';
import type { Json } from '../../protocol/types.js';
import { countAnomalies } from '../../properties/anomalies.js';
import { opbAnomalies } from '../../properties/opb-availability.js';
import { convergence } from '../../properties/opb-convergence.js';
import { buildWorld } from '../../properties/opb-world.js';
import { opbNoLossWithoutFork } from '../../properties/opb-c6-no-loss.js';
import type { FaultEvent, Scenario } from '../../simulator/config.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';
import { loadScenario } from '../load.js';

export function variant(name: string, change: (s: Scenario) => Partial<Scenario>): Scenario {
  const base = loadScenario(name);
  return { ...base, ...change(base) };
}

export function withOpbParams(s: Scenario,
  params: { readonly [k: string]: Json }): Scenario['params'] {
  return { ...s.params, opb: { ...(s.params['opb'] ?? {}), ...params } };
}

export function runSeeds(scenario: Scenario, protocol: string, seeds: number,
  mutant: string | null = null): RunRecord[] | null {
  const p = findProtocol(protocol);
  if (p === undefined) return null;
  const runs: RunRecord[] = [];
  for (let seed = 0; seed < seeds; seed++) runs.push(simulate({ scenario, protocol: p,
    seed, mutant }));
  return runs;
}

/** Operations invoked in [from, to − 0.5 s) and how many were answered ok before `to`. */
export function answeredPermille(run: RunRecord, from: number, to: number): { ok: number;
  total: number } {
  const ops = run.history.ops.filter((o) => o.call >= from && o.call < to - 500_000);
  return { ok: ops.filter((o) => o.status === 'ok' && o.return! < to).length, total: ops.length };
}

/** Longest time in [from, to) without any completed operation. */
export function longestGapUs(run: RunRecord, from: number, to: number): number {
  const done = run.history.ops.filter((o) => o.status === 'ok' && o.return! >= from
    && o.return! < to).map((o) => o.return!).sort((a, b) => a - b);
  let last = from;
  let worst = 0;
  for (const t of [...done, to]) {
    worst = Math.max(worst, t - last);
    last = t;
  }
  return worst;
}

export interface RunFigures {
  readonly ok: number;
  readonly total: number;
  readonly gapUs: number;
  /** Acked writes missing at the end (OPB: from the converged history, C6). */
  readonly lost: number;
  /**
   * OPB only: acked writes the history shows missing at the last read although the converged
   * history holds them — overwritten by a re-executed (reordered) orphan under `merge`.
   */
  readonly reordered: number;
  readonly concurrent: number;
  readonly convergeUs: number;
}

export function figures(run: RunRecord, from: number, to: number, gapFrom = from): RunFigures {
  const a = answeredPermille(run, from, to);
  const missing = countAnomalies(run.history.ops).lostAckedWrites;
  if (run.protocol !== 'opb') return { ...a, gapUs: longestGapUs(run, gapFrom, to), lost: missing,
    reordered: -1, concurrent: -1, convergeUs: -1 };
  const world = buildWorld(run);
  const c = convergence(world, run.faultWindowEndUs);
  const converge = Math.max(0, ...[...c.convergeUs.values()]);
  const lost = Number(opbNoLossWithoutFork.check(run).measures?.['lostAckedWrites'] ?? missing);
  return { ...a, gapUs: longestGapUs(run, gapFrom, to), lost,
    reordered: Math.max(0, missing - lost),
    concurrent: opbAnomalies(world).concurrentPrimaryPeriods, convergeUs: converge };
}

export const pct = (ok: number, total: number): string =>
  (total === 0 ? '-' : `${((100 * ok) / total).toFixed(1)}%`);
export const ms = (us: number): string => (us < 0 ? '-' : `${Math.round(us / 1000)}`);

export function shiftFaults(faults: readonly FaultEvent[], at: number): FaultEvent[] {
  return faults.map((f) => ({ ...f, at: f.at + at }));
}
