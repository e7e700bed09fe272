/**
 * The corpus of histories from replisim's own runs (issue 12): built-in scenarios on fixed seeds,
 * some with a declared mutant so that the corpus holds non-linearizable histories too. Each
 * history is kept gzipped native JSON (`replisim/history@1`), with a MANIFEST.tsv naming the run
 * that made it and the verdict replisim gave when it was generated. `npm run bench` times the
 * checker on it; `node dist/bench/run-corpus.js` regenerates it (deterministic: same code, same
 * files), `--plain DIR` also writes the uncompressed JSON for an outside checker.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { findProtocol } from '../protocol/registry.js';
import { parseNative } from '../properties/formats/native.js';
import { checkNativeHistory, verdictName } from '../properties/linearizability/index.js';
import type { Operation } from '../properties/models/types.js';
import { loadScenario } from '../scenarios/load.js';
import type { History } from '../simulator/history.js';
import { simulate } from '../simulator/sim.js';

/** Where the corpus lives, relative to the repository root. */
export const RUN_CORPUS = path.join('test', 'properties', 'linearizability', 'replisim-runs');

/** One run of the corpus. */
export interface CorpusRun {
  readonly scenario: string;
  readonly seed: number;
  readonly mutant: string | null;
}

const run = (scenario: string, seed: number, mutant: string | null = null): CorpusRun =>
  ({ scenario, seed, mutant });

/**
 * Linearizable runs of every protocol (steady, crashes, churn, migrations, lossy links), then
 * runs whose history is not linearizable: the mutants the campaign catches by linearizability
 * (test/scenarios/campaign.test.ts) and OPB under a partition (it does not claim it).
 */
export const CORPUS_RUNS: readonly CorpusRun[] = [
  run('smart-steady', 1), run('smart-steady', 2), run('smart-steady', 3),
  run('smart-leader-churn', 1), run('smart-leader-churn', 2), run('smart-leader-crash', 1),
  run('smart-leader-amnesia', 0), run('smart-lossy', 1), run('smart-migrate-chain', 1),
  run('smart-repeated-migrations', 1), run('smart-follower-restart', 1),
  run('smart-minority-partition', 1),
  run('opb-steady', 1), run('opb-steady', 2), run('opb-primary-crash', 1),
  run('opb-slow-disk', 1),
  run('example-steady', 1), run('example-steady', 2), run('example-partition', 1),
  run('example-backup-crash', 1),
  run('smart-minority-partition', 0, 'smart:no-reply-cache'),
  run('smart-lossy', 1, 'smart:no-reply-cache'),
  run('smart-slow-disk', 0, 'smart:minority-quorum'),
  run('smart-slow-disk', 0, 'smart:ack-before-persist'),
  run('smart-leader-amnesia', 0, 'smart:leader-amnesia'),
  run('smart-even-partition', 0, 'smart:half-quorum'),
  run('opb-partition-halves', 0), run('opb-three-way', 0, 'opb:accept-stale-epoch'),
];

/** File name of a run's history: scenario, seed and mutant (`:` is not portable in names). */
export function corpusFileName(r: CorpusRun): string {
  const mutant = r.mutant === null ? '' : `-${r.mutant.replace(':', '.')}`;
  return `${r.scenario}-s${r.seed}${mutant}.json.gz`;
}

/** The run's client history (simulated without trace; protocol: the scenario's first). */
export function corpusHistory(r: CorpusRun): History {
  const scenario = loadScenario(r.scenario);
  const name = scenario.protocols[0] as string;
  const protocol = findProtocol(name);
  if (protocol === undefined) throw new Error(`unknown protocol ${name}`);
  return simulate({ scenario, protocol, seed: r.seed, mutant: r.mutant }).history;
}

/** Compact JSON (one op per line) gzipped at a fixed level: the same history, the same bytes. */
export function encodeHistory(history: History): Buffer {
  const lines = history.ops.map((op) => JSON.stringify(op));
  const text = `{"schema":${JSON.stringify(history.schema)},"ops":[\n${lines.join(',\n')}\n]}\n`;
  return gzipSync(text, { level: 9 });
}

export const MANIFEST_HEADER = 'file\tscenario\tseed\tmutant\tops\tkeys\tverdict';

/** One manifest row as written by the generator. */
export interface ManifestRow {
  readonly file: string;
  readonly scenario: string;
  readonly seed: number;
  readonly mutant: string | null;
  readonly ops: number;
  readonly keys: number;
  readonly verdict: string;
}

export function readManifest(dir: string): ManifestRow[] {
  return readFileSync(path.join(dir, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1)
    .map((line) => {
      const [file = '', scenario = '', seed = '', mutant = '', ops = '', keys = '',
        verdict = ''] = line.split('\t');
      return { file, scenario, seed: Number(seed), mutant: mutant === '-' ? null : mutant,
        ops: Number(ops), keys: Number(keys), verdict };
    });
}

/** A corpus file's operations (gunzipped, read by the native reader as `lincheck` would). */
export function readCorpusFile(dir: string, file: string): Operation[] {
  return parseNative(gunzipSync(readFileSync(path.join(dir, file))).toString('utf8')).ops;
}

/** Generates every run of the corpus into `dir` (and plain JSON into `plainDir` if given). */
export function generateRunCorpus(dir: string, plainDir?: string,
  log: (line: string) => void = () => {}): ManifestRow[] {
  mkdirSync(dir, { recursive: true });
  if (plainDir !== undefined) mkdirSync(plainDir, { recursive: true });
  const rows = CORPUS_RUNS.map((r) => {
    const history = corpusHistory(r);
    const file = corpusFileName(r);
    writeFileSync(path.join(dir, file), encodeHistory(history));
    if (plainDir !== undefined) {
      writeFileSync(path.join(plainDir, file.replace(/\.gz$/, '')), gunzipSync(
        encodeHistory(history)));
    }
    const verdict = verdictName(checkNativeHistory(history).verdict);
    const keys = new Set(history.ops.map((op) => op.input.key)).size;
    log(`${file}: ${history.ops.length} ops, ${verdict}`);
    return { file, scenario: r.scenario, seed: r.seed, mutant: r.mutant,
      ops: history.ops.length, keys, verdict };
  });
  const text = rows.map((row) => [row.file, row.scenario, row.seed, row.mutant ?? '-', row.ops,
    row.keys, row.verdict].join('\t'));
  writeFileSync(path.join(dir, 'MANIFEST.tsv'), `${[MANIFEST_HEADER, ...text].join('\n')}\n`);
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const plainAt = args.indexOf('--plain');
  const plain = plainAt >= 0 ? args[plainAt + 1] : undefined;
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? (args[outAt + 1] as string) : RUN_CORPUS;
  generateRunCorpus(out, plain, (line) => process.stderr.write(`${line}\n`));
}
