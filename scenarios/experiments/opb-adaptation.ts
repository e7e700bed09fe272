/**
 * P2.9 #2: adaptation to workload changes. Diurnal load: powered-on nodes over time with power
 * saving vs a fair static placement (replicas never move, and a node that hosts no replica may
 * sleep, so the baseline is not charged for nodes nobody uses). Load spike: how long a node stays
 * above capacity, with balancing vs static placement. Overload is judged against Cmax, the
 * consolidation target (Hasebe et al. keep powered-on nodes near it, ≈ 67 %).
 */
import { longestAboveUs } from '../../properties/opb-placement.js';
import {
  buildWorld, SAMPLE_US, snapshot, STALE_US, type World,
} from '../../properties/opb-world.js';
import type { RunRecord } from '../../simulator/run-record.js';
import type { Experiment } from './types.js';
import { ms, runSeeds, variant, withOpbParams } from './opb-common.js';

/** The paper's anchor: consolidation keeps powered-on nodes loaded near Cmax. */
const PAPER_LOAD_PCT = 67;

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

/** Nodes that are members of some group at `at`, by the groups' primaries (not the nodes). */
function hosting(world: World, at: number): Set<string> {
  const nodes = new Set<string>();
  for (const svc of world.services) {
    for (const d of snapshot(world, svc, at, STALE_US)) {
      if (d.role === 'primary') for (const m of d.members) nodes.add(m);
    }
  }
  return nodes;
}

/** The fair static baseline's powered-on nodes over [from, to): those hosting a replica. */
export function nodesHosting(run: RunRecord, from: number, to: number): number {
  const world = buildWorld(run);
  let sum = 0;
  let samples = 0;
  for (let t = from; t < to; t += SAMPLE_US, samples++) sum += hosting(world, t).size;
  return sum / Math.max(1, samples);
}

/** Mean reported load (permille) of the nodes counted as on in [from, to). */
function meanLoadOn(run: RunRecord, from: number, to: number, fair: boolean): number {
  const world = buildWorld(run);
  const loads = world.obs('opb.load').filter((o) => o.at >= from && o.at < to
    && (fair ? hosting(world, o.at).has(o.node) : o.data.on));
  return loads.reduce((a, o) => a + o.data.load, 0) / Math.max(1, loads.length);
}

