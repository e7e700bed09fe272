/**
 * P1.9 Fig. 11: 200 consecutive migrations alternating {A,B,C} ↔ {A,B,R} on the cost model
 * (LAN_CPU): how many requests each migration delays, and the old leader's four phases (log
 * MIGRATE, execute it, log and execute the nulls, save the final-state checkpoint), measured
 * from the run's observations (smart-migration-phases.ts).
 *
 * Why a migration delays two requests (the trace of a migration): the first is a request the
 * leader handles while MIGRATE is being logged (phase 1): it takes an old-range slot after
 * MIGRATE and waits behind phase 2 (executing MIGRATE proposes every remaining old-range slot
 * at once, so a request handled after that step finds the range full). The next request goes
 * to the new configuration and waits out phases 3–4 (the one delayed request of 17 % in the
 * paper, 28 ms: phases 2–4). Phase 2 is the leader's CPU time sending JOINs and nine null
 * PROPOSEs to each follower (the cost model's `sendUs`); without a send cost it is one short
 * step and most migrations delay one request (`--ablate send-cost`). R, back after one
 * configuration away, gets the ~37 slots it missed in one incremental state copy (a
 * DECIDED-RANGE, P1.6 step 5) from each machine it asks (FINISHED senders and the leader).
 *
 * GAP (two delayed in 52 %, paper 83 %; the check's 50 % passes narrowly since the fix of explore
 * seed 952098 shifted the clients' timing: 46 % before): 52 % of migrations get a request in
 * phase 1, and each of those delays two. Phase 1 (1.9 ms) is a client request's log
 * round (1.6 ms, the same PROPOSE, log write and LOGGED) plus 0.3 ms of contention with the
 * client's request in flight; the paper's 3 ms is ≈ 1.5 ms more than its request's log round
 * (derived from Fig. 6), and nothing the paper says phase 1 holds is particular to MIGRATE.
 * The report's tables show both. Probes (not modelled, docs/smart.md): a MIGRATE-only 1.1 ms
 * (phase 1 3.1 ms) gives every migration an old-range request but still 50 % two delayed with
 * the nulls proposed after the step's execution loop, 199 of 200 with them proposed inside
 * MIGRATE's execution (P1.6's sketch, what the leader now does). That order alone changes
 * nothing here (46 % then): with our phase 1 no old-range request is decided before MIGRATE runs.
 */
import type { Experiment } from './types.js';
import {
  LAN_CPU, mean, median, ms, runExperiment, samples, seedList, smartExperimentScenario,
} from './smart-common.js';
import { migrationPhases, requestLogRoundsUs } from './smart-migration-phases.js';
import {
  MIGRATION_ABLATIONS, MIGRATION_BOUNDS, delayedAround, migrateFault, unfinished,
} from './smart-migration.js';

/**
 * Null fill (smart-migration's; this experiment's copies are not streamed, so its transfer
 * ablations switch nothing off here), the cost model's CPU time, and the checkpoint's pause.
 */
const ABLATIONS = [...MIGRATION_ABLATIONS.filter((a) => a.name === 'null-fill'),
  { name: 'cpu', mutant: null, description: 'the hop-only LAN (no CPU time per event): the ' +
    'nine nulls no longer queue at the followers, so phase 3 shrinks to a round trip' },
  { name: 'checkpoint-pause', mutant: null, description: 'saving a checkpoint takes no time ' +
    '(checkpointUs 0): execution never waits, so phase 4 vanishes' },
  { name: 'send-cost', mutant: null, description: 'sending costs the sender no CPU (sendUs 0): ' +
    'executing MIGRATE (JOINs, nine null PROPOSEs per follower) is one short step, so phase 2 ' +
    'nearly vanishes and most migrations delay one request, not two' }];

/**
 * The bounds of the shape checks: phases 2, 3 and 4 (the ones the send cost, contention and the
 * checkpoint explain) within a factor `phaseFactor` of the paper's, either way; and two delayed
 * requests in at least `twoDelayedPct` % of migrations (paper 83 %, the rest one).
 */
