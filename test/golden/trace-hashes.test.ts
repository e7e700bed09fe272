/**
 * Pinned trace hashes of every built-in scenario on every protocol it runs on. A change in PRNG
 * draw order, iteration order, trace format, fault handling or protocol logic changes them: that
 * is the point. A refactoring must leave them alone; a deliberate change rewrites the file with
 * REPLISIM_UPDATE_GOLDEN=1 and says why in its commit.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findProtocol } from '../../protocol/registry.js';
import { builtinScenarioNames, loadScenario } from '../../scenarios/load.js';
import { simulate } from '../../simulator/sim.js';
import { TRACE_FORMAT } from '../../simulator/trace.js';

const FILE = new URL('./trace-hashes.json', import.meta.url);
/** 200 migrations: too long for the suite; its determinism is tested elsewhere. */
const SKIP = new Set(['smart-repeated-migrations']);

interface Golden {
  readonly comment: string;
  readonly seed: number;
  /** The trace encoding the hashes were made with (absent in files pinned before format 2). */
  readonly traceFormat?: number;
  readonly hashes: Record<string, Record<string, string>>;
}

const golden = JSON.parse(readFileSync(FILE, 'utf8')) as Golden;
const update = process.env.REPLISIM_UPDATE_GOLDEN === '1';
const fresh: Golden = { ...golden, traceFormat: TRACE_FORMAT, hashes: {} };

describe('golden trace hashes of the built-in scenarios', () => {
  const names = builtinScenarioNames().filter((n) => !SKIP.has(n));
  it('the hashes were pinned with this trace format', () => {
    const pinned = golden.traceFormat ?? 1;
    if (!update) expect(`trace format ${pinned}`).toBe(`trace format ${TRACE_FORMAT}`);
  });
  it('every built-in scenario is pinned', () => {
    if (!update) expect(Object.keys(golden.hashes).sort()).toEqual(names);
  });
  for (const name of names) {
    it(name, () => {
      const scenario = loadScenario(name);
      for (const p of scenario.protocols) {
        const protocol = findProtocol(p)!;
        const hash = simulate({ scenario, protocol, seed: golden.seed }).traceHash;
        (fresh.hashes[name] ??= {})[p] = hash;
        if (!update) expect(`${p} ${hash}`).toBe(`${p} ${golden.hashes[name]?.[p]}`);
      }
    });
  }
  it.runIf(update)('rewrites the file', () => {
    writeFileSync(FILE, `${JSON.stringify(fresh, null, 1)}\n`);
  });
});
