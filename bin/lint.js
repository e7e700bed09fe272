#!/usr/bin/env node
// The determinism lint (in the spirit of TigerBeetle's tidy.zig): protocol/ and simulator/ must
// not read clocks, draw their own randomness, use Node timers, iterate with for…in, or (in
// protocol/) import Node built-ins. Every source folder keeps lines within 100 columns
// (shared/STYLE.md). The layers hold: a file imports only from its own layer or lower ones, and
// properties/ reads protocol/ only through the declared type files. Exit 1 with one line per
// finding.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const banned = [
  [/\bMath\.random\b/, 'Math.random (use the run\'s Prng)'],
  [/\bDate\.now\b/, 'Date.now (use virtual time)'],
  [/\bnew Date\b/, 'new Date (use virtual time)'],
  [/\bperformance\.now\b/, 'performance.now (use virtual time)'],
  [/\bprocess\.hrtime\b/, 'process.hrtime (use virtual time)'],
  [/\bsetTimeout\b|\bsetInterval\b|\bsetImmediate\b/,
    'Node timers (use setTimer effects / the event queue)'],
  [/\bcrypto\.randomUUID\b|\brandomBytes\b/, 'crypto randomness (use the run\'s Prng)'],
  [/\bfor\s*\(\s*(const|let|var)\s+\w+\s+in\b/, 'for…in (iterate in a defined order)'],
];
const protocolOnly = [
  [new RegExp('from\\s+[\'"]node:|require\\(\\s*[\'"]node:'
    + '|from\\s+[\'"](fs|path|crypto|os|child_process|worker_threads)[\'"]'),
    'Node built-in import in protocol/'],
];

// Lowest first: protocol/ imports nothing above it, cli/ may import everything.
const LAYERS = ['protocol', 'simulator', 'properties', 'scenarios', 'reports', 'bench', 'cli',
  'api'];
// Properties judge recorded runs through the protocols' declared types only (never internals);
// protocol/assert.js is the one assertion vocabulary of every layer.
const PROPERTY_VIEW_OF_PROTOCOL = /^protocol\/(types|kv-types|assert|[^/]+\/observations)\.js$/;
const IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function layerFindings(base) {
  const findings = [];
  for (const [rank, folder] of LAYERS.entries()) {
    for (const file of files(join(base, folder))) {
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        for (const [, spec] of line.replace(/\/\/.*$/, '').matchAll(IMPORT)) {
          const target = relative(base, join(dirname(file), spec)).split(sep).join('/');
          const layer = target.split('/')[0];
          const where = `${relative(base, file)}:${i + 1}`;
          const above = LAYERS.indexOf(layer) > rank;
          if (above) findings.push(`${where}: ${folder}/ imports ${target} from a higher layer`);
          if (!above && folder === 'properties' && layer === 'protocol'
            && !PROPERTY_VIEW_OF_PROTOCOL.test(target)) {
            findings.push(`${where}: properties/ imports ${target}, not a declared type file`);
          }
        }
      });
    }
  }
  return findings;
}

const MAX_COLUMNS = 100;
const SOURCE_FOLDERS = [
  'protocol', 'simulator', 'scenarios', 'properties', 'reports', 'cli', 'bench', 'api', 'test',
  'bin', 'examples',
];

/** Source files under a folder, in sorted order. */
function files(dir) {
  if (!existsSync(dir)) return []; // A tree without this folder (e.g. the lint's test fixtures).
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(ts|js|mts)$/.test(name) ? [path] : [];
  });
}

export function lint(base = root) {
  const findings = [];
  for (const folder of ['protocol', 'simulator']) {
    const rules = folder === 'protocol' ? [...banned, ...protocolOnly] : banned;
    for (const file of files(join(base, folder))) {
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, '');
        for (const [pattern, why] of rules) {
          if (pattern.test(code)) findings.push(`${relative(base, file)}:${i + 1}: ${why}`);
        }
      });
    }
  }
  findings.push(...layerFindings(base));
  for (const folder of SOURCE_FOLDERS) {
    for (const file of files(join(base, folder))) {
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        const width = [...line].length;
        if (width <= MAX_COLUMNS) return;
        const where = `${relative(base, file)}:${i + 1}`;
        findings.push(`${where}: line of ${width} columns (max ${MAX_COLUMNS})`);
      });
    }
  }
  return findings;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const base = process.argv[2] ?? root;
  const findings = lint(base);
  for (const f of findings) process.stderr.write(`lint: ${f}\n`);
  if (findings.length > 0) process.exit(1);
  process.stdout.write('lint: protocol/ and simulator/ are free of clocks, randomness, timers '
    + `and for…in; the layers hold; no source line over ${MAX_COLUMNS} columns\n`);
}
