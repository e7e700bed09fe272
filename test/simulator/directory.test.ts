/**
 * SMART P1.10 #3 (extended disconnection): a client that only knows machines that are gone
 * finds the service through the configuration repository, the protocol's declared directory.
 */
import { describe, expect, it } from 'vitest';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import { simulate } from '../../simulator/sim.js';

const scenario = loadScenario('smart-extended-disconnection');
const smart = findProtocol('smart')!;

/** First time c0 completes an operation after it is reconnected (1.8 s), or null. */
function c0Back(askDirectory: boolean): number | null {
  const run = simulate({ scenario: { ...scenario, clients: { ...scenario.clients, askDirectory } },
    protocol: smart, seed: 1 });
  const done = run.history.ops.filter((o) => o.client === 'c0' && o.status === 'ok'
    && o.return! > 1_800_000);
  return done.length === 0 ? null : Math.min(...done.map((o) => o.return!));
}

describe('client directory (SMART configuration repository)', () => {
  it('a returning client whose machines are all gone gets through via the repository', () => {
    expect(c0Back(true)).toBeLessThan(2_000_000);
  });

  it('without asking the repository it stays stuck until the old machines ' +
    'come back (3.5 s)', () => {
    expect(c0Back(false)).toBeGreaterThan(3_500_000);
  });
});
