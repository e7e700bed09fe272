/**
 * `replisim/vitest`: replisim properties inside your own vitest suite.
 *
 *   propertyTest('my-kv survives partitions', {
 *     protocol: './my-proto.js', scenario: './my-scenario.json', trials: 20 });
 *
 * runs every replisim property over seeds (`seeds`: the scenario's own faults) or over random
 * fault schedules (`trials`: what `replisim explore` draws, each violation shrunk). A failure
 * saves the (shrunk) counterexample to a file and its message prints the `replisim replay`
 * command; `exportRegressionTest` turns a saved counterexample into a test file that re-runs
 * exactly that schedule. Verdicts are decided by seeds and counted budgets only; the vitest
 * timeout just stops a test that takes too long.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'vitest';
import { loadProtocolModule } from '../cli/plugins.js';
import { readSavedRun, toSavedRun, writeSavedRun, type SavedRun } from '../scenarios/run-file.js';
import {
  explore, protocolName, scenarioOf, simulate, type ProtocolInput, type ScenarioInput,
} from './index.js';

export interface PropertyTestOptions {
  /**
   * The protocol: a value, a registered name, or the path of a module whose default export (or
   * `protocol`) is one, as `--protocol-file` takes (relative to the working directory).
   */
  readonly protocol: ProtocolInput;
  /** Module path the printed replay command loads (default: `protocol` when it is a path). */
  readonly protocolFile?: string;
  readonly scenario: ScenarioInput;
  /** Run the scenario as written on this many seeds (from `firstSeed`, default 0)… */
  readonly seeds?: number;
  /** …or this many random fault schedules, each violation shrunk (as `replisim explore`). */
  readonly trials?: number;
  readonly firstSeed?: number;
  readonly mutant?: string;
  /** Only this property counts (default: every property that applies). */
  readonly property?: string;
  /** Runs spent shrinking one violation (default 100). */
  readonly shrinkRuns?: number;
  /** Where counterexamples are saved (default `out/replisim-vitest`). */
  readonly outDir?: string;
  /** vitest's timeout for the test in ms (default 300 000). */
  readonly timeout?: number;
}

export interface PropertyOutcome {
  readonly ok: boolean;
  /** Runs made (the shrinking runs of `trials` not counted). */
  readonly runs: number;
  /** What a failing test prints: property, seed, the counterexample file and the replay. */
  readonly message: string;
  readonly file: string | null;
  readonly replay: string | null;
  readonly counterexample: SavedRun | null;
}

const looksLikePath = (s: string): boolean => s.includes('/') || /\.[cm]?js$/.test(s);

async function resolveProtocol(options: PropertyTestOptions): Promise<{ name: string;
  file: string | null }> {
  const given = options.protocol;
  if (typeof given === 'string' && looksLikePath(given)) {
    const protocol = await loadProtocolModule(given, `protocol file ${given}`);
    return { name: protocol.name, file: options.protocolFile ?? given };
  }
  return { name: protocolName(given), file: options.protocolFile ?? null };
}

const slug = (name: string): string =>
  name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'property';

/** The first violation that counts, or undefined. */
function counted(violations: readonly { property: string; message: string }[],
  property: string | undefined): { property: string; message: string } | undefined {
  return violations.find((v) => property === undefined || v.property === property);
}

/**
 * Runs the property and reports; on a failure the counterexample is saved first. This is what
 * `propertyTest` asserts; call it directly to inspect the outcome.
 */
