/**
 * P2.9 #2: adaptation to workload changes. Diurnal load: powered-on nodes over time with power
 * saving vs static placement. Load spike: how long a node stays above capacity, with
 * balancing vs static placement.
 */
import { overloadUs } from '../../properties/opb-placement.js';
import { buildWorld } from '../../properties/opb-world.js';
import type { RunRecord } from '../../simulator/run-record.js';
import type { Experiment } from './types.js';
import { ms, runSeeds, variant, withOpbParams } from './opb-common.js';

/** Average number of powered-on nodes over [from, to), from `opb.power` observations. */
export function nodesOn(run: RunRecord, from: number, to: number): number {
  const world = buildWorld(run);
  const on = new Map<string, boolean>(world.nodes.map((n) => [n, true]));
  const events = world.obs('opb.power')
    .map((o) => ({ at: o.at, node: o.node, on: o.data.on }));
  let area = 0;
  let t = from;
  const count = (): number => [...on.values()].filter((v) => v).length;
  for (const e of events) {
    if (e.at > from && e.at < to) {
      area += count() * (e.at - t);
      t = e.at;
    }
    on.set(e.node, e.on);
    if (e.at <= from) t = from;
  }
  area += count() * (to - t);
  return area / (to - from);
}

/** Highest load any node reported (permille of capacity). */
function maxLoad(run: RunRecord): number {
  return Math.max(0, ...buildWorld(run).obs('opb.load').map((o) => o.data.load));
}

function moves(run: RunRecord): number {
  return buildWorld(run).obs('opb.move').filter((o) => o.data.phase === 'start').length;
}

const avg = (xs: readonly number[]): number =>
  xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

export const opbAdaptationExperiment: Experiment = {
  name: 'opb-adaptation',
  description: 'OPB power saving and load balancing vs static placement: ' +
    'powered-on nodes at low load, time above capacity, moves',
  run({ seeds, onProgress }) {
    const n = Math.max(1, Math.min(seeds, 10));
    const adaptive = variant('opb-diurnal', (s) => s);
    const fixed = variant('opb-diurnal',
      (s) => ({ params: withOpbParams(s, { power: false, balance: false, reorg: false }) }));
    const spikeAdaptive = variant('opb-spike', (s) => s);
    const spikeFixed = variant('opb-spike',
      (s) => ({ params: withOpbParams(s, { balance: false, reorg: false }) }));
    const rows: (string | number)[][] = [];
    const summary = new Map<string, { night: number; peak: number; over: number }>();
    const cases = [['diurnal', 'adaptive', adaptive], ['diurnal', 'static', fixed],
      ['spike', 'adaptive', spikeAdaptive], ['spike', 'static', spikeFixed]] as const;
    cases.forEach(([load, mode, sc], i) => {
      const runs = runSeeds(sc, 'opb', n)!;
      // Night: the trough of the triangle wave (first and last eighth of the period); peak: the
      // middle.
      const night = avg(runs.map((r) => nodesOn(r, 7_000_000, 8_000_000)));
      const peak = avg(runs.map((r) => nodesOn(r, 3_500_000, 4_500_000)));
      const over = Math.max(...runs.map((r) => overloadUs(buildWorld(r))));
      summary.set(`${load}/${mode}`, { night, peak, over });
      rows.push([load, mode, night.toFixed(1), peak.toFixed(1), Math.max(...runs.map(maxLoad)),
        ms(over), avg(runs.map(moves)).toFixed(1),
        ms(avg(runs.map((r) => r.metrics.latencyUs.p50))),
        ms(avg(runs.map((r) => r.metrics.latencyUs.p99)))]);
      onProgress?.(i + 1, cases.length);
    });
    const a = summary.get('diurnal/adaptive')!;
    const f = summary.get('diurnal/static')!;
    const sa = summary.get('spike/adaptive')!;
    const cool = 1_000_000;
    return {
      name: this.name, description: this.description,
      tables: [{
        title: `Adaptation (${n} seeds; night = 7-8 s, ` +
          `peak = 3.5-4.5 s of an 8 s diurnal period; load in permille of capacity)`,
        columns: ['load', 'placement', 'nodes on (night)', 'nodes on (peak)', 'max node load',
          'longest overload ms', 'moves', 'p50 ms', 'p99 ms'],
        rows,
      }],
      checks: [
        { claim: 'fewer powered-on nodes at low load than static placement', ok: a.night < f.night,
          detail: `${a.night.toFixed(1)} vs ${f.night.toFixed(1)}` },
        { claim: 'diurnal: no node above capacity longer than the cool-down', ok: a.over <= cool,
          detail: `${ms(a.over)} ms (cool-down ${ms(cool)} ms)` },
        { claim: 'spike: balancing keeps overload shorter than static placement',
          ok: sa.over <= summary.get('spike/static')!.over,
          detail: `${ms(sa.over)} vs ${ms(summary.get('spike/static')!.over)} ms` },
      ],
    };
  },
};
