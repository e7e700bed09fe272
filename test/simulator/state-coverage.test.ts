/**
 * State coverage of a run: the distinct fingerprints of the states nodes step into. Checked
 * against independent evidence: the canonical text (`serialize`) of every state the protocol
 * returned, recorded by wrapping its step function.
 */
import { describe, expect, it } from 'vitest';
import type { Protocol } from '../../protocol/types.js';
import { serialize } from '../../simulator/checker/fingerprint.js';
import { simulate } from '../../simulator/sim.js';
import { VisitedSet } from '../../simulator/visited.js';
import { probe } from '../helpers/probe.js';
import { probeScenario } from '../helpers/scenario.js';

/** `nodes`: every node, itself included, so that nodes of one role have equal states. */
interface Still { readonly role: 'primary' | 'backup'; readonly nodes: readonly string[] }

/** Pings all the time but never changes its state: one state per role. */
const still: Protocol<Still, null, null> = {
  name: 'probe', description: 'test protocol: a state that never changes', mutants: [],
  client: { target: 'first', onTimeout: 'rotate' }, defaults: {},
  init: (id, config) => ({ role: id === 'n1' ? 'primary' : 'backup',
    nodes: config.nodes.map((n) => n.id) }),
  durable: () => null,
  describeMessage: () => 'Ping',
  step(s, ev) {
    const again = { kind: 'setTimer' as const, timer: 'ping', at: ev.now + 1000 };
    if (ev.kind === 'restart' || ev.kind === 'timer') {
      return { state: s, effects: [...s.nodes.map((to) => ({ kind: 'send' as const, to,
        msg: null })), again] };
    }
    return { state: s, effects: [] };
  },
};

/** The protocol with every state its steps returned written down as canonical text. */
function recording<S, M, D>(p: Protocol<S, M, D>): { protocol: Protocol<S, M, D>;
  seen: Set<string> } {
  const seen = new Set<string>();
  return { seen, protocol: { ...p, step(s, ev) {
    const r = p.step(s, ev);
    seen.add(serialize(r.state));
    return r;
  } } };
}

const distinct = (pairs: Int32Array | undefined): number => {
  expect(pairs).toBeDefined();
  const set = new VisitedSet();
  for (let i = 0; i < pairs!.length; i += 2) set.add(pairs![i]!, pairs![i + 1]!);
  expect(set.size).toBe(pairs!.length / 2); // Each fingerprint once.
  return set.size;
};

describe('state coverage of a run', () => {
  it('a state that never changes gives one distinct state per node role', () => {
    const run = simulate({ scenario: probeScenario(), protocol: still, seed: 1,
      stateCoverage: true });
    expect(run.metrics.events).toBeGreaterThan(100);
    expect(distinct(run.stateFingerprints)).toBe(2);
  });

  it('counts exactly the distinct states the steps returned, crashes and restarts included',
    () => {
      const scenario = probeScenario({ faults: [{ at: 30_000, kind: 'crash', node: 'n1' },
        { at: 40_000, kind: 'restart', node: 'n1', amnesia: true }] });
      const { protocol, seen } = recording(probe);
      const run = simulate({ scenario, protocol, seed: 3, stateCoverage: true });
      expect(seen.size).toBeGreaterThan(100);
      expect(distinct(run.stateFingerprints)).toBe(seen.size);
    });

  it('a mutated scenario that drives the nodes through more states counts more', () => {
    const base = simulate({ scenario: probeScenario(), protocol: probe, seed: 1,
      stateCoverage: true });
    // Twice the fault window: the counters climb twice as far.
    const longer = simulate({ scenario: probeScenario({ durationUs: 200_000 }), protocol: probe,
      seed: 1, stateCoverage: true });
    expect(distinct(longer.stateFingerprints)).toBeGreaterThan(distinct(base.stateFingerprints));
  });

  it('is off unless asked for, and never changes the trace', () => {
    const off = simulate({ scenario: probeScenario(), protocol: probe, seed: 2 });
    const on = simulate({ scenario: probeScenario(), protocol: probe, seed: 2,
      stateCoverage: true });
    expect(off.stateFingerprints).toBeUndefined();
    expect(on.traceHash).toBe(off.traceHash);
  });
});
