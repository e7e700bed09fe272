/**
 * P2.9 #1: availability of OPB under simulated failure patterns, side by side with SMART (a
 * majority-based baseline) on the same faults and seeds.
 */
import type { FaultEvent, Scenario } from '../../simulator/config.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { buildEndpoints } from '../../simulator/topology.js';
import type { Experiment, ExperimentTable } from './types.js';
import {
  answeredPermille, figures, ms, pct, runSeeds, variant, type RunFigures,
} from './opb-common.js';

const FAULT_US = 1_000_000;
const HEAL_US = 5_000_000;
// By DC, so clients are cut along with their data center (a `dc:` selector names both).
const LEFT = ['dc:a1', 'dc:a2', 'dc:b1'];
const RIGHT = ['dc:b2', 'dc:c1', 'dc:c2'];
const HALVES = 'partition into halves';

interface Pattern { readonly name: string; readonly faults: FaultEvent[];
  readonly clientDcs?: readonly string[] }

export const availabilityPatterns: readonly Pattern[] = [
  { name: 'primary node crash', faults: [{ at: FAULT_US, kind: 'crash', node: 'n1' }] },
  { name: 'single DC outage', faults: [{ at: FAULT_US, kind: 'crash', node: 'dc:a1' }] },
  {
    name: 'majority of group DCs (2/3)', clientDcs: ['c1'],
    faults: [{ at: FAULT_US, kind: 'crash', node: 'dc:a1' },
      { at: FAULT_US, kind: 'crash', node: 'dc:b1' }],
  },
  { name: 'zone disaster', faults: [{ at: FAULT_US, kind: 'crash', node: 'zone:za' }] },
  {
    name: HALVES,
    faults: [{ at: FAULT_US, kind: 'partition', mode: 'sides', symmetry: 'symmetric',
      sides: [LEFT, RIGHT], id: 'h' }],
  },
  {
    name: 'isolated minority DC', clientDcs: ['c1'],
    faults: [{ at: FAULT_US, kind: 'partition', mode: 'isolate', symmetry: 'symmetric',
      sides: [['dc:c1']], id: 'i' }],
  },
];

/** Answered requests of the clients on one side (their DC is in `side`). */
function sideFigures(sc: Scenario, runs: readonly RunRecord[], side: readonly string[],
  from: number, to: number): { ok: number; total: number; clients: string[] } {
  const e = buildEndpoints(sc);
  const dcs = new Set(side.map((d) => d.slice('dc:'.length)));
  const clients = e.names.slice(e.nodeCount).filter((_, i) => dcs.has(e.dcOf[e.nodeCount + i]!));
  let ok = 0;
  let total = 0;
  for (const run of runs) {
    const mine = { ...run, history: { ...run.history,
      ops: run.history.ops.filter((o) => clients.includes(o.client)) } };
    const a = answeredPermille(mine, from, to);
    ok += a.ok;
    total += a.total;
  }
  return { ok, total, clients };
}

function patternScenario(p: Pattern): Scenario {
  return variant('opb-steady', (s) => ({
    name: `opb-availability-${p.name.replace(/[^a-z0-9]+/g, '-')}`,
    durationUs: HEAL_US, settleUs: 2_500_000, faults: p.faults,
    clients: { ...s.clients, dcs: p.clientDcs ?? s.clients.dcs },
  }));
}

interface Row { readonly ok: number; readonly total: number; readonly gapUs: number;
  readonly lost: number; readonly reordered: number; readonly concurrent: number;
  readonly convergeUs: number }

function sum(fs: readonly RunFigures[]): Row {
  return {
    ok: fs.reduce((a, f) => a + f.ok, 0), total: fs.reduce((a, f) => a + f.total, 0),
    gapUs: Math.max(0, ...fs.map((f) => f.gapUs)), lost: fs.reduce((a, f) => a + f.lost, 0),
    reordered: fs.reduce((a, f) => a + Math.max(0, f.reordered), 0),
    concurrent: fs.reduce((a, f) => a + Math.max(0, f.concurrent), 0),
    convergeUs: Math.max(-1, ...fs.map((f) => f.convergeUs)),
  };
}

export const opbAvailabilityExperiment: Experiment = {
  name: 'opb-availability',
  description: 'OPB vs SMART under failure patterns: requests answered, longest outage, ' +
    'lost acked writes, concurrent primaries, time to converge',
  run({ seeds, onProgress }) {
    const rows: (string | number)[][] = [];
    const sideRows: (string | number)[][] = [];
    const checks: { claim: string; ok: boolean; detail: string }[] = [];
    const notes: string[] = [];
    const n = Math.max(1, seeds);
    availabilityPatterns.forEach((p, i) => {
      const sc = patternScenario(p);
      // Requests invoked after failover had time to happen and before the heal.
      const from = FAULT_US + 500_000;
      const to = HEAL_US;
      for (const proto of ['opb', 'smart']) {
        const runs = runSeeds(sc, proto, n);
        if (runs === null) {
          notes.push(`${proto} is not registered: its rows are skipped`);
          continue;
        }
        const r = sum(runs.map((run) => figures(run, from, to, FAULT_US)));
        const opb = proto === 'opb';
        rows.push([p.name, proto, pct(r.ok, r.total), r.total, ms(r.gapUs), r.lost,
          opb ? r.reordered : '-', opb ? r.concurrent : '-', opb ? ms(r.convergeUs) : '-']);
        if (p.name === HALVES) {
          const sides = [LEFT, RIGHT].map((side) => sideFigures(sc, runs, side, from, to));
          sides.forEach((f, k) => sideRows.push([[LEFT, RIGHT][k]!.join(' '), proto,
            f.clients.join(' '), pct(f.ok, f.total), f.total]));
          if (opb) checks.push({ claim: 'OPB answers >= 99% of requests on each side of a ' +
            'partition into halves, clients cut with their DC',
          ok: sides.every((f) => f.total > 0 && f.ok * 100 >= 99 * f.total),
          detail: sides.map((f) => `${f.ok}/${f.total}`).join(' and ') });
        }
        if (p.name.startsWith('majority')) {
          if (proto === 'opb') checks.push({ claim: 'OPB answers >= 99% of requests with ' +
            'a majority of the group\'s DCs down', ok: r.total > 0 && r.ok * 100 >= 99 * r.total,
            detail: `${r.ok}/${r.total}` });
          else checks.push({ claim: 'SMART answers no request until a majority returns',
            ok: r.ok === 0 && r.total > 0, detail: `${r.ok}/${r.total}` });
        }
      }
      onProgress?.(i + 1, availabilityPatterns.length);
    });
    const table: ExperimentTable = {
      title: `Availability under failure patterns (${n} seeds each; requests ` +
        `invoked ${(FAULT_US + 500_000) / 1e6}-${(HEAL_US - 500_000) / 1e6} s and answered ` +
        `before the heal; faults at ${FAULT_US / 1e6} s, heal at ${HEAL_US / 1e6} s)`,
      columns: ['pattern', 'protocol', 'answered before heal', 'requests', 'longest outage ms',
        'lost acked writes', 'overwritten by merge', 'concurrent primaries', 'converge ms'],
      rows,
    };
    const perSide: ExperimentTable = {
      title: 'Partition into halves, per side: clients are cut along with their DC',
      columns: ['side', 'protocol', 'clients', 'answered before heal', 'requests'],
      rows: sideRows,
    };
    return { name: this.name, description: this.description, tables: [table, perSide], checks,
      data: { notes: [...new Set(notes)] } };
  },
};
