/**
 * OPB's and SMART's readers are closed: a run with an observation under a label the protocol
 * does not declare is malformed, since no check reads such a fact (mutation #325 of the seed-29
 * sample: a backup's checkpoint fact under the label "", unseen by the log-bound check).
 */
import { describe, expect, it } from 'vitest';
import { opbPolicy } from '../../properties/opb-policy.js';
import { readCommon } from '../../properties/observed.js';
import {
  leadingSpans, loggings, replicaStarts,
} from '../../properties/smart-observations.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

function runOf(scenario: string, protocol: string): RunRecord {
  return simulate({ scenario: loadScenario(scenario), protocol: findProtocol(protocol)!,
    seed: 0 });
}

/** The run with its first `label` observation relabelled `to`. */
function relabelled(run: RunRecord, label: string, to: string): RunRecord {
  const i = run.observations.findIndex((o) => o.label === label);
  expect(i).toBeGreaterThanOrEqual(0);
  const observations = [...run.observations];
  observations[i] = { ...observations[i]!, label: to };
  return { ...run, observations };
}

describe('observation labels outside the protocol’s declaration', () => {
  it('OPB: a checkpoint fact under "" is malformed; the run as recorded is read', () => {
    const run = runOf('opb-checkpoint-split', 'opb');
    expect(opbPolicy.check(run).status).toBe('pass');
    const o = run.observations.find((x) => x.label === 'opb.checkpoint')!;
    expect(() => opbPolicy.check(relabelled(run, 'opb.checkpoint', ''))).toThrow(
      `malformed observation of ${o.node} at t=${o.at}us: label "" is not one the protocol ` +
      'declares');
  });

  it('OPB: a fact no property of the run reads is checked all the same (#2415)', () => {
    const run = runOf('opb-operator-handoff', 'opb');
    expect(opbPolicy.check(run).status).toBe('pass');
    const i = run.observations.findIndex((x) => x.label === 'opb.operator');
    expect(i).toBeGreaterThanOrEqual(0);
    const o = run.observations[i]!;
    const observations = [...run.observations];
    observations[i] = { ...o, data: {} };
    expect(() => opbPolicy.check({ ...run, observations })).toThrow(
      `malformed opb.operator observation of ${o.node} at t=${o.at}us: name is not a string`);
  });

  it('SMART: a common label misspelt is malformed; the run as recorded is read', () => {
    const run = runOf('smart-steady', 'smart');
    expect(replicaStarts(run).length).toBeGreaterThan(0);
    expect(() => replicaStarts(relabelled(run, 'state', 'State'))).toThrow(
      /label "State" is not one the protocol declares/);
  });

  it('a role fact outside leader/follower is malformed (#6582, #6837 of the seed-52 sample)',
    () => {
      // The mutants reported a retiring or deposed leader's step-down as role "", and the
      // step-down checks, which count `follower` facts, judged none of them.
      const run = runOf('smart-leader-churn', 'smart');
      const roles = readCommon(run, 'role');
      expect(roles.some((o) => o.data.role === 'follower')).toBe(true);
      expect(leadingSpans(run).size).toBeGreaterThan(0);
      const i = run.observations.findIndex((o) => o.label === 'role'
        && (o.data as { role: string }).role === 'follower');
      const o = run.observations[i]!;
      const observations = [...run.observations];
      observations[i] = { ...o, data: { ...(o.data as object), role: '' } };
      expect(() => leadingSpans({ ...run, observations })).toThrow(
        `malformed role observation of ${o.node} at t=${o.at}us: role "" is not declared ` +
        '(leader or follower)');
    });

  it('a logged fact whose held does not count its own entry is malformed (#7306, seed 52)', () => {
    // The mutant never raised the log's size on an add: every fact said 0, or less after a
    // truncation, and only a coverage tally read the field.
    const run = runOf('smart-steady', 'smart');
    expect(loggings(run).every((o) => o.data.held >= 1)).toBe(true);
    const i = run.observations.findIndex((o) => o.label === 'logged');
    const o = run.observations[i]!;
    const observations = [...run.observations];
    observations[i] = { ...o, data: { ...(o.data as object), held: 0 } };
    expect(() => loggings({ ...run, observations })).toThrow(
      `malformed logged observation of ${o.node} at t=${o.at}us: held 0 does not count the ` +
      `entry it logged (slot ${(o.data as { slot: number }).slot})`);
  });

  it('a closed reader tests the values of every label, read or not, once per run', () => {
    // replicaStarts reads `replica` facts only; the first read of the run checks them all.
    const run = runOf('smart-steady', 'smart');
    const tampered = (label: string, field: string, value: number | string): RunRecord => {
      const i = run.observations.findIndex((o) => o.label === label);
      const observations = [...run.observations];
      observations[i] = { ...observations[i]!,
        data: { ...(observations[i]!.data as object), [field]: value } };
      return { ...run, observations };
    };
    expect(() => replicaStarts(tampered('logged', 'held', 0))).toThrow(/held 0 does not count/);
    expect(() => replicaStarts(tampered('role', 'role', 'boss'))).toThrow(
      /role "boss" is not declared \(leader or follower\)/);
    // OPB: a move kind outside its union, under a run whose checks read no move fact first.
    const opbRun = runOf('opb-operator-handoff', 'opb');
    const i = opbRun.observations.findIndex((o) => o.label === 'opb.move');
    const observations = [...opbRun.observations];
    observations[i] = { ...observations[i]!,
      data: { ...(observations[i]!.data as object), kind: 'whim' } };
    expect(() => opbPolicy.check({ ...opbRun, observations })).toThrow(
      /malformed opb.move observation of n\d+ at t=\d+us: move kind "whim" is not declared/);
    // The untampered runs read clean.
    expect(replicaStarts(run).length).toBeGreaterThan(0);
    expect(opbPolicy.check(opbRun).status).toBe('pass');
  });
});
