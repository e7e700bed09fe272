#!/usr/bin/env node
/**
 * `npm run mutation [-- --sample N] [--seed S] [--concurrency K]`: StrykerJS over protocol/smart
 * and protocol/optimistic, each mutant tested by its protocol's campaign (campaign.test.ts).
 *
 * Without --sample every mutant runs. With --sample N, a listing pass (no campaign runs) names
 * every mutant; N per protocol are drawn by a fixed seed (same checkout ⇒ same sample); the
 * second pass runs only those and the score comes with a 95 % Wilson interval.
 * Score = killed / (killed + survived). Stryker's timeouts (a wall-clock budget) and its static
 * survivors (never activated by its vitest runner) are re-tested with mutation/retest.mjs,
 * whose campaign is counted in steps: each counts as killed only if that kills it or hangs at
 * retest's CPU cap (mutation/score.mjs), and they are reported apart.
 * Results: out/mutation/mutation.json (Stryker's report), out/mutation/score.json,
 * out/mutation/survivors.txt (one line per survivor, to judge in mutation/survivors.md),
 * out/mutation/live.log (each tested mutant as it finishes: killed where, or survived).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { needsRetest, scoreRows } from './score.mjs';

const out = 'out/mutation';
const protocols = [['smart', 'protocol/smart/'], ['opb', 'protocol/optimistic/']];

function fail(message) {
  process.stderr.write(`mutation: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { sample: null, seed: 1, concurrency: null };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const int = () => {
      if (value === undefined || !/^\d+$/.test(value)) fail(`${flag} needs a non-negative integer`);
      i++;
      return Number(value);
    };
    if (flag === '--sample') opts.sample = int();
    else if (flag === '--seed') opts.seed = int();
    else if (flag === '--concurrency') opts.concurrency = int();
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write('usage: npm run mutation [-- --sample N] [--seed S] ' +
        '[--concurrency K]\n');
      process.exit(0);
    } else fail(`unknown option ${flag} (see --help)`);
  }
  if (opts.sample === 0) fail('--sample must be at least 1');
  return opts;
}

function stryker(sampleFile, concurrency) {
  const args = ['stryker', 'run', 'mutation/stryker.config.mjs',
    ...(concurrency === null ? [] : ['--concurrency', String(concurrency)])];
  const env = { ...process.env, REPLISIM_MUTATION_LOG: resolve(out, 'live.log') };
  if (sampleFile === null) delete env.REPLISIM_MUTATION_SAMPLE;
  else env.REPLISIM_MUTATION_SAMPLE = sampleFile;
  const r = spawnSync('npx', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
  if (r.status !== 0) {
    fail(`stryker exited with ${r.status} (its own log above says why; an "initial test run ` +
      'timed out" means the unmutated campaigns took longer than dryRunTimeoutMinutes in ' +
      'mutation/stryker.config.mjs)');
  }
  return JSON.parse(readFileSync(join(out, 'mutation.json'), 'utf8'));
}

/** Every mutant of the report as { id, file, protocol, key, status, ... }. */
function mutants(report) {
  return Object.entries(report.files).flatMap(([file, f]) => f.mutants.map((m) => ({
    id: String(m.id), file, status: m.status, static: m.static === true, mutator: m.mutatorName,
    replacement: m.replacement ?? '', line: m.location.start.line,
    protocol: protocols.find(([, dir]) => file.replaceAll('\\', '/').startsWith(dir))?.[0],
    key: `${file}:${m.location.start.line}:${m.location.start.column}-` +
      `${m.location.end.line}:${m.location.end.column} ${m.mutatorName} ${m.replacement}`,
  })));
}

