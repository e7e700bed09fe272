/**
 * P1.9 Fig. 11: 200 consecutive migrations alternating {A,B,C} ↔ {A,B,R}: how many requests
 * each migration delays, and the old leader's phases (log MIGRATE, execute it, fill the range
 * with nulls and execute them, retire after READY).
 */
import type { RunRecord } from '../../simulator/run-record.js';
import type { Experiment } from './types.js';
import {
  mean, median, ms, runExperiment, samples, seedList, smartExperimentScenario,
} from './smart-common.js';
import {
  MIGRATION_ABLATIONS, MIGRATION_BOUNDS, delayedAround, migrateFault, unfinished,
} from './smart-migration.js';

/** The null-fill ablation only: this experiment's copies are not streamed (no transfer cost). */
const ABLATIONS = MIGRATION_ABLATIONS.filter((a) => a.name === 'null-fill');

const COUNT = 200;
/** `--quick`: enough migrations to draw the figure. */
const QUICK_COUNT = 6;
const START_US = 1_000_000;
const EVERY_US = 100_000;

/**
 * P1.9 Fig. 11: share of migrations with one and two delayed requests (%), their mean latencies
 * (ms), and the old leader's four phases (ms).
 */
export const PAPER_FIG11 = {
  sharePct: [0, 17, 83, 0], oneMs: 28, twoMs: [11, 17], phasesMs: [3, 4, 12, 8],
};

function phases(run: RunRecord, count: number): number[][] {
  const at = (label: string, pred: (d: { [k: string]: unknown }) => boolean): number | undefined =>
    run.observations.find((o) => o.node === 'n1' && o.label === label
      && pred(o.data as { [k: string]: unknown }))?.at;
  const out: number[][] = [];
  for (let i = 0; i < count; i++) {
    const key = `migrate:r${i}`;
    const proposed = at('propose', (d) => d['command'] === key);
    const decided = at('decide', (d) => d['command'] === key);
    const executed = at('cfg', (d) => d['config'] === i + 2);
    const finished = at('finished', (d) => d['config'] === i + 1);
    const retired = at('retire', (d) => d['config'] === i + 1);
    if ([proposed, decided, executed, finished, retired].some((t) => t === undefined)) continue;
    out.push([decided! - proposed!, executed! - decided!, finished! - executed!,
      retired! - finished!]);
  }
  return out;
}

