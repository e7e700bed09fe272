/**
 * smart-cfg-table (properties/smart-cfg-table.ts): each checkpoint's configuration table is the
 * one P1.6 steps 2 and 11 derive from the decided slots, α and MaximumLogSize (mutant #4044).
 */
import { describe, expect, it } from 'vitest';
import { prescribedTables, smartCfgTable } from '../../properties/smart-cfg-table.js';
import { loadScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';
import type { Json } from '../../protocol/types.js';
import type { Observation, RunRecord } from '../../simulator/run-record.js';
import { fakeRun } from '../helpers/record.js';

let seq = 0;
const fact = (at: number, node: string, label: string, data: Json): Observation =>
  ({ at, seq: seq++, node, label, data });
const decide = (slot: number, command: string): Observation =>
  fact(slot, 'n2', 'decide', { config: 1, slot, command, ballot: 1 });
const ckpt = (index: number, configs: number[]): Observation =>
  fact(100 + index, 'n1', 'ckpt', { index, digest: `d${index}`, configs });

/** α 2, MaximumLogSize 5: slot 3's MIGRATE closes configuration 1 at LastSlot 4. */
const smartRun = (observations: Observation[]): RunRecord => ({
  ...fakeRun({ observations }), protocol: 'smart', replicas: ['n1', 'n2', 'n3'],
  params: { alpha: 2, maxLogSize: 5 },
});
const slots = (n: number, migrateAt: number, command = 'migrate:m1'): Observation[] =>
  Array.from({ length: n }, (_, i) => decide(i + 1, i + 1 === migrateAt ? command : 'c0#1'));

describe('smart-cfg-table', () => {
  it('derives creation at the MIGRATE slot and collection at LastSlot + MaximumLogSize', () => {
    const cmds = new Map<number, string | null>([[1, 'null'], [2, 'migrate:a'], [3, 'migrate:a'],
      [4, 'migrate:b'], [5, 'c0#1'], [6, 'c0#2'], [7, 'null'], [8, 'null'], [9, null]]);
    // a: cfg 2 from slot 5 (cfg 1 ends at 4); the repeat is a no-op; b: cfg 3 from 7 (2 ends 6).
    const t = prescribedTables(cmds, [1, 2, 3, 4, 8, 9, 10, 11, 12], 3, 5);
    expect([...t.entries()]).toEqual([[1, '1'], [2, '1,2'], [3, '1,2'], [4, '1,2,3'],
      [8, '1,2,3']]);
    // Slot 9 starts by dropping cfg 1 (4 + 5), but its decision is contested: not derived.
    const known = new Map(cmds).set(9, 'null').set(10, 'null').set(11, 'null');
    expect([...prescribedTables(known, [8, 9, 10, 11], 3, 5).entries()]).toEqual([[8, '1,2,3'],
      [9, '2,3'], [10, '2,3'], [11, '3']]);
  });

  it('fails an entry kept past its collection and one dropped early; passes the right one', () => {
    // Configuration 1 ends at slot 4 and is collected when slot 9 starts.
    const kept = smartRun([...slots(9, 3), ckpt(8, [1, 2]), ckpt(9, [1, 2])]);
    const v = smartCfgTable.check(kept);
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/n1's checkpoint at index 9 .*holds configurations \[1,2\], but/);
    expect(v.message).toMatch(/α=2 and MaximumLogSize 5 give \[2\]/);
    const early = smartRun([...slots(9, 3), ckpt(8, [2]), ckpt(9, [2])]);
    expect(smartCfgTable.check(early).message).toMatch(/index 8 .*\[2\], but .* give \[1,2\]/);
    expect(smartCfgTable.check(smartRun([...slots(9, 3), ckpt(8, [1, 2]), ckpt(9, [2])])).status)
      .toBe('pass');
    // Slot 9 unknown: the checkpoint at 9 is not judged, so nothing is judged at all.
    expect(smartCfgTable.check(smartRun([...slots(8, 3), ckpt(9, [1, 2])])).status).toBe('skip');
    expect(smartCfgTable.check(smartRun([])).status).toBe('skip');
  });

  it('passes a real run that collects configurations, and fails it with one kept', () => {
    const scenario = loadScenario('smart-log-gc');
    const good = runChecked({ scenario, protocol: 'smart', seed: 0 }).record;
    expect(smartCfgTable.check(good).status).toBe('pass');
    // The first checkpoint whose table lost configuration 1: claim it kept it, as #4044 does.
    const obs = good.observations;
    const at = obs.findIndex((o) => o.label === 'ckpt'
      && !(o.data as { configs: number[] }).configs.includes(1));
    expect(at).toBeGreaterThan(0);
    const data = obs[at]!.data as { configs: number[] };
    const tampered = [...obs];
    tampered[at] = { ...obs[at]!, data: { ...data, configs: [1, ...data.configs] } };
    const v = smartCfgTable.check({ ...good, observations: tampered });
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/holds configurations \[1,/);
  });
});
