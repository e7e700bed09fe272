/**
 * The forms of `replisim explore`: per source scenario, how many trials showed each expected
 * "sometimes" event; each counterexample with its swarm knobs and replay command, the lost
 * trials and the closing line (terminal), and the same as the summary document (`--json`).
 */
import type { ChalkInstance } from 'chalk';
import { coverage, coverageGaps } from '../properties/sometimes.js';
import type { TrialResult } from '../scenarios/explore.js';
import type { StateCoverageFigure } from '../scenarios/state-coverage.js';
import type { Scenario } from '../simulator/config.js';
import { renderStateCoverage } from './state-coverage.js';
import { renderTable } from './table.js';

/** A scenario explored and what the user named it by (a built-in name or a file path). */
export interface ExploreSource { readonly scenario: Scenario; readonly source: string }

/** A trial whose worker died or hung: a finding with the command that re-runs just it. */
export interface LostTrial {
  readonly seed: number; readonly scenario: string; readonly protocol: string;
  readonly mutant: string | null; readonly error: string; readonly reproduce: string;
}

export interface ExploreSummary {
  readonly done: number;
  /** The trials that found a violation, and the counterexample file saved for each. */
  readonly found: readonly TrialResult[];
  readonly saved: readonly string[];
  readonly errors: readonly string[];
  readonly lost: readonly LostTrial[];
  /**
   * Trials of seeds after the first failing one that finished while explore stopped (several
   * workers, no --keep-going): in results.jsonl, not counted here; their number depends on timing.
   */
  readonly finishedWhileStopping: number;
  readonly resultsFile: string;
  /** Seeds an earlier invocation had finished (`--resume`). */
  readonly resumed: number;
  readonly gaps: readonly string[];
  /** Appended to each printed replay command (the `--protocol-file` flags given). */
  readonly replayArgs: string;
  /** With --state-coverage: distinct protocol states over the trials. */
  readonly stateCoverage?: StateCoverageFigure;
}

/** What an exploration runs, as its header line says it. */
export interface ExploreHeader {
  readonly protocol: string; readonly mutant: string | null; readonly scenarios: number;
  readonly base: number; readonly shard: { readonly index: number; readonly count: number };
  /** Worker threads here, or the Redis queue the trials go to. */
  readonly runner: { readonly workers: number }
    | { readonly queue: string; readonly batch: number };
  readonly resultsFile: string;
}

/** The first line: what is explored, how, and where results stream. */
export function renderExploreHeader(h: ExploreHeader, c: ChalkInstance): string {
  const runner = 'workers' in h.runner ? `workers=${h.runner.workers}`
    : `queue=${h.runner.queue} batch=${h.runner.batch}`;
  return c.bold(`explore ` +
    `protocol=${h.protocol} mutant=${h.mutant ?? '-'} scenarios=${h.scenarios} ` +
    `seeds from ${h.base} shard ${h.shard.index}/${h.shard.count} ` +
    `${runner} ` +
    `→ ${h.resultsFile}`);
}

/** `--resume` found seeds an earlier invocation finished. */
export function renderExploreResuming(seeds: number, resultsFile: string): string {
  return `resuming: ${seeds} seed(s) already in ${resultsFile}`;
}

/** A trial that stopped on an internal error (kept in the summary's `errors`). */
export function renderTrialError(seed: number, scenario: string, error: string): string {
  return `seed ${seed} (${scenario}): ${error}`;
}

/** Told once with --queue, before any batch is done: the coordinator waits for workers. */
export function renderQueueWaiting(batches: number, url: string): string {
  return `${batches} batch(es) queued on ${url}; start ` +
    `\`replisim worker --queue ${url}\` on any machine to run them`;
}

/**
 * Per source scenario: how many trials showed each event it expects ("sometimes"); a scenario
 * whose expected event no trial showed is flagged. `gaps`: "scenario: event" per gap.
 */
export function exploreCoverage(scenarios: readonly ExploreSource[], protocol: string,
  happened: ReadonlyMap<string, readonly (readonly string[])[]>,
  c: ChalkInstance): { readonly text: string; readonly gaps: readonly string[] } {
  const gaps: string[] = [];
  const table: string[][] = [];
  for (const { scenario, source } of scenarios) {
    const ran = happened.get(source) ?? [];
    if (ran.length === 0) continue;
    const rows = coverage(ran, scenario.sometimes ?? [], protocol);
    const missing = coverageGaps(rows);
    gaps.push(...missing.map((e) => `${source}: ${e}`));
    const seen = rows.filter((r) => r.expected).map((r) => `${r.event} ${r.runs}`).join(', ');
    table.push([source, String(ran.length), seen, missing.join(', ')]);
  }
  const lines = [renderTable('coverage: trials showing each expected event ("sometimes")',
    ['scenario', 'trials', 'expected events', 'never happened'], table, c)];
  if (gaps.length > 0) lines.push(c.red(`coverage: expected but never happened: ` +
    `${gaps.join('; ')}`));
  return { text: lines.join('\n'), gaps };
}

/** The summary document `--json` prints. */
export function exploreDocument(r: ExploreSummary): unknown {
  return {
    runs: r.done, resumed: r.resumed, violations: r.found.length, errors: r.errors,
    finishedWhileStopping: r.finishedWhileStopping,
    lost: r.lost, results: r.resultsFile, neverHappened: r.gaps,
    ...(r.stateCoverage === undefined ? {} : { stateCoverage: r.stateCoverage }),
    counterexamples: r.found.map((f, i) => ({
      file: r.saved[i], seed: f.seed, scenario: f.scenario, violations: f.violations,
      knobs: f.knobs, replay: `npx replisim replay ${r.saved[i]}${r.replayArgs}`,
    })),
  };
}

/** The terminal report: each counterexample, each lost trial, each error, then the verdict. */
export function renderExplore(r: ExploreSummary, c: ChalkInstance): string {
  const lines: string[] = [];
  for (const [i, f] of r.found.entries()) {
    lines.push(c.red(`✗ seed=${f.seed} scenario=${f.scenario}: ` +
      `${f.violations[0]?.property}: ${f.violations[0]?.message}`),
    `  swarm: ${Object.entries(f.knobs).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    `  shrunk to ${f.shrunkFaults} fault events; trace-hash ${f.counterexample?.traceHash}`,
    `  reproduce: npx replisim replay ${r.saved[i]}${r.replayArgs}`);
  }
  for (const l of r.lost) {
    lines.push(c.red(`✗ seed=${l.seed} scenario=${l.scenario}: ${l.error}`),
      `  reproduce: ${l.reproduce}`);
  }
  for (const e of r.errors) lines.push(c.red(`error: ${e}`));
  if (r.stateCoverage !== undefined) lines.push(renderStateCoverage(r.stateCoverage, c));
  if (r.finishedWhileStopping > 0) {
    lines.push(`${r.finishedWhileStopping} trial(s) of later seeds finished while stopping at ` +
      `the first failing seed: in ${r.resultsFile}, not counted below`);
  }
  const killed = r.lost.length === 0 ? '' : `, ${r.lost.length} killed their worker`;
  const resumed = r.resumed === 0 ? '' : ` (after ${r.resumed} resumed)`;
  lines.push(r.found.length === 0 && r.lost.length === 0
    ? c.green(`explore: ${r.done} runs${resumed}, no violation`)
    : c.red(`explore: ${r.done} runs${resumed}, ${r.found.length} violation(s)${killed}`));
  return lines.join('\n');
}
