/** Small scenario builders for tests. */
import { parseScenario } from '../../scenarios/load.js';
import type { Scenario } from '../../simulator/config.js';

export function probeScenario(extra: Record<string, unknown> = {}, nodes = 3): Scenario {
  const ids = Array.from({ length: nodes }, (_, i) => `n${i + 1}`);
  return parseScenario({
    schema: 'replisim/scenario@1',
    name: 'probe-test',
    protocols: ['probe'],
    topology: { dcs: [{ name: 'dc1', zone: 'z1' }], nodes: ids.map((id) => ({ id, dc: 'dc1' })),
      replicas: ids },
    network: { intraDc: { minUs: 100, maxUs: 200 } },
    clients: { count: 0 },
    durationUs: 100_000,
    settleUs: 10_000,
    ...extra,
  }, 'test');
}
