/**
 * The fault table (simulator/faults/kinds.ts) is the one place a fault kind is defined: its
 * schema, the selectors it names, what it does and how explore draws it.
 */
import { describe, expect, it } from 'vitest';
import type { FaultKind } from '../../protocol/types.js';
import { faultKinds } from '../../scenarios/generator.js';
import { parseScenario } from '../../scenarios/load.js';
import type { SchemaMatchesScenario } from '../../scenarios/schema.js';
import type { Holds, Same, Scenario } from '../../simulator/config.js';
import {
  faultSchema, faultTable, selectorsOf, swarmDraws, type FaultEvent,
} from '../../simulator/faults/kinds.js';
import { probeScenario } from '../helpers/scenario.js';

const samples: FaultEvent[] = [
  { at: 1, kind: 'crash', node: 'n1' },
  { at: 1, kind: 'restart', node: 'n1', amnesia: true },
  { at: 1, kind: 'partition', mode: 'splitDc', symmetry: 'symmetric', sides: [['a'], ['dc:b']] },
  { at: 1, kind: 'heal' },
  { at: 1, kind: 'clog', from: 'n1', to: 'dc:b', delayUs: 5 },
  { at: 1, kind: 'pause', node: 'n2' },
  { at: 1, kind: 'resume', node: 'n2' },
  { at: 1, kind: 'slow', node: 'n3', delayUs: 7 },
  { at: 1, kind: 'skew', node: 'n3', offsetUs: -4, ratePpm: 100 },
  { at: 1, kind: 'network', loss: [1, 10] },
  { at: 1, kind: 'operator', node: 'replicas', name: 'migrate', args: ['n1'] },
  { at: 1, kind: 'corrupt', node: 'zone:z1' },
  { at: 1, kind: 'disk', node: 'n1', delayUs: 9 },
  { at: 1, kind: 'targeted', type: 'propose', to: ['n2', 'dc:b'], action: 'drop', untilUs: 9 },
];

describe('fault table', () => {
  it('has one sample here per kind, and each round-trips through the schema', () => {
    expect(samples.map((f) => f.kind).sort()).toEqual(Object.keys(faultTable).sort());
    for (const f of samples) expect(faultSchema.parse(f)).toEqual(f);
  });

  it('names every selector a fault uses (splitDc sides are data centers)', () => {
    expect(selectorsOf(samples[2]!)).toEqual(['dc:a', 'dc:b']);
    expect(selectorsOf(samples[4]!)).toEqual(['n1', 'dc:b']);
    expect(selectorsOf(samples[3]!)).toEqual([]);
  });

  it('a fault naming an unknown endpoint is rejected at load, naming the fault', () => {
    const scenario = { ...probeScenario({}), faults: [{ at: 5, kind: 'clog', from: 'n1',
      to: 'ghost', delayUs: 3 }] };
    expect(() => parseScenario(scenario, 'test')).toThrow(/faults\.0: unknown node .*ghost/);
  });

  it('rejects an unknown kind and a misspelt field', () => {
    expect(faultSchema.safeParse({ at: 1, kind: 'explode', node: 'n1' }).success).toBe(false);
    expect(faultSchema.safeParse({ at: 1, kind: 'crash', nodes: 'n1' }).success).toBe(false);
  });

  it('every kind a protocol can survive has exactly one swarm draw, in a fixed order', () => {
    const kinds: FaultKind[] = ['crash', 'partition', 'pause', 'clog', 'skew', 'slow', 'lossy',
      'amnesia', 'disk', 'targeted'];
    expect(faultKinds).toEqual(kinds);
    expect(Object.keys(swarmDraws)).toEqual(kinds);
  });

  it('the schema/type equality check is a real check', () => {
    const ok: SchemaMatchesScenario = true;
    // @ts-expect-error a type missing a field is not the same as the scenario
    type Missing = Holds<Same<Omit<Scenario, 'settleUs'>, Scenario>>;
    // @ts-expect-error a field of another type is not the same either
    type Retyped = Holds<Same<Omit<Scenario, 'name'> & { name: number }, Scenario>>;
    const unused: [Missing?, Retyped?] = [];
    expect([ok, unused.length]).toEqual([true, 0]);
  });
});

describe('swarm partitions', () => {
  it('cut clients along with their data center', () => {
    const dcOf = new Map([['n1', 'a'], ['n2', 'a'], ['n3', 'b'], ['n4', 'b'], ['c0', 'a'],
      ['c1', 'b'], ['c2', 'z']]);
    const [cut] = swarmDraws.partition({
      at: 10, end: 20, nodes: ['n1', 'n2', 'n3', 'n4'], dcs: ['a', 'b'], dcOf,
      clients: ['c0', 'c1', 'c2'], node: 'n1', target: 0, extra: 1,
      partitionMode: 'uniformSize', loss: [0, 1], baseNetwork: { loss: [0, 1], dup: [0, 1] },
      messageTypes: [], crashes: false,
    });
    // Halves n1 n2 | n3 n4: c0 (dc a) goes with the first, c1 (dc b) with the second, and c2,
    // whose DC has no node, is on neither side.
    expect(cut).toMatchObject({ kind: 'partition',
      sides: [['n1', 'n2', 'c0'], ['n3', 'n4', 'c1']] });
  });
});

describe('swarm targeted faults', () => {
  const ctx = {
    at: 100, end: 300, nodes: ['n1', 'n2', 'n3', 'n4', 'n5'], dcs: ['a'],
    dcOf: new Map<string, string>(), clients: [], node: 'n1', target: 0, extra: 7,
    partitionMode: 'uniformSize' as const, loss: [0, 1] as const,
    baseNetwork: { loss: [0, 1] as const, dup: [0, 1] as const },
    messageTypes: ['propose', 'logged'], crashes: false,
  };

  it('drop one type to a minority or majority of the other nodes for the episode', () => {
    // extra 7: type 7 % 2 = logged, 1 + (3 % 4) = 4 recipients, 7 % 3 ≠ 0: drop.
    expect(swarmDraws.targeted(ctx)).toEqual([{ at: 100, kind: 'targeted', type: 'logged',
      to: ['n2', 'n3', 'n4', 'n5'], action: 'drop', untilUs: 300 }]);
    expect(swarmDraws.targeted({ ...ctx, extra: 6 })).toEqual([{ at: 100, kind: 'targeted',
      type: 'propose', to: ['n2', 'n3', 'n4', 'n5'], action: 'delay', delayUs: 7_000,
      untilUs: 300 }]);
    expect(swarmDraws.targeted({ ...ctx, messageTypes: [] })).toEqual([]);
  });

  it('in a trial with crashes, may cut the target\'s messages to a few, then crash it', () => {
    const drawn = swarmDraws.targeted({ ...ctx, crashes: true, target: 5, node: 'n1', extra: 0 });
    expect(drawn).toEqual([
      { at: 100, kind: 'targeted', type: 'propose', from: ['n1'], to: ['n2'], action: 'delay',
        delayUs: 1_000, untilUs: 200 },
      { at: 200, kind: 'crash', node: 'n1' },
      { at: 300, kind: 'restart', node: 'n1' },
    ]);
  });
});
