/** C8's overload half: an overloaded node with a movable primary must move it in time. */
import { describe, expect, it } from 'vitest';
import { findProtocol } from '../../protocol/registry.js';
import { opbOverload, serviceOfKey } from '../../properties/opb-overload.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const run = simulate({ scenario: loadScenario('opb-spike'), protocol: findProtocol('opb')!,
  seed: 0 });

/** n1's load/power moves never happened: it kept every primary (the history is unchanged). */
function withoutBalancing(r: RunRecord): RunRecord {
  const handedOff = (o: RunRecord['observations'][number]): boolean => {
    const d = o.data as { kind?: string; reason?: string };
    return (o.label === 'opb.move' && d.kind === 'balance')
      || (o.label === 'opb.role' && d.reason === 'handoff');
  };
  return { ...r, observations: r.observations.filter((o) => !handedOff(o)) };
}

describe('opb-c8-overload', () => {
  it('passes opb-spike, where n1 was overloaded with movable primaries for a while', () => {
    const v = opbOverload.check(run);
    expect(v.status).toBe('pass');
    expect(v.measures?.['overloadWithRoomUs']).toBeGreaterThan(0);
  });

  it('fails when the overloaded node never hands a primary off', () => {
    const v = opbOverload.check(withoutBalancing(run));
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/^n1 above 800‰ .* no move for \d+us \(bound \d+us\): s\d/);
  });

  it('excuses the overload when no node has room under Cmax (Cmax from the run)', () => {
    const r = withoutBalancing(run);
    expect(opbOverload.check({ ...r, params: { ...r.params, cmaxPct: 20 } }).status)
      .toBe('pass');
  });

  it('judges only calm time: a fault through the spike excuses it', () => {
    const r = withoutBalancing(run);
    const slow = { kind: 'slow', at: 0, node: 'n2', delayUs: 1000 } as const;
    const v = opbOverload.check({ ...r, faults: [slow] as unknown as RunRecord['faults'] });
    expect(v.status).toBe('pass');
  });

  it('does not judge a run without balancing configured', () => {
    const r = withoutBalancing(run);
    const v = opbOverload.check({ ...r, params: { ...r.params, balance: false } });
    expect(v.status).toBe('pass');
    expect(v.measures?.['overloadWithRoomUs']).toBe(0);
  });

  it('reads the service from the key as P2.1 names it', () => {
    expect(serviceOfKey('s6/k1', 4)).toBe(2);
    expect(serviceOfKey('k3', 4)).toBe(0);
  });
});