/** Longest replica move, from its start to its end (done, abort or refused). */
function longestMoveUs(run: RunRecord): number {
  const open = new Map<string, number>();
  let worst = 0;
  for (const o of buildWorld(run).obs('opb.move')) {
    const key = `${o.data.service}|${o.data.add}|${o.data.drop}`;
    const start = open.get(key);
    if (o.data.phase === 'start') open.set(key, o.at);
    else if (start !== undefined) {
      worst = Math.max(worst, o.at - start);
      open.delete(key);
    }
  }
  return worst;
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
const opbParam = (run: RunRecord, key: string): number => Number(run.params[key]);

export const opbAdaptationExperiment: Experiment = {
  name: 'opb-adaptation',
  description: 'OPB power saving and load balancing vs a fair static placement: ' +
    'powered-on nodes and their load at low load, time above Cmax and capacity, moves',
  ablations: [
    { name: 'power', description: 'no power saving in the adaptive arm (static in all but name)' },
    { name: 'balance', description: 'no load balancing in the adaptive arms' },
  ],
  run({ seeds, ablate, onProgress }) {
    const n = Math.max(1, Math.min(seeds, 10));
    const adaptive = variant('opb-diurnal', (s) => (ablate === undefined ? s
      : { params: withOpbParams(s, { [ablate]: false }) }));
    const fixed = variant('opb-diurnal',
      (s) => ({ params: withOpbParams(s, { power: false, balance: false, reorg: false }) }));
    const spikeAdaptive = variant('opb-spike', (s) => (ablate === 'balance'
      ? { params: withOpbParams(s, { balance: false, reorg: false }) } : s));
    const spikeFixed = variant('opb-spike',
      (s) => ({ params: withOpbParams(s, { balance: false, reorg: false }) }));
    const rows: (string | number)[][] = [];
    const summary = new Map<string, { night: number; load: number; overCmax: number;
      over: number; bound: number; cmax: number }>();
    const cases = [['diurnal', 'adaptive', adaptive], ['diurnal', 'static', fixed],
      ['spike', 'adaptive', spikeAdaptive], ['spike', 'static', spikeFixed]] as const;
    cases.forEach(([load, mode, sc], i) => {
      const runs = runSeeds(sc, 'opb', n)!;
      const fair = mode === 'static';
      const on = fair ? nodesHosting : nodesOn;
      // Night: the trough of the triangle wave (the last eighth of the period); peak: the middle.
      const night = avg(runs.map((r) => on(r, 7_000_000, 8_000_000)));
      const peak = avg(runs.map((r) => on(r, 3_500_000, 4_500_000)));
      const nightLoad = avg(runs.map((r) => meanLoadOn(r, 7_000_000, 8_000_000, fair)));
      const cmax = 10 * opbParam(runs[0]!, 'cmaxPct');
      const overCmax = Math.max(...runs.map((r) => longestAboveUs(buildWorld(r), cmax)));
      const over = Math.max(...runs.map((r) => longestAboveUs(buildWorld(r), 1000)));
      // P2.7: a node may stay above Cmax for the cool-down plus the time a move takes.
      const bound = opbParam(runs[0]!, 'coolUs') + Math.max(...runs.map(longestMoveUs));
      summary.set(`${load}/${mode}`, { night, load: nightLoad, overCmax, over, bound, cmax });
      rows.push([load, mode, night.toFixed(1), peak.toFixed(1),
        `${(nightLoad / 10).toFixed(0)}%`, Math.max(...runs.map(maxLoad)), ms(overCmax),
        ms(over), avg(runs.map(moves)).toFixed(1),
        ms(avg(runs.map((r) => r.metrics.latencyUs.p50))),
        ms(avg(runs.map((r) => r.metrics.latencyUs.p99)))]);
      onProgress?.(i + 1, cases.length);
    });
    const a = summary.get('diurnal/adaptive')!;
    const f = summary.get('diurnal/static')!;
    const sa = summary.get('spike/adaptive')!;
    const sf = summary.get('spike/static')!;
    return {
      name: this.name, description: this.description,
      tables: [{
        title: `Adaptation (${n} seeds; night = 7-8 s, peak = 3.5-4.5 s of an 8 s diurnal ` +
          `period; on = powered-on nodes; static: nodes hosting no replica sleep; load in ` +
          `permille of capacity; longest time over Cmax / capacity; paper: powered-on nodes ` +
          `near Cmax ≈ ${PAPER_LOAD_PCT}%)`,
        columns: ['load', 'placement', 'on night', 'on peak', 'load of on (night)',
          'max load', 'over Cmax ms', 'over cap ms', 'moves', 'p50 ms', 'p99 ms'],
        rows,
      }],
      checks: [
        { claim: 'fewer powered-on nodes at low load than a fair static placement',
          ok: a.night < f.night, detail: `${a.night.toFixed(1)} vs ${f.night.toFixed(1)}` },
        { claim: 'consolidation loads powered-on nodes more than static placement, up to Cmax',
          ok: a.load > f.load && a.load <= a.cmax,
          detail: `${(a.load / 10).toFixed(0)}% vs ${(f.load / 10).toFixed(0)}% ` +
            `(Cmax ${a.cmax / 10}%, paper ≈ ${PAPER_LOAD_PCT}%)` },
        { claim: 'diurnal: no node above Cmax longer than the cool-down plus a move',
          ok: a.overCmax <= a.bound, detail: `${ms(a.overCmax)} ms (bound ${ms(a.bound)} ms)` },
        { claim: 'spike: balancing keeps overload shorter than static placement',
          ok: sa.over < sf.over, detail: `${ms(sa.over)} vs ${ms(sf.over)} ms` },
      ],
    };
  },
};