export const smartRepeatedMigration: Experiment = {
  name: 'smart-repeated-migration',
  description: 'SMART: 200 consecutive migrations {A,B,C}↔{A,B,R}; ' +
    'delayed requests and leader phases (Fig. 11)',
  ablations: ABLATIONS.map(({ name, description }) => ({ name, description })),
  run({ seeds, ablate, quick, onProgress }) {
    const ablation = ABLATIONS.find((a) => a.name === ablate);
    if (ablate !== undefined && ablation === undefined) {
      throw new Error(`smart-repeated-migration has no ablation "${ablate}" (it has: ` +
        `${ABLATIONS.map((a) => a.name).join(', ')})`);
    }
    const count = quick === true ? QUICK_COUNT : COUNT;
    const faults = Array.from({ length: count }, (_, i) =>
      migrateFault(START_US + i * EVERY_US, `r${i}`,
        i % 2 === 0 ? ['n1', 'n2', 'n4'] : ['n1', 'n2', 'n3']));
    const scenario = smartExperimentScenario({ name: 'smart-repeated-migration', replicas: 3,
      spares: 1, clients: 1,
      durationUs: START_US + count * EVERY_US + 500_000, faults });
    const histogram = [0, 0, 0, 0];
    const firsts: number[] = [];
    const seconds: number[] = [];
    const ones: number[] = [];
    const phaseRows: number[][] = [];
    let costly = 0;
    const runs = seedList(Math.min(seeds, 3));
    for (const seed of runs) {
      const run = runExperiment(scenario, seed, ablation?.mutant ?? null);
      const all = samples(run);
      const typical = median(all.map((s) => s.latencyUs));
      for (let i = 0; i < count; i++) {
        const at = START_US + i * EVERY_US;
        const d = [...delayedAround(all, at, typical), ...unfinished(run, at)]
          .map((s) => s.latencyUs);
        if (d.reduce((a, x) => a + x - typical, 0) > MIGRATION_BOUNDS.extraMs * 1000) costly++;
        histogram[Math.min(d.length, 3)]!++;
        if (d.length === 1) ones.push(d[0]!);
        if (d.length >= 2) [firsts, seconds].forEach((list, k) => list.push(d[k]!));
      }
      phaseRows.push(...phases(run, count));
      onProgress?.(seed + 1, runs.length);
    }
    const total = count * runs.length;
    const share = (n: number): number => Math.round((n / total) * 100);
    const pct = (n: number): string => `${share(n)}%`;
    const phase = (k: number): number => ms(mean(phaseRows.map((p) => p[k]!)));
    const paper = PAPER_FIG11;
    const phaseNames = ['1 log MIGRATE', '2 execute it (JOIN, propose nulls)',
      '3 nulls logged and executed', '4 final checkpoint / READY quorum'];
    const histogramLabels = ['0', '1', '2', '3 or more'];
    const orNull = (values: number[]): number | null =>
      values.length === 0 ? null : ms(mean(values));
    return {
      name: this.name, description: this.description,
      tables: [
        { title: 'Fig. 11: delayed requests per migration',
          columns: ['delayed requests', 'share (ours)', 'mean latency (ours, ms)', 'paper'],
          rows: [['0', pct(histogram[0]!), '-', '-'],
            ['1', pct(histogram[1]!), orNull(ones) ?? '-',
              `${paper.sharePct[1]}%, ${paper.oneMs} ms`],
            ['2', pct(histogram[2]!),
              firsts.length === 0 ? '-' : `${orNull(firsts)} and ${orNull(seconds)}`,
              `${paper.sharePct[2]}%, ${paper.twoMs[0]} and ${paper.twoMs[1]} ms`],
            ['3 or more', pct(histogram[3]!), '-', '0%']] },
        { title: 'Fig. 11: old leader phases, ms', columns: ['phase', 'ours', 'paper'],
          rows: phaseNames.map((name, k) => [name, phase(k), paper.phasesMs[k]!]) },
      ],
      figures: [
        { kind: 'bars', title: `Fig. 11: delayed requests per migration (histogram of ${total} ` +
          'migrations)', unit: '% of migrations',
        bars: histogramLabels.map((label, k) => ({ label: `${label} delayed`,
          ours: share(histogram[k]!), paper: paper.sharePct[k]! })) },
        { kind: 'bars', title: 'Fig. 11: latency of the delayed requests, ms', unit: 'ms',
          bars: [{ label: 'one delayed: its latency', ours: orNull(ones), paper: paper.oneMs },
            { label: 'two delayed: the first', ours: orNull(firsts), paper: paper.twoMs[0]! },
            { label: 'two delayed: the second', ours: orNull(seconds),
              paper: paper.twoMs[1]! }] },
        { kind: 'bars', title: 'Fig. 11: the old leader’s four phases, ms', unit: 'ms',
          bars: phaseNames.map((label, k) => ({ label, ours: phase(k),
            paper: paper.phasesMs[k]! })) },
      ],
      checks: [
        { claim: 'every migration completes', ok: phaseRows.length === total,
          detail: `${phaseRows.length} of ${total}` },
        { claim: `a migration's delayed requests cost at most ${MIGRATION_BOUNDS.extraMs} ms ` +
          'beyond the typical latency (at least 95% of migrations)',
        ok: costly <= total * 0.05, detail: `${costly} of ${total} cost more; ` +
          `${histogram[3]} delayed three or more` },
      ],
      data: { histogram, phases: phaseRows.length, ablated: ablation?.name ?? null },
    };
  },
};
