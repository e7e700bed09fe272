#!/usr/bin/env node
/**
 * `node mutation/retest.mjs LISTING ID... [--keep] [--json] [--cpu-cap S]`: re-tests Stryker
 * mutants, one at a time, against this checkout's campaign (`replisim campaign PROTOCOL`, the
 * test Stryker runs).
 *
 * LISTING is a Stryker JSON report (out/mutation/listing.json or mutation.json of an earlier
 * run). Sources may have changed since, so each mutant is found by its original source text:
 * the listed line(s) holding it, widened by neighbouring lines until they occur once in today's
 * file. A copy of the checkout (outside it, node_modules linked) is built once; each mutant's
 * file is then transpiled alone into that build, as Stryker runs sources without type checks.
 * One line per mutant: killed at which step and rule, or survived. The campaign has no
 * wall-clock budget, so the verdict is the same on every machine. A mutant that loops forever
 * inside one protocol step never lets the campaign reach its step budget, so each campaign runs
 * under a CPU-time cap (`--cpu-cap`, default 600 CPU-s, 30 times an unmutated campaign): a
 * campaign stopped there is reported as hung, a kill of its own kind (the test Stryker runs
 * never passes, as CI's time limit would show), counted apart. `--keep` (one ID only) keeps
 * the mutated copy and prints its folder, to probe the mutant with other commands. `--json`
 * prints one document instead ({ results: [{ id, protocol, killed, hung?, ... }], killed }), which
 * `npm run mutation` reads to re-test Stryker's timeouts.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const protocolDirs = [['smart', 'protocol/smart/'], ['opb', 'protocol/optimistic/']];

function fail(message) {
  process.stderr.write(`retest: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const keep = argv.includes('--keep');
  const json = argv.includes('--json');
  const usage = 'usage: node mutation/retest.mjs LISTING ID... [--keep] [--json] [--cpu-cap S]';
  let cpuCap = 600;
  const capAt = argv.indexOf('--cpu-cap');
  if (capAt !== -1) {
    const value = argv[capAt + 1];
    if (value === undefined || !/^[1-9]\d*$/.test(value)) {
      fail('--cpu-cap needs a whole number of CPU seconds, at least 1');
    }
    cpuCap = Number(value);
    argv = [...argv.slice(0, capAt), ...argv.slice(capAt + 2)];
  }
  const rest = argv.filter((a) => a !== '--keep' && a !== '--json');
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const flag = rest.find((a) => a.startsWith('-'));
  if (flag !== undefined) fail(`unknown option ${flag} (${usage})`);
  if (rest.length < 2) fail(usage);
  const [listing, ...ids] = rest;
  const bad = ids.find((id) => !/^\d+$/.test(id));
  if (bad !== undefined) fail(`mutant id "${bad}" is not a non-negative integer`);
  if (keep && ids.length !== 1) fail('--keep takes exactly one mutant id');
  return { listing, ids, keep, json, cpuCap };
}

function readListing(file) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    fail(`cannot read ${file} as JSON (${error.code ?? error.name})`);
  }
  if (typeof report?.files !== 'object' || Array.isArray(report.files)) {
    fail(`${file} is not a Stryker JSON report`);
  }
  const byId = new Map();
  for (const [path, f] of Object.entries(report.files)) {
    if (typeof f.source !== 'string') fail(`${file} holds no source for ${path}`);
    for (const m of f.mutants ?? []) byId.set(String(m.id), { ...m, path, source: f.source });
  }
  return byId;
}

/** Offset of a (1-based line, 1-based column) location in text split into lines. */
const offsetOf = (lines, { line, column }) =>
  lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;

/** Every start offset of `block` in `text` that begins and ends on a line boundary. */
function lineMatches(text, block) {
  const found = [];
  for (let i = text.indexOf(block); i !== -1; i = text.indexOf(block, i + 1)) {
    const end = i + block.length;
    if ((i === 0 || text[i - 1] === '\n') && (end === text.length || text[end] === '\n')) {
      found.push(i);
    }
  }
  return found;
}

/** Today's file with the mutant applied, found by the listed source around it. */
/** Stryker's mutators whose replacement is a binary expression (see `mutate`). */
const BINARY = new Set(['LogicalOperator', 'EqualityOperator', 'ArithmeticOperator']);