export const PHASE_BOUNDS = { phaseFactor: 2, twoDelayedPct: 50 };

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
  /**
   * DERIVED, not measured by the paper: a client request's log round (PROPOSE, the log write,
   * LOGGED), two of the four hops of Fig. 6's 2.98 ms plus its NVRAM write.
   */
  requestLogRoundMs: 1.5,
};

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
    const costs = ablation?.name === 'cpu' ? {}
      : ablation?.name === 'send-cost' ? { ...LAN_CPU, costs: { ...LAN_CPU.costs!, sendUs: 0 } }
        : LAN_CPU;
    const params = ablation?.name === 'checkpoint-pause' ? { checkpointUs: 0 } : {};
    const scenario = smartExperimentScenario({ name: 'smart-repeated-migration', replicas: 3,
      spares: 1, clients: 1, ...costs, params,
      durationUs: START_US + count * EVERY_US + 500_000, faults });
    const histogram = [0, 0, 0, 0];
    const firsts: number[] = [];
    const seconds: number[] = [];
    const ones: number[] = [];
    const phaseRows: number[][] = [];
    /** Proposal → decision of the client requests, at the same leader (phase 1's baseline). */
    const logRounds: number[] = [];
    /** Per migration: a request took an old-range slot after MIGRATE; how many it delayed. */
    const oldRange: { took: boolean; delayed: number }[] = [];
    let costly = 0;
    const runs = seedList(Math.min(seeds, 3));
    for (const seed of runs) {
      const run = runExperiment(scenario, seed, ablation?.mutant ?? null, true);
      const all = samples(run);
      const typical = median(all.map((s) => s.latencyUs));
      const measured = migrationPhases(run, count);
      logRounds.push(...requestLogRoundsUs(run));
      for (let i = 0; i < count; i++) {
        const at = START_US + i * EVERY_US;
        const d = [...delayedAround(all, at, typical), ...unfinished(run, at)]
          .map((s) => s.latencyUs);
        if (d.reduce((a, x) => a + x - typical, 0) > MIGRATION_BOUNDS.extraMs * 1000) costly++;
        histogram[Math.min(d.length, 3)]!++;
        if (d.length === 1) ones.push(d[0]!);
        if (d.length >= 2) [firsts, seconds].forEach((list, k) => list.push(d[k]!));
        const m = measured[i];
        if (m === null || m === undefined) continue;
        phaseRows.push([...m.phasesUs]);
        oldRange.push({ took: m.oldRangeRequests > 0, delayed: d.length });
      }
      onProgress?.(seed + 1, runs.length);
    }
    const total = count * runs.length;
    const share = (n: number): number => Math.round((n / total) * 100);
    const pct = (n: number): string => `${share(n)}%`;
    const phase = (k: number): number => ms(mean(phaseRows.map((p) => p[k]!)));
    const paper = PAPER_FIG11;
    const phaseNames = ['1 log MIGRATE', '2 execute it (JOINs, propose nulls)',
      '3 nulls logged and executed', '4 final-state checkpoint (execution paused)'];
    const took = oldRange.filter((o) => o.took);
    const tookTwo = took.filter((o) => o.delayed >= 2).length;
    const missedTwo = oldRange.filter((o) => !o.took && o.delayed >= 2).length;
    const f = PHASE_BOUNDS.phaseFactor;
    const two = PHASE_BOUNDS.twoDelayedPct;
    const within = (k: number): boolean => {
      const ours = mean(phaseRows.map((p) => p[k]!)) / 1000;
      return phaseRows.length > 0 && ours >= paper.phasesMs[k]! / f
        && ours <= paper.phasesMs[k]! * f;
    };
    const logRound = ms(mean(logRounds));
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
        { title: 'Fig. 11: why one or two delayed (a request in the old range after MIGRATE ' +
          'is the first delayed one)',
        columns: ['migrations', 'share (ours)', 'of them, two delayed', 'paper'],
        rows: [['a request reached the leader while MIGRATE was logged (phase 1)',
          pct(took.length),
          took.length === 0 ? '-' : `${Math.round((tookTwo / took.length) * 100)}%`,
          `phase 1 lasts ${paper.phasesMs[0]} ms: two delayed in ${paper.sharePct[2]}%`],
        ['none did', pct(oldRange.length - took.length),
          oldRange.length === took.length ? '-'
            : `${Math.round((missedTwo / (oldRange.length - took.length)) * 100)}%`,
          `one delayed (${paper.oneMs} ms) in ${paper.sharePct[1]}%`]] },
        { title: 'Fig. 11: phase 1 against a client request’s log round (proposal → decision ' +
          'at the same leader), ms',
        columns: ['interval', 'ours', 'paper'],
        rows: [['a client request (mean)', logRound, `≈ ${paper.requestLogRoundMs} (derived ` +
          'from Fig. 6: two of its four hops and the log write)'],
        ['MIGRATE (phase 1, mean)', phase(0), paper.phasesMs[0]!],
        ['what phase 1 adds', ms(mean(phaseRows.map((p) => p[0]!)) - mean(logRounds)),
          `≈ ${paper.phasesMs[0]! - paper.requestLogRoundMs}`]] },
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
        { claim: `phase 3 (the nulls logged and executed) is within ${f}× of the paper's ` +
          `${paper.phasesMs[2]} ms`, ok: within(2), detail: `ours ${phase(2)} ms` },
        { claim: `phase 4 (the final-state checkpoint) is within ${f}× of the paper's ` +
          `${paper.phasesMs[3]} ms`, ok: within(3), detail: `ours ${phase(3)} ms` },
        { claim: `phase 2 (executing MIGRATE: JOINs, null PROPOSEs sent) is within ${f}× of ` +
          `the paper's ${paper.phasesMs[1]} ms`, ok: within(1), detail: `ours ${phase(1)} ms` },
        { claim: `two delayed requests in at least ${two}% of migrations (paper ` +
          `${paper.sharePct[2]}%, the rest one)`, ok: histogram[2]! * 100 >= two * total,
        detail: `${pct(histogram[2]!)} (one: ${pct(histogram[1]!)}, three or more: ` +
          `${pct(histogram[3]!)})` },
      ],
      data: { histogram, phases: phaseRows.length, phaseUs: [0, 1, 2, 3].map((k) =>
        Math.round(mean(phaseRows.map((p) => p[k]!)))), oldRangeShare: share(took.length),
      requestLogRoundUs: Math.round(mean(logRounds)),
      ablated: ablation?.name ?? null },
    };
  },
};
