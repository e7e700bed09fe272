/**
 * MIGRATE is a request (P1.6 step 1): the operator submits it through follower n2, which crashes
 * at that moment; the operator client resends it to the members until the leader executes it.
 */
import { describe, expect, it } from 'vitest';
import { findProtocol } from '../../../protocol/registry.js';
import { happenedEvents } from '../../../properties/sometimes.js';
import { runSmart } from '../../../scenarios/experiments/smart-catalog.js';
import { loadScenario } from '../../../scenarios/load.js';
import { simulate } from '../../../simulator/sim.js';

const NAME = 'smart-migrate-requester-crash';

/** Members of every configuration created, by number, as node n1 executed them. */
function configurations(observations: readonly { node: string; label: string; data: unknown }[]) {
  return observations.filter((o) => o.node === 'n1' && o.label === 'cfg')
    .map((o) => (o.data as { members: string[] }).members);
}

describe('a migration requested through a machine that then crashes', () => {
  it('still happens, and every property holds', () => {
    // More seeds: test/protocol/smart/scenarios.test.ts runs every built-in scenario.
    const { run, failed } = runSmart(NAME, 0);
    expect(failed.map((v) => `${v.property}: ${v.message}`)).toEqual([]);
    expect(configurations(run.observations)).toEqual([['n1', 'n3', 'n4']]);
    expect(happenedEvents(run)).toContain('migration');
  });

  it('is lost when the operator client never resends: the resend is what carries it', () => {
    const scenario = loadScenario(NAME);
    const never = { ...scenario, clients: { ...scenario.clients, requestTimeoutUs: 100_000_000 } };
    const run = simulate({ scenario: never, protocol: findProtocol('smart')!, seed: 0 });
    expect(configurations(run.observations)).toEqual([]);
    expect(happenedEvents(run)).not.toContain('migration');
  });
});
