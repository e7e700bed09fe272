/**
 * Operator commands (operator.ts): a scenario may give a command any JSON as its arguments, null
 * included (scenarios/load.ts checks only an object's fields). A `handoff` whose arguments are
 * not an object names no service and no successor: a no-op, like one naming a non-member. The
 * argument reader once indexed null (mutation #2588 of the seed-47 sample: `||` → `&&` in its
 * guard), and the node's step threw a TypeError on such a command.
 */
import { describe, expect, it } from 'vitest';
import { opb } from '../../../protocol/optimistic/index.js';
import type { Json } from '../../../protocol/types.js';
import { state } from './three-members.js';

describe('operator handoff arguments', () => {
  it('a handoff whose arguments are null, a string or a list is a no-op', () => {
    const s = state(1_000_000);
    for (const args of [null, 'n3', ['n3'], 7] as Json[]) {
      const r = opb.step(s, { kind: 'operator', now: 1_000_000,
        command: { name: 'handoff', args } });
      expect(r.state).toBe(s);
      expect(r.effects).toEqual([{ kind: 'observe', label: 'opb.operator',
        data: { name: 'handoff' } }]);
    }
  });
});
