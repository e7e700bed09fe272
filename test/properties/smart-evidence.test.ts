/**
 * S3, S5 and S9 judged from other nodes' facts (properties/smart-evidence.ts), never from the
 * proposer's own `executed` / `stable` report.
 */
import { describe, expect, it } from 'vitest';
import {
  smartLogBound, smartRangeConfinement, smartStateAgreement,
} from '../../properties/smart-safety.js';
import type { Json } from '../../protocol/types.js';
import type { NodeEvent, Observation, RunRecord } from '../../simulator/run-record.js';
import { loadScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';
import { fakeRun } from '../helpers/record.js';

let seq = 0;
const fact = (at: number, node: string, label: string, data: Json): Observation =>
  ({ at, seq: seq++, node, label, data });
const propose = (at: number, slot: number, executed: number, stable: number): Observation =>
  fact(at, 'n1', 'propose', { config: 1, ballot: 7, slot, command: `c0#${slot}`, executed,
    stable });
const logged = (at: number, node: string, slot: number, ballot = 7): Observation =>
  fact(at, node, 'logged', { config: 1, ballot, slot, command: `c0#${slot}`, held: 1 });
const decide = (at: number, slot: number): Observation =>
  fact(at, 'n1', 'decide', { config: 1, slot, command: `c0#${slot}`, ballot: 7 });
const exec = (at: number, node: string, slot: number, store: string): Observation =>
  fact(at, node, 'exec', { slot, command: `c0#${slot}`, store });
const ckpt = (at: number, node: string, index: number): Observation =>
  fact(at, node, 'ckpt', { index, digest: `d${index}`, configs: [1] });

function smartRun(observations: Observation[]): RunRecord {
  return { ...fakeRun({ observations }), protocol: 'smart', replicas: ['n1', 'n2', 'n3'],
    params: { alpha: 4, maxLogSize: 20 } };
}

describe('S3 from the execution module and the members that logged', () => {
  it('fails a proposal beyond executed + α even when the proposer reports a larger index', () => {
    const run = smartRun([exec(10, 'n1', 1, 's'), propose(20, 6, 9, 0)]);
    expect(smartRangeConfinement.check(run).message)
      .toMatch(/proposed slot 6 when its execution module had executed only up to 1 and α=4/);
    expect(smartRangeConfinement.check(smartRun([exec(10, 'n1', 2, 's'),
      propose(20, 6, 2, 0)])).status).toBe('pass');
  });

  it('also fails a proposal beyond the executed index the proposer itself reports', () => {
    const run = smartRun([exec(10, 'n1', 9, 's'), propose(20, 6, 1, 0)]);
    expect(smartRangeConfinement.check(run).message).toMatch(/executed only up to 1 and α=4/);
  });

  it('counts an execution that waited behind a write landing just after the proposal', () => {
    const run = smartRun([propose(20, 6, 2, 0), ckpt(30, 'n1', 1), exec(30, 'n1', 2, 's')]);
    expect(smartRangeConfinement.check(run).status).toBe('pass');
  });

  it('counts an execution whose write a crash lost, from its step on, in that life only', () => {
    // n1 executed 1..5 in a step at t=15 whose write the crash at t=40 lost; a later step
    // (t=20, recorded at the crash) proposed 9 = 5 + α.
    const lost = (stepAt: number, slot: number): NodeEvent => ({ at: 40, seq: seq++,
      node: 'n1', kind: 'writes-lost', diskAsOf: 5,
      lost: [{ label: 'exec', data: { slot, command: `c0#${slot}`, store: 's' }, stepAt }] });
    const first = exec(10, 'n1', 1, 's');
    const run = (events: NodeEvent[], proposal: Observation): RunRecord =>
      ({ ...smartRun([first, proposal]), nodeEvents: events });
    const atCrash = { ...propose(40, 9, 5, 0), stepAt: 20 };
    expect(smartRangeConfinement.check(run([lost(15, 5)], atCrash)).status).toBe('pass');
    // Without the lost fact, or with the execution's step after the proposal's, it fails.
    expect(smartRangeConfinement.check(run([], atCrash)).message)
      .toMatch(/executed only up to 1 and α=4/);
    expect(smartRangeConfinement.check(run([lost(25, 5)], atCrash)).status).toBe('fail');
    // A proposal of the next life (recorded after the crash) cannot count it either.
    expect(smartRangeConfinement.check(run([lost(15, 5)], propose(50, 9, 5, 0))).status)
      .toBe('fail');
  });

  it('fails a decision without a quorum of members logging it at its ballot', () => {
    const base = [propose(10, 1, 0, 0)];
    const fewer = smartRun([...base, logged(12, 'n9', 1), logged(12, 'n2', 1, 6), decide(15, 1)]);
    expect(smartRangeConfinement.check(fewer).message)
      .toMatch(/slot 1 decided in cfg 1 at ballot 7 with only \[n1\] of \[n1,n2,n3\]/);
    const quorum = smartRun([...base, logged(12, 'n3', 1), decide(15, 1)]);
    expect(smartRangeConfinement.check(quorum).status).toBe('pass');
    // A LOGGED recorded only after the decision did not count toward it.
    const late = smartRun([...base, decide(15, 1), logged(16, 'n3', 1)]);
    expect(smartRangeConfinement.check(late).status).toBe('fail');
  });

  it('catches a leader that decides with a minority (mutant) on a real run', () => {
    const run = runChecked({ scenario: loadScenario('smart-steady'), protocol: 'smart', seed: 0,
      mutant: 'smart:minority-quorum' }).record;
    expect(smartRangeConfinement.check(run).message).toMatch(/decided in cfg 1 .* with only/);
  });
});

describe('S9 from the members\' checkpoints', () => {
  it('fails when a quorum had not checkpointed, whatever the proposer says its stable is', () => {
    const lying = smartRun([ckpt(5, 'n1', 10), exec(6, 'n1', 10, 's'), propose(10, 12, 10, 0),
      propose(11, 31, 10, 15)]);
    const v = smartLogBound.check(lying);
    expect(v.status).toBe('fail');
    expect(v.message)
      .toMatch(/slot 31 proposed when a quorum of cfg 1's members held checkpoints only up to 0/);
    const held = smartRun([ckpt(5, 'n1', 11), ckpt(5, 'n2', 11), propose(11, 31, 10, 11)]);
    expect(smartLogBound.check(held).status).toBe('pass');
  });
});

describe('S5 per executed slot', () => {
  it('fails when two replicas leave different stores after one slot', () => {
    const run = smartRun([exec(10, 'n1', 3, 'aaaa'), exec(11, 'n2', 3, 'bbbb')]);
    expect(smartStateAgreement.check(run).message)
      .toMatch(/slot 3: n1 executed c0#3 leaving store aaaa, n2 executed c0#3 leaving bbbb/);
    const same = smartRun([exec(10, 'n1', 3, 'aaaa'), exec(11, 'n2', 3, 'aaaa')]);
    expect(smartStateAgreement.check(same).status).toBe('pass');
  });

  it('passes on real runs with leader changes and migrations', () => {
    for (const s of ['smart-leader-crash', 'smart-migrate-chain']) {
      const run = runChecked({ scenario: loadScenario(s), protocol: 'smart', seed: 2 }).record;
      for (const p of [smartStateAgreement, smartRangeConfinement, smartLogBound]) {
        const v = p.check(run);
        expect(v.status, `${s} ${p.name}: ${v.message}`).toBe('pass');
      }
    }
  });
});
