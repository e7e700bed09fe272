/** protocol/validate.ts: what every protocol's declarations must be, built-ins included. */
import { describe, expect, it } from 'vitest';
import { protocols } from '../../protocol/registry.js';
import { FAULT_KINDS } from '../../protocol/types.js';
import { protocolProblem } from '../../protocol/validate.js';
import { swarmDraws } from '../../simulator/faults/kinds.js';

const smart = protocols.find((p) => p.name === 'smart')!;

describe('protocol validation', () => {
  it('passes every built-in, as registered', () => {
    for (const p of protocols) expect(protocolProblem(p)).toBeNull();
  });

  it('knows every fault kind the simulator draws, and no other', () => {
    expect([...FAULT_KINDS].sort()).toEqual(Object.keys(swarmDraws).sort());
    // SMART claims to survive targeted message faults: a valid declaration.
    expect(smart.survives).toContain('targeted');
  });

  it('names the field of a malformed declaration', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ survives: ['crash', ''] }, 'survives must list fault kinds'],
      [{ survives: ['earthquake'] }, 'survives must list fault kinds'],
      [{ messageTypes: ['prepare', 'prepare'] }, 'messageTypes, when given, must list distinct'],
      [{ messageTypes: [''] }, 'messageTypes, when given'],
      [{ operatorRequests: 'migrate' }, 'operatorRequests, when given'],
      [{ swarmReplicas: [6, 3] }, 'swarmReplicas, when given'],
      [{ swarmReplicas: [0, 3] }, 'swarmReplicas, when given'],
      [{ sizeOf: 12 }, 'sizeOf, when given, must be a function'],
    ];
    for (const [change, problem] of cases) {
      expect(protocolProblem({ ...smart, ...change })).toContain(problem);
    }
  });
});
