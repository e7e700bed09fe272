import { describe, expect, it } from 'vitest';
import { runOpb } from './helpers.js';

describe('opb determinism', () => {
  it('the same scenario and seed give the same trace hash and observations', () => {
    const a = runOpb('opb-partition-halves', 7).record;
    const b = runOpb('opb-partition-halves', 7).record;
    expect(a.traceHash).toBe(b.traceHash);
    expect(a.observations.length).toBe(b.observations.length);
    expect(JSON.stringify(a.history)).toBe(JSON.stringify(b.history));
  });
  it('different seeds explore different runs', () => {
    expect(runOpb('opb-partition-halves', 1).record.traceHash)
      .not.toBe(runOpb('opb-partition-halves', 2).record.traceHash);
  });
  it('corruption draws come from the run seed', () => {
    const hash = (): string => runOpb('opb-corruption', 3).record.traceHash;
    expect(hash()).toBe(hash());
  });
});
