/**
 * smart-calm-no-timeout (P1.4 step 1): in a calm run no client request waits out its timeout,
 * judged from the clients' own timeouts, never from a node's account of what it answered.
 */
import { describe, expect, it } from 'vitest';
import { smartCalm } from '../../properties/smart-calm.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';
import { readSaved } from '../helpers/regressions.js';

const record = (scenario: string, mutant: string | null = null): RunRecord => simulate({
  scenario: loadScenario(scenario), protocol: findProtocol('smart')!, seed: 0, mutant });

describe('smart-calm-no-timeout', () => {
  it('holds on a calm run: every request answered inside the client timeout', () => {
    const run = record('smart-steady');
    expect(run.requestTimeouts).toEqual([]);
    const v = smartCalm.check(run);
    expect(v.status).toBe('pass');
    expect(v.measures?.['judged']).toBe(run.history.ops.length);
  });

  it('fails when a candidate drops requests instead of holding them (#4654)', () => {
    const run = record('smart-steady', 'smart:drop-at-candidate');
    expect(run.requestTimeouts.length).toBeGreaterThan(0);
    expect(run.requestTimeouts[0]).toEqual({ at: 60_000, client: 'c0', opId: 0, attempt: 0 });
    const v = smartCalm.check(run);
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/^c0's operation #0 \(called at t=0us\) waited out its request /);
  });

  it('is not judged where a timeout is excused: faults, loss, or a cost model', () => {
    // smart-lossy drops messages (its requests do time out); the others have faults or costs.
    const lossy = record('smart-lossy');
    expect(lossy.requestTimeouts.length).toBeGreaterThan(0);
    expect(smartCalm.check(lossy)).toMatchObject({ status: 'skip',
      message: expect.stringMatching(/^not a calm run: \d+ messages dropped/) });
    expect(smartCalm.check(record('smart-leader-crash')).message).toMatch(/fault or operator/);
  });

  it('is not judged where the scheduler held messages back (PCT; explore smart-steady 51)', () => {
    // α = 1, four replicas, PCT holding the last sender's messages 20 ms: three requests queued
    // at the start take 34 ms a slot, so the third waits out the client's 60 ms.
    const file = new URL('../protocol/smart/regressions/' +
      'explore-steady-51-pct-held-messages-slow-a-request.json', import.meta.url);
    const saved = readSaved(file);
    const scenario = saved.scenario;
    const run = simulate({ scenario, protocol: findProtocol('smart')!, seed: saved.seed });
    expect(run.faults).toEqual([]);
    expect(run.metrics.messagesDropped).toBe(0);
    expect(run.requestTimeouts.length).toBeGreaterThan(0);
    expect(run.metrics.messagesHeld).toBeGreaterThan(0);
    expect(smartCalm.check(run)).toMatchObject({ status: 'skip',
      message: expect.stringMatching(/^not a calm run: \d+ messages held back by the scheduler/) });
    const { pct: _pct, ...network } = scenario.network;
    const plain = simulate({ scenario: { ...scenario, network }, protocol: findProtocol('smart')!,
      seed: saved.seed });
    expect(plain.metrics.messagesHeld).toBe(0);
    expect(smartCalm.check(plain).status).toBe('pass');
  });
});
