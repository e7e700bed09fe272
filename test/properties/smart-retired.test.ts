/**
 * smart-retired (properties/smart-retired.ts): a machine that reports `retired` hosts no
 * replica, so none of its replicas acts both before and after the report (mutation #5347).
 */
import { describe, expect, it } from 'vitest';
import { smartRetired } from '../../properties/smart-retired.js';
import { loadScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';
import type { Json } from '../../protocol/types.js';
import type { Observation, RunRecord } from '../../simulator/run-record.js';
import { fakeRun } from '../helpers/record.js';

let seq = 0;
const fact = (at: number, node: string, label: string, data: Json): Observation =>
  ({ at, seq: seq++, node, label, data });
const logged = (at: number, node: string, config: number): Observation =>
  fact(at, node, 'logged', { config, ballot: 3, slot: at, command: 'null', held: 1 });
const elect = (at: number, node: string, config: number): Observation =>
  fact(at, node, 'elect', { config, ballot: 3 });
const retired = (at: number, node: string): Observation => fact(at, node, 'retired', {});

const smartRun = (observations: Observation[]): RunRecord =>
  ({ ...fakeRun({ observations }), protocol: 'smart', replicas: ['n1', 'n2', 'n3'] });

describe('smart-retired', () => {
  it('fails a machine whose replica acts before and after it reported retired', () => {
    const v = smartRetired.check(smartRun([logged(10, 'n2', 1), logged(11, 'n2', 2),
      retired(20, 'n2'), elect(30, 'n2', 2)]));
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/n2 reported retired at t=20us but its replica of configuration 2 /);
    expect(v.message).toMatch(/acted before \(t=11us\) and after \(t=30us\)/);
  });

  it('allows a replica that ended before, a new replica after, other machines', () => {
    // Configuration 1 ended before the report; configuration 3 is a replica started after.
    expect(smartRetired.check(smartRun([logged(10, 'n2', 1), retired(20, 'n2'),
      logged(30, 'n2', 3), logged(40, 'n2', 3)])).status).toBe('pass');
    // n3 never reported retired.
    expect(smartRetired.check(smartRun([logged(10, 'n3', 2), retired(20, 'n2'),
      logged(30, 'n3', 2)])).status).toBe('pass');
    expect(smartRetired.check(smartRun([logged(10, 'n2', 2)])).status).toBe('skip');
  });

  it('holds on a real migration whose old members retire', () => {
    const run = runChecked({ scenario: loadScenario('smart-migrate-disjoint'), protocol: 'smart',
      seed: 0 }).record;
    const v = smartRetired.check(run);
    expect(v.status).toBe('pass');
  });
});
