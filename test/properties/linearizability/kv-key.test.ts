import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { KvOp, KvResult } from '../../../protocol/kv-types.js';
import { checkHistory } from '../../../properties/linearizability/index.js';
import { kvKeyModel, kvModel } from '../../../properties/models/index.js';
import type { AnyModel, Operation } from '../../../properties/models/types.js';
import { bruteForceLinearizable } from '../../helpers/lincheck.js';

/** The general kv model without its single-key specialization. */
const generalKv: AnyModel = { ...kvModel };
delete generalKv.specialize;

// "Aa" and "BB" have the same length and the same base-31 polynomial hash (as in Java).
const TEXTS = ['', 'A', 'a', 'Aa', 'BB', 'x', 'AaBB', 'BBAa'] as const;

const inputArb: fc.Arbitrary<KvOp> = fc.oneof(
  fc.record({ type: fc.constant('get' as const), key: fc.constant('k') }),
  fc.record({
    type: fc.constant('put' as const),
    key: fc.constant('k'),
    value: fc.constantFrom(...TEXTS),
  }),
  fc.record({
    type: fc.constant('append' as const),
    key: fc.constant('k'),
    value: fc.constantFrom(...TEXTS),
  }),
  fc.record({
    type: fc.constant('cas' as const),
    key: fc.constant('k'),
    expected: fc.constantFrom(...TEXTS),
    value: fc.constantFrom(...TEXTS),
  }),
);

const outputArb: fc.Arbitrary<KvResult | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.boolean().map((ok) => ({ ok })),
  fc.constantFrom(...TEXTS).map((value) => ({ ok: true, value })),
);

describe('kv model specialized to one key', () => {
  it('is what kvModel.specialize gives for a single-key partition, and only then', () => {
    const op = (key: string): Operation<KvOp, KvResult> => ({
      id: 0,
      client: 'c',
      input: { type: 'get', key },
      output: { ok: true, value: '' },
      call: 0,
      return: 1,
    });
    expect(kvModel.specialize?.([op('a'), op('a')])?.denseStates).toBe(true);
    expect(kvModel.specialize?.([op('a'), op('b')])).toBeUndefined();
    expect(kvModel.specialize?.([])).toBeUndefined();
  });

  it('tells values with equal hashes and lengths apart ("Aa" vs "BB")', () => {
    const m = kvKeyModel('k');
    const put = m.step(m.init(), { type: 'put', key: 'k', value: 'Aa' }, { ok: true });
    expect(put.ok).toBe(true);
    const get = (state: number, value: string): boolean =>
      m.step(state, { type: 'get', key: 'k' }, { ok: true, value }).ok;
    expect(get(put.state, 'Aa')).toBe(true);
    expect(get(put.state, 'BB')).toBe(false);
    const a = m.step(m.init(), { type: 'append', key: 'k', value: 'A' }, { ok: true }).state;
    const aa = m.step(a, { type: 'append', key: 'k', value: 'a' }, { ok: true }).state;
    expect(aa).toBe(put.state);
    const bb = m.step(m.init(), { type: 'put', key: 'k', value: 'BB' }, { ok: true }).state;
    expect(bb).not.toBe(aa);
    const b = m.step(m.init(), { type: 'append', key: 'k', value: 'B' }, { ok: true }).state;
    expect(m.step(b, { type: 'append', key: 'k', value: 'B' }, { ok: true }).state).toBe(bb);
    expect(m.describeState?.(bb)).toBe('{"k": "BB"}');
    expect(m.describeState?.(m.init())).toBe('{}');
  });

  const stepsArb = fc.array(fc.tuple(inputArb, outputArb), { maxLength: 40 });
  fcTest.prop([stepsArb], { numRuns: 2000, seed: 11 })(
    'steps exactly like kvModel (same legality, same values, equal states get equal ids)',
    (steps) => {
      const m = kvKeyModel('k');
      let general = kvModel.init();
      let special = m.init();
      const idOf = new Map<string, number>([['{}', special]]);
      for (const [input, output] of steps) {
        const g = kvModel.step(general, input, output);
        const s = m.step(special, input, output);
        expect(s.ok).toBe(g.ok);
        if (!g.ok) continue;
        general = g.state;
        special = s.state;
        const described = kvModel.describeState?.(general) ?? '';
        expect(m.describeState?.(special)).toBe(described);
        const known = idOf.get(described);
        if (known === undefined) idOf.set(described, special);
        else expect(special).toBe(known);
      }
    },
  );

  const historyArb = fc
    .array(
      fc.record({ input: inputArb, output: outputArb, call: fc.nat(40), length: fc.nat(25) }),
      { minLength: 1, maxLength: 6 },
    )
    .map((specs) =>
      specs.map(
        (s, id): Operation<KvOp, KvResult> => ({
          id,
          client: `c${id}`,
          input: s.input,
          output: s.output,
          call: s.call,
          return: s.output === undefined ? Infinity : s.call + s.length,
        }),
      ),
    );

  fcTest.prop([historyArb], { numRuns: 1500, seed: 5 })(
    'gives the verdicts of the general model and of brute force',
    (ops) => {
      const expected = bruteForceLinearizable(ops, kvModel) ? 'ok' : 'illegal';
      expect(checkHistory(ops, generalKv).verdict).toBe(expected);
      expect(checkHistory(ops, kvModel).verdict).toBe(expected);
    },
  );
});
