/**
 * Saved runs and counterexamples (`replisim/run@1`, `replisim/counterexample@1`): everything
 * needed to re-run exactly (the full scenario with its fault schedule, protocol, mutant, seed)
 * plus the expected trace hash and the compressed trace, so that a replay that diverges can name
 * the first differing event.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { Scenario } from '../simulator/config.js';
import { TRACE_FORMAT } from '../simulator/trace.js';
import { ScenarioError } from './errors.js';
import { parseScenario, readJsonFile } from './load.js';
import type { CheckedRun } from './runner.js';

export interface SavedRun {
  readonly schema: 'replisim/run@1' | 'replisim/counterexample@1';
  readonly scenario: Scenario;
  readonly protocol: string;
  readonly seed: number;
  readonly mutant: string | null;
  readonly traceHash: string;
  /**
   * The trace encoding `traceHash` was computed with (simulator/trace.ts TRACE_FORMAT). Files
   * written before the field existed say nothing: they are format 1 (hashed text lines).
   */
  readonly traceFormat: number;
  readonly events: number;
  readonly violations: readonly { readonly property: string; readonly message: string }[];
  /** Counterexamples: the property the (shrunk) schedule violates. */
  readonly property?: string;
  /** Swarm settings drawn for this run (explore), for the banner. */
  readonly knobs?: Record<string, string | number>;
  /**
   * A person's note on what the run found and how it was fixed: a counterexample kept as a
   * regression (test/protocol/<p>/regressions/) carries one, and still replays.
   */
  readonly finding?: string;
  /** base64 of the gzipped trace lines, newline-separated. */
  readonly trace: string | null;
}

const savedSchema = z.object({
  schema: z.enum(['replisim/run@1', 'replisim/counterexample@1']),
  scenario: z.unknown(),
  protocol: z.string(),
  seed: z.number().int().nonnegative(),
  mutant: z.string().nullable(),
  traceHash: z.string().regex(/^[0-9a-f]{64}$/),
  traceFormat: z.number().int().positive().optional(),
  events: z.number().int().nonnegative(),
  violations: z.array(z.object({ property: z.string(), message: z.string() })),
  property: z.string().optional(),
  knobs: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  finding: z.string().optional(),
  trace: z.string().nullable(),
}).strict();

export function toSavedRun(run: CheckedRun, scenario: Scenario,
  extra: Partial<SavedRun> = {}): SavedRun {
  const r = run.record;
  return {
    schema: 'replisim/run@1', scenario, protocol: r.protocol, seed: r.seed, mutant: r.mutant,
    traceHash: r.traceHash, traceFormat: TRACE_FORMAT, events: r.metrics.events,
    violations: run.violations.map((v) => ({ property: v.property, message: v.message })),
    trace: r.trace === null ? null : packTrace(r.trace),
    ...extra,
  };
}

export function writeSavedRun(path: string, saved: SavedRun): void {
  try {
    writeFileSync(path, `${JSON.stringify(saved, null, 1)}\n`);
  } catch (error) {
    throw new ScenarioError(`cannot ` +
      `write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export function readSavedRun(path: string): SavedRun {
  return savedRunFrom(readJsonFile(path), path);
}

/** A saved run or counterexample from its decoded JSON; `path` names it in errors. */
export function savedRunFrom(data: unknown, path: string): SavedRun {
  const parsed = savedSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ScenarioError(`${path}: not a saved run or ` +
      `counterexample (${issue.path.join('.') || 'top level'}: ${issue.message})`);
  }
  const scenario = parseScenario(parsed.data.scenario, `${path} (scenario)`);
  const { knobs, property, traceFormat, finding, ...rest } = parsed.data;
  return {
    ...rest, scenario, traceFormat: traceFormat ?? 1,
    ...(knobs === undefined ? {} : { knobs }),
    ...(property === undefined ? {} : { property }),
    ...(finding === undefined ? {} : { finding }),
  };
}

export function packTrace(lines: readonly string[]): string {
  return gzipSync(Buffer.from(lines.join('\n'), 'utf8')).toString('base64');
}

/**
 * Largest trace a saved run may unpack to. A few KB of gzip can expand to gigabytes (a "gzip
 * bomb"), so decompression stops at this bound instead of exhausting memory.
 */
export const MAX_TRACE_BYTES = 128 * 1024 * 1024;

/** A trace has one line per event; 4 KB a line is far above any line the simulator writes. */
export function traceLimit(events: number): number {
  return Math.min(MAX_TRACE_BYTES, 4096 * (events + 1));
}

export function unpackTrace(packed: string, maxBytes = MAX_TRACE_BYTES): string[] {
  let raw: Buffer;
  try {
    raw = gunzipSync(Buffer.from(packed, 'base64'), { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ScenarioError(`the saved trace unpacks to more than ${maxBytes} bytes ` +
        '(refused: not a trace this tool writes)');
    }
    throw new ScenarioError('the saved trace is corrupt (not base64 gzip)');
  }
  const text = raw.toString('utf8');
  return text.length === 0 ? [] : text.split('\n');
}