/** mulberry32: a fixed PRNG, so a seed names the same sample everywhere. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function draw(all, n, seed) {
  const ids = [];
  for (const [name] of protocols) {
    const pool = all.filter((m) => m.protocol === name && m.status !== 'Ignored')
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const rand = prng(seed);
    for (let i = pool.length - 1; i > 0; i--) { // Fisher–Yates on a copy sorted by key
      const j = Math.floor(rand() * (i + 1));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    ids.push(...pool.slice(0, n).map((m) => m.id));
  }
  return ids;
}

const opts = parseArgs(process.argv.slice(2));
mkdirSync(out, { recursive: true });
const started = Date.now();
let sampleIds = null;
let listed = null;
if (opts.sample !== null) {
  // Absolute: the test runs inside Stryker's sandbox, another folder.
  const sampleFile = resolve(out, 'sample.json');
  writeFileSync(sampleFile, JSON.stringify({ ids: [] }));
  process.stderr.write('mutation: listing pass (no campaign runs)\n');
  listed = mutants(stryker(sampleFile, opts.concurrency));
  renameSync(join(out, 'mutation.json'), join(out, 'listing.json'));
  sampleIds = draw(listed, opts.sample, opts.seed);
  writeFileSync(sampleFile, JSON.stringify({ seed: opts.seed, perProtocol: opts.sample,
    ids: sampleIds }));
  process.stderr.write(`mutation: sample of ${sampleIds.length} mutants (seed ${opts.seed})\n`);
  stryker(sampleFile, opts.concurrency);
} else stryker(null, opts.concurrency);

let all = mutants(JSON.parse(readFileSync(join(out, 'mutation.json'), 'utf8')));
if (sampleIds !== null) {
  // Ids are positions in Stryker's instrumentation order; check both passes agree on them.
  const before = new Map(listed.map((m) => [m.id, m.key]));
  const keep = new Set(sampleIds);
  all = all.filter((m) => keep.has(m.id));
  const moved = all.filter((m) => before.get(m.id) !== m.key);
  if (moved.length > 0 || all.length !== keep.size) fail(`mutant ids changed between the ` +
    `passes (${moved.length} moved); was protocol/ edited meanwhile?`);
}

// Stryker's timeouts are wall-clock verdicts, and its static survivors never ran the mutant
// (score.mjs, needsRetest): each is re-tested against the step-counted campaign.
const pending = all.filter((m) => needsRetest(m) && m.protocol !== undefined);
const retested = new Map();
const hung = new Set();
if (pending.length > 0) {
  process.stderr.write(`mutation: re-testing ${pending.length} timeout(s) and static ` +
    'survivor(s) in a fresh process without a wall-clock budget (mutation/retest.mjs)\n');
  const r = spawnSync(process.execPath, ['mutation/retest.mjs', join(out, 'mutation.json'),
    ...pending.map((m) => m.id), '--json'], { encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  let doc = null;
  try {
    doc = JSON.parse(r.stdout);
  } catch {
    fail(`re-testing failed (exit ${r.status}); run mutation/retest.mjs by hand`);
  }
  for (const x of doc.results) {
    retested.set(String(x.id), x.killed === true);
    if (x.hung === true) hung.add(String(x.id));
  }
}
const rows = scoreRows(protocols.map(([name]) => name), all, retested, hung);
const pct = (x) => `${(100 * x).toFixed(1)} %`;
const minutes = ((Date.now() - started) / 60000).toFixed(1);
writeFileSync(join(out, 'survivors.txt'), rows.flatMap((r) => r.survivors.map((m) =>
  `${m.file}:${m.line} #${m.id} ${m.mutator} → ${m.replacement.replace(/\s+/g, ' ')
    .slice(0, 100)}`)).join('\n') + '\n');
writeFileSync(join(out, 'score.json'), JSON.stringify({ sample: opts.sample, seed: opts.seed,
  wallMinutes: Number(minutes), rows: rows.map(({ survivors, ...r }) => ({ ...r,
    survivorIds: survivors.map((m) => m.id) })) }, null, 2));
process.stdout.write(`\nmutation score (${opts.sample === null ? 'all mutants'
  : `sample of ${opts.sample} per protocol, seed ${opts.seed}`}; ${minutes} min wall):\n`);
for (const r of rows) {
  process.stdout.write(`  ${r.protocol.padEnd(6)} ${pct(r.score)} = ${r.killed} killed ` +
    `(${r.timeoutsKilledOnRetest} of ${r.timeouts} timeouts and ${r.staticKilledOnRetest} of ` +
    `${r.staticSurvivors} static survivors killed on re-test` +
    (r.retestsHung > 0 ? `, ${r.retestsHung} of them hung` : '') + ') / ' +
    `${r.killed + r.survived}` +
    (opts.sample === null ? '' : `, 95 % CI ${pct(r.ci95[0])}–${pct(r.ci95[1])}`) +
    (r.errors > 0 ? `; ${r.errors} errored, not scored` : '') + '\n');
}
process.stdout.write(`survivors: ${join(out, 'survivors.txt')} (judge them in ` +
  'mutation/survivors.md)\n');
