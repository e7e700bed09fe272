/**
 * opb-c1-unique-primary and opb-c9-self-stabilization after a corruption that leaves a follower
 * a claim above its own epoch (P2.5 self-stabilization, C9). opb-corruption-pct seed 3330 is
 * explore trial 3330 of opb-corruption: a corruption leaves n5 a claim of n9 at the
 * very epoch n9 claims later, above n5's own. Unmutated, n5 drops it (tick.ts sanitize) and
 * follows n9 again; under opb:keep-claim-above-epoch (Stryker #3967 of the seed-39 sample) the
 * claim looks followed forever, n9's updates are never applied and n5 stays reconciling.
 */
import { describe, expect, it } from 'vitest';
import { opbSelfStabilization, opbUniquePrimary } from '../../properties/opb-convergence.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const scenario = loadScenario('opb-corruption-pct');
const record = (mutant: string | null): RunRecord =>
  simulate({ scenario, protocol: findProtocol('opb')!, seed: 3330, mutant });

describe('a follower\'s claim above its own epoch (opb-corruption-pct seed 3330)', () => {
  it('holds unmutated: every replica follows one primary at its epoch by the end', () => {
    const run = record(null);
    expect(opbUniquePrimary.check(run).status).toBe('pass');
    expect(opbSelfStabilization.check(run).status).toBe('pass');
  });

  it('fails when the claim is kept (#3967): n5 stays reconciling to the end', () => {
    const run = record('opb:keep-claim-above-epoch');
    const c1 = opbUniquePrimary.check(run);
    expect(c1.status).toBe('fail');
    expect(c1.message).toMatch(/not converged at the end: n5 follows n9@\S+ as reconciling/);
    expect(opbSelfStabilization.check(run).status).toBe('fail');
  });
});