export async function checkProperty(name: string,
  options: PropertyTestOptions): Promise<PropertyOutcome> {
  if ((options.seeds === undefined) === (options.trials === undefined)) {
    throw new Error(`propertyTest "${name}": give exactly one of seeds or trials`);
  }
  const { name: protocol, file: protocolFile } = await resolveProtocol(options);
  const scenario = scenarioOf(options.scenario);
  const first = options.firstSeed ?? 0;
  const mutant = options.mutant ?? null;
  let found: { saved: SavedRun; seed: number; shrunkFaults: number | null } | null = null;
  let runs = 0;
  if (options.seeds !== undefined) {
    for (let seed = first; seed < first + options.seeds && found === null; seed++) {
      runs++;
      const run = simulate({ scenario, protocol, seed, mutant });
      if (counted(run.violations, options.property) === undefined) continue;
      // Run again with the trace kept, so the saved file can name a diverging event later.
      const traced = simulate({ scenario, protocol, seed, mutant, keepTrace: true });
      found = { saved: toSavedRun(traced, scenario), seed, shrunkFaults: null };
    }
  } else {
    for (let t = 0; t < options.trials! && found === null; t++) {
      runs++;
      const r = explore({ scenario, protocol, mutant, firstSeed: first + t, trials: 1,
        shrinkRuns: options.shrinkRuns ?? 100 });
      const cx = r.counterexample;
      if (cx === null || counted(cx.violations, options.property) === undefined) continue;
      found = { saved: cx, seed: cx.seed, shrunkFaults: cx.scenario.faults.length };
    }
  }
  if (found === null) {
    return { ok: true, runs, message: `${runs} run(s), no violation`, file: null, replay: null,
      counterexample: null };
  }
  const outDir = options.outDir ?? join('out', 'replisim-vitest');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${slug(name)}-seed-${found.seed}.json`);
  writeSavedRun(file, found.saved);
  const replay = `npx replisim replay ${file}` +
    (protocolFile === null ? '' : ` --protocol-file ${protocolFile}`);
  const v = counted(found.saved.violations, options.property)!;
  const shrunk = found.shrunkFaults === null ? '' : ` (shrunk to ${found.shrunkFaults} fault ` +
    'events)';
  const message = [
    `replisim: ${v.property} violated by ${protocol}${mutant === null ? '' : ` (${mutant})`} ` +
      `on ${scenario.name}, seed ${found.seed}: ${v.message}`,
    `  counterexample${shrunk}: ${file}`,
    `  replay: ${replay}`,
    `  as a regression test: exportRegressionTest('${file}', { testFile: ` +
      `'test/${slug(name)}.regression.test.js'${protocolFile === null ? '' :
      `, protocolFile: '${protocolFile}'`} })`,
  ].join('\n');
  return { ok: false, runs, message, file, replay, counterexample: found.saved };
}

/** A vitest test that fails with `checkProperty`'s message (replay command included). */
export function propertyTest(name: string, options: PropertyTestOptions): void {
  it(name, async () => {
    const outcome = await checkProperty(name, options);
    if (!outcome.ok) throw new Error(outcome.message);
  }, options.timeout ?? 300_000);
}

export interface RegressionOptions {
  /** The protocol module (a path or a file: URL). */
  readonly protocolFile: string | URL;
  readonly scenario: ScenarioInput;
  readonly seed: number;
  readonly mutant?: string | null;
  readonly timeout?: number;
}

/**
 * Re-runs one saved schedule and fails if any property is violated: the body of an exported
 * regression test. It fails while the bug is there and guards the fix afterwards (the trace
 * hash is not compared: a fix changes it).
 */
export function regressionTest(name: string, options: RegressionOptions): void {
  it(name, async () => {
    const path = options.protocolFile instanceof URL ? fileURLToPath(options.protocolFile)
      : options.protocolFile;
    const protocol = await loadProtocolModule(path, `protocol file ${path}`);
    const run = simulate({ scenario: options.scenario, protocol: protocol.name,
      seed: options.seed, mutant: options.mutant ?? null });
    if (!run.ok) {
      throw new Error(`replisim: regression: ${run.violations.map((v) => `${v.property}: ` +
        `${v.message}`).join('; ')} (seed ${options.seed})`);
    }
  }, options.timeout ?? 300_000);
}

/**
 * Writes a vitest file that re-runs a saved counterexample (`replisim/counterexample@1` or
 * `run@1`) as a regression test: the schedule is inlined, so the test does not depend on the
 * saved file. `protocolFile` is the protocol module, written relative to the test file.
 * Returns the test file's path.
 */
export function exportRegressionTest(counterexampleFile: string, options: {
  readonly testFile: string; readonly protocolFile: string; readonly name?: string;
}): string {
  const saved = readSavedRun(counterexampleFile);
  const fromTest = relative(dirname(resolve(options.testFile)), isAbsolute(options.protocolFile)
    ? options.protocolFile : resolve(options.protocolFile)).split('\\').join('/');
  const moduleUrl = fromTest.startsWith('.') ? fromTest : `./${fromTest}`;
  const property = saved.property ?? saved.violations[0]?.property ?? 'no violation';
  const name = options.name ?? `regression: ${saved.protocol} ${property}, ` +
    `${saved.scenario.name} seed ${saved.seed}`;
  const text = [
    `// Exported by replisim from ${counterexampleFile}: ${property} violated by ` +
      `${saved.protocol}${saved.mutant === null ? '' : ` (${saved.mutant})`}.`,
    '// It re-runs exactly that schedule and fails while the bug is there.',
    "import { regressionTest } from 'replisim/vitest';",
    '',
    `regressionTest(${JSON.stringify(name)}, {`,
    `  protocolFile: new URL(${JSON.stringify(moduleUrl)}, import.meta.url),`,
    `  seed: ${saved.seed},`,
    `  mutant: ${JSON.stringify(saved.mutant)},`,
    `  scenario: ${JSON.stringify(saved.scenario)},`,
    '});',
    '',
  ].join('\n');
  mkdirSync(dirname(resolve(options.testFile)), { recursive: true });
  writeFileSync(options.testFile, text);
  return options.testFile;
}
