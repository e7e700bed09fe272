/** Non-vacuity: "sometimes" events from observations, the schema field, and the sweep's flag. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  coverage, coverageGaps, happenedEvents, longestSleep,
} from '../../properties/sometimes.js';
import { builtinScenarios, loadScenario, parseScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';
import { cli, root } from '../helpers/cli.js';

const happened = (scenario: string, protocol: string, seed = 0): string[] =>
  happenedEvents(runChecked({ scenario: loadScenario(scenario), protocol, seed }).record);

describe('sometimes events', () => {
  it('are read from observations: a leader crash shows a leader change, a steady run none', () => {
    expect(happened('smart-leader-crash', 'smart')).toContain('leader-change');
    expect(happened('smart-steady', 'smart')).not.toContain('leader-change');
    expect(happened('opb-partition-halves', 'opb')).toContain('reconciliation');
    expect(happened('opb-steady', 'opb')).not.toContain('reconciliation');
  });

  it('an OPB node powering down is a power-off; a run without power saving shows none', () => {
    expect(happened('opb-diurnal', 'opb')).toContain('power-off');
    expect(happened('opb-steady', 'opb')).not.toContain('power-off');
  });

  // Stryker #1617 of the seed-41 sample woke a sleeping node at its next heartbeat tick even
  // with no replica: on opb-diurnal seed 0 each of its 14 sleeps ended at the instant it began
  // (one step later), unmutated they last seconds. Its record, rebuilt: a wake after each sleep.
  it('a sleep that ends by the next heartbeat tick is no power-off', () => {
    const run = runChecked({ scenario: loadScenario('opb-diurnal'), protocol: 'opb', seed: 0 })
      .record;
    expect(longestSleep(run)).toBeGreaterThan(1_000_000);
    const observations = run.observations.flatMap((o) => o.label === 'opb.power'
      && (o.data as { on: boolean }).on ? []
      : o.label === 'opb.power' ? [o, { ...o, seq: o.seq + 0.5, data: { on: true } }] : [o]);
    const woken = { ...run, observations };
    expect(longestSleep(woken)).toBe(0);
    expect(happenedEvents(woken)).not.toContain('power-off');
    const late = observations.map((o) => o.seq % 1 === 0.5 ? { ...o, at: o.at + 50_001 } : o);
    expect(happenedEvents({ ...run, observations: late })).toContain('power-off');
  });

  it('a SMART state transfer is a full copy or an incremental one (catchUp)', () => {
    const run = runChecked({ scenario: loadScenario('smart-null-fill-deadlock'),
      protocol: 'smart', seed: 0 }).record;
    // Seed 0 catches up by incremental copies only: no checkpoint was adopted by transfer.
    expect(run.observations.some((o) => o.label === 'ckpt'
      && (o.data as { transfer?: true }).transfer === true)).toBe(false);
    expect(happenedEvents(run)).toContain('state-transfer');
    const without = { ...run, observations: run.observations.filter((o) => o.label !== 'catchUp') };
    expect(happenedEvents(without)).not.toContain('state-transfer');
  });

  it('flag an expected event no run showed, but not one the protocol cannot show', () => {
    const rows = coverage([['checkpoint'], ['checkpoint', 'truncation']],
      ['checkpoint', 'leader-change', 'reconciliation'], 'smart');
    expect(coverageGaps(rows)).toEqual(['leader-change']);
    expect(rows.find((r) => r.event === 'checkpoint')!.runs).toBe(2);
  });

  it('every built-in scenario declares them with schema @2, only known events', () => {
    for (const s of builtinScenarios()) {
      if (s.protocols.includes('example')) continue;
      expect(s.schema, s.name).toBe('replisim/scenario@2');
      expect(Array.isArray(s.sometimes), s.name).toBe(true);
    }
  });

  it('the schema rejects an unknown event, and `sometimes` in an @1 file', () => {
    const file = JSON.parse(readFileSync(join(root, 'scenarios/builtin/smart-steady.json'),
      'utf8')) as Record<string, unknown>;
    expect(() => parseScenario({ ...file, sometimes: ['eclipse'] }, 'x'))
      .toThrow(/sometimes\.0.*not an event/s);
    expect(() => parseScenario({ ...file, schema: 'replisim/scenario@1' }, 'x'))
      .toThrow(/"sometimes" needs schema "replisim\/scenario@2"/);
  });

  it('sweep prints the coverage table and flags an expected event that never happened', () => {
    const file = JSON.parse(readFileSync(join(root, 'scenarios/builtin/smart-steady.json'),
      'utf8')) as Record<string, unknown>;
    const dir = mkdtempSync(join(tmpdir(), 'sometimes-'));
    const path = join(dir, 'steady-expects-churn.json');
    writeFileSync(path, JSON.stringify({ ...file, name: 'steady-expects-churn',
      sometimes: ['leader-change', 'checkpoint'] }));
    const r = cli(['sweep', path, '--seeds', '2', '--workers', '1']);
    const text = r.stdout + r.stderr;
    expect(text).toMatch(/coverage: runs in which each event happened/);
    expect(text).toMatch(/checkpoint\s*│?\s*2\/2/);
    expect(text).toMatch(/coverage: expected but never happened: leader-change/);
    const ok = cli(['sweep', 'smart-steady', '--seeds', '2', '--workers', '1']);
    expect(ok.stdout + ok.stderr).not.toMatch(/never happened/);
  });
});
