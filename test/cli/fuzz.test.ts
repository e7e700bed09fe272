/**
 * The fuzz suite (issue 13): generated inputs on every surface through the real CLI. `npm test`
 * runs a bounded sample; `npm run fuzz` sets FUZZ_PER_SURFACE=2000 (10,000 inputs) and prints
 * the counts. Every input must be accepted or rejected on one line (exit 2): no internal error,
 * no hang, no heap over 1 GiB.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers/cli.js';
import { argsCase, historyCase, savedRunCase, scenarioCase } from './fuzz/arbitraries.js';
import { fuzz } from './fuzz/harness.js';

const perSurface = Number(process.env['FUZZ_PER_SURFACE'] ?? '8');
const seed = Number(process.env['FUZZ_SEED'] ?? '13');

describe('fuzz: scenario, history, saved run, counterexample and CLI-argument inputs', () => {
  it(`${perSurface} inputs per surface: no internal error, hang or memory blow-up`, async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fuzz-saved-')), 'run.json');
    const made = spawnSync(process.execPath, ['bin/replisim.js', 'run', 'example-partition',
      '--seed', '2', '--save', file], { cwd: root, encoding: 'utf8' });
    expect(made.status).toBe(0);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    const counts = await fuzz([scenarioCase(root), historyCase(), savedRunCase(saved, false),
      savedRunCase(saved, true), argsCase()], perSurface, seed,
    { workers: 2, hangSeconds: 30 });
    process.stdout.write(`fuzz: ${JSON.stringify(counts, null, 1)}\n`);
    expect(counts.inputs).toBe(5 * perSurface);
    expect(counts.examples).toEqual([]);
    expect(counts).toMatchObject({ internalErrors: 0, hangs: 0, overMemory: 0,
      multiLineRejections: 0 });
  }, 3_600_000);
});