function mutate(m, current) {
  const old = m.source.split('\n');
  const { start, end } = m.location;
  const original = m.source.slice(offsetOf(old, start), offsetOf(old, end));
  for (let wide = 0; wide <= 8; wide++) {
    const first = Math.max(1, start.line - wide);
    const last = Math.min(old.length, end.line + wide);
    const block = old.slice(first - 1, last).join('\n');
    const at = lineMatches(current, block);
    if (at.length === 0) {
      fail(`#${m.id}: ${m.path}:${start.line} no longer holds \`${original}\` ` +
        (wide === 0 ? '(its line changed)' : 'in a unique context'));
    }
    if (at.length > 1) continue;
    const from = at[0] + offsetOf(old, start) - offsetOf(old, { line: first, column: 1 });
    // Stryker replaces an AST node; spliced as text, a binary operator's replacement must keep
    // its grouping: `a && b && c` with `a && b` → `a || b` is `(a || b) && c`, not `a || b && c`
    // (#864 of the seed-51 sample read as killed only because of that).
    const grouped = BINARY.has(m.mutatorName) ? `(${m.replacement})` : m.replacement;
    return current.slice(0, from) + grouped + current.slice(from + original.length);
  }
  return fail(`#${m.id}: \`${original}\` at ${m.path}:${start.line} is not unique`);
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/**
 * `run` under a CPU-time cap (the shell's `ulimit -t`): past it the kernel stops the process
 * with SIGXCPU (SIGKILL at the hard limit), which marks it hung. CPU time, not wall time, so a
 * loaded machine does not turn a slow campaign into a hung one.
 */
function runCapped(cpuSeconds, cmd, args, cwd) {
  const r = run('/bin/sh', ['-c', `ulimit -t ${cpuSeconds} && exec "$0" "$@"`, cmd, ...args], cwd);
  return { ...r, hung: r.signal === 'SIGXCPU' || r.signal === 'SIGKILL' };
}

/** A built copy of the checkout, without .git, out/ or the old build. */
function buildCopy() {
  const dir = mkdtempSync(join(tmpdir(), 'replisim-retest-'));
  const skip = new Set(['.git', 'node_modules', 'out', 'dist'].map((d) => join(root, d)));
  cpSync(root, dir, { recursive: true, filter: (src) => !skip.has(src) });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const tsc = run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p',
    'tsconfig.json'], dir);
  if (tsc.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    fail(`the unmutated checkout does not build: ${tsc.stdout.split('\n')[0]}`);
  }
  return dir;
}

const opts = parseArgs(process.argv.slice(2));
const listed = readListing(opts.listing);
const plans = opts.ids.map((id) => {
  const m = listed.get(id);
  if (m === undefined) fail(`no mutant #${id} in ${opts.listing}`);
  const protocol = protocolDirs.find(([, d]) => m.path.startsWith(d))?.[0];
  if (protocol === undefined) fail(`#${id} mutates ${m.path}, outside protocol/smart|optimistic`);
  const file = join(root, m.path);
  if (!existsSync(file)) fail(`#${id}: ${m.path} no longer exists`);
  return { m, protocol, mutated: mutate(m, readFileSync(file, 'utf8')) };
});

const { default: ts } = await import(join(root, 'node_modules/typescript/lib/typescript.js'));
const compilerOptions = ts.parseJsonConfigFileContent(ts.readConfigFile(
  join(root, 'tsconfig.json'), ts.sys.readFile).config, ts.sys, root).options;
const dir = buildCopy();
let killedCount = 0;
const results = [];
/** A line for people, unless --json (then one document at the end). */
const say = (line) => { if (!opts.json) process.stdout.write(line); };
try {
  for (const { m, protocol, mutated } of plans) {
    const js = join(dir, 'dist', m.path.replace(/\.ts$/, '.js'));
    const unmutated = readFileSync(js, 'utf8');
    // Alone, a NodeNext file has no package.json to say it is an ES module: say it here.
    const out = ts.transpileModule(mutated, { compilerOptions: { ...compilerOptions,
      module: ts.ModuleKind.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler,
      sourceMap: false, declaration: false }, fileName: m.path });
    writeFileSync(js, out.outputText);
    const r = runCapped(opts.cpuCap, process.execPath,
      // The CPU cap decides a hang here, not the campaign's wall-clock watchdog (~24 days).
      ['bin/replisim.js', 'campaign', protocol, '--json', '--trial-timeout', '2000000'], dir);
    if (!opts.keep) writeFileSync(js, unmutated);
    const what = `#${m.id} ${m.path}:${m.location.start.line} ${m.mutatorName} → ` +
      m.replacement.replace(/\s+/g, ' ').slice(0, 60);
    if (r.hung) {
      killedCount++;
      results.push({ id: m.id, protocol, killed: true, hung: true, cpuCap: opts.cpuCap });
      say(`${what}: killed, the campaign hung (stopped at its cap of ${opts.cpuCap} CPU-s)\n`);
      continue;
    }
    let doc;
    try {
      doc = JSON.parse(r.stdout);
    } catch {
      // A test that throws fails, so Stryker counts a crashed campaign as a kill too.
      killedCount++;
      const why = r.stderr.trim().split('\n')[0] ?? '';
      results.push({ id: m.id, protocol, killed: true, crashed: why });
      say(`${what}: killed, the campaign crashed (exit ${r.status}): ${why}\n`);
      continue;
    }
    const v = doc.violation;
    if (v !== null) killedCount++;
    results.push({ id: m.id, protocol, killed: v !== null, cpuSeconds: doc.cpuSeconds,
      ...(v === null ? { steps: doc.steps }
        : { step: v.step, scenario: v.scenario, seed: v.seed, property: v.property }) });
    say(`${what}: ${v === null ? `survived (${doc.steps} steps)`
      : `killed at step ${v.step} (${v.kind} ${v.scenario} seed ${v.seed}): ${v.property}`}` +
      ` [${doc.cpuSeconds} CPU-s]\n`);
  }
} finally {
  const where = opts.json ? process.stderr : process.stdout;
  if (opts.keep) where.write(`mutated copy kept in ${dir}\n`);
  else rmSync(dir, { recursive: true, force: true });
}
if (opts.json) process.stdout.write(`${JSON.stringify({ results, killed: killedCount })}\n`);
else process.stdout.write(`retest: ${killedCount} of ${plans.length} killed\n`);
