/** C8 judges the group size k the run configured, not a hard-coded 3. */
import { describe, expect, it } from 'vitest';
import { findProtocol } from '../../protocol/registry.js';
import { opbPlacement } from '../../properties/opb-placement.js';
import { loadScenario } from '../../scenarios/load.js';
import { simulate } from '../../simulator/sim.js';

describe('C8 with k from the run', () => {
  const base = loadScenario('opb-steady');
  const scenario = { ...base, params: { ...base.params, opb: { ...base.params['opb'], k: 4 } } };
  const run = simulate({ scenario, protocol: findProtocol('opb')!, seed: 3 });

  it('a run with k = 4 ends with groups of 4 and passes', () => {
    expect(run.params['k']).toBe(4);
    expect(opbPlacement.check(run).status).toBe('pass');
  });

  it('the same run judged as if k were 5 fails, naming the size it wanted', () => {
    const v = opbPlacement.check({ ...run, params: { ...run.params, k: 5 } });
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/want 5/);
  });
});
