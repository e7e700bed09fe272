import { fc, test as fcTest } from '@fast-check/vitest';
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { primaryCopy } from '../../protocol/example/primary-copy.js';
import { applySchedule, scheduleArb } from '../../scenarios/generator.js';
import { loadScenario } from '../../scenarios/load.js';
import { simulate } from '../../simulator/sim.js';
import { cli, root } from '../helpers/cli.js';

const hashOf = (name: string, seed: number): string =>
  simulate({ scenario: loadScenario(name), protocol: primaryCopy, seed }).traceHash;

describe('same seed, same trace hash', () => {
  it('twice in one process, and a different seed differs', () => {
    expect(hashOf('example-backup-crash', 7)).toBe(hashOf('example-backup-crash', 7));
    expect(hashOf('example-backup-crash', 8)).not.toBe(hashOf('example-backup-crash', 7));
  });

  it('in two separate processes (the CLI), matching this process', () => {
    const a = cli(['run', 'example-partition', '--seed', '7', '--json']);
    const b = cli(['run', 'example-partition', '--seed', '7', '--json']);
    expect(a.code).toBe(0);
    const ha = (JSON.parse(a.stdout) as { traceHash: string }).traceHash;
    expect(ha).toMatch(/^[0-9a-f]{64}$/);
    expect((JSON.parse(b.stdout) as { traceHash: string }).traceHash).toBe(ha);
    expect(hashOf('example-partition', 7)).toBe(ha);
    const c = cli(['run', 'example-partition', '--seed', '8', '--json']);
    expect((JSON.parse(c.stdout) as { traceHash: string }).traceHash).not.toBe(ha);
  });

  it('inside a worker thread', async () => {
    const dist = (p: string): string => pathToFileURL(join(root, 'dist', p)).href;
    const code = `
      const { parentPort } = require('node:worker_threads');
      Promise.all([import(${JSON.stringify(dist('scenarios/load.js'))}), ` +
      `import(${JSON.stringify(dist('simulator/sim.js'))}),
                   import(${JSON.stringify(dist('protocol/example/primary-copy.js'))})])
        .then(([l, s, p]) => parentPort.postMessage(s.simulate({ ` +
      `scenario: l.loadScenario('example-steady'), protocol: p.primaryCopy, seed: 7 })` +
      `.traceHash));`;
    const hash = await new Promise<string>((resolve, reject) => {
      const w = new Worker(code, { eval: true });
      w.once('message', (h: string) => { resolve(h); void w.terminate(); });
      w.once('error', reject);
    });
    expect(hash).toBe(hashOf('example-steady', 7));
  });
});

describe('random fault schedules replay to the same hash', () => {
  const base = loadScenario('example-backup-crash');
  const short = { ...base, durationUs: 300_000, settleUs: 200_000, faults: [] };
  fcTest.prop([scheduleArb(), fc.nat({ max: 1_000_000 })], { numRuns: 25 })(
    'schedule + seed → one hash', (schedule, seed) => {
    const scenario = applySchedule(short, schedule);
    const a = simulate({ scenario, protocol: primaryCopy, seed });
    const b = simulate({ scenario: structuredClone(scenario), protocol: primaryCopy, seed });
    expect(b.traceHash).toBe(a.traceHash);
    expect(b.history).toEqual(a.history);
  });
});
