import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { KvOp, KvResult } from '../../../protocol/kv-types.js';
import { checkHistory } from '../../../properties/linearizability/index.js';
import { etcdCasRegisterModel, kvModel } from '../../../properties/models/index.js';
import type { RegisterOp, RegisterResult, RegValue } from '../../../properties/models/index.js';
import type { Operation } from '../../../properties/models/types.js';
import { bruteForceLinearizable } from '../../helpers/lincheck.js';

/**
 * Histories are generated from a sequential execution (op i takes effect at time 10·i + 5, inside
 * a random interval around it, so intervals overlap), then perturbed: stale read, reordered
 * writes, lost write, dropped response (→ indefinite), flipped CAS result.
 */
const PERTURBATIONS = [
  'stale-read',
  'reorder-writes',
  'lost-write',
  'drop-response',
  'flip-cas',
] as const;
type Perturbation = (typeof PERTURBATIONS)[number];

const perturbationArb = fc.record({
  kind: fc.constantFrom(...PERTURBATIONS),
  which: fc.nat(1000),
  other: fc.nat(1000),
});

interface Spec<I> {
  readonly input: I;
  readonly before: number;
  readonly after: number;
}

function intervals<I, O>(specs: readonly Spec<I>[], outputs: readonly O[]): Operation<I, O>[] {
  return specs.map((spec, i) => ({
    id: i,
    client: `c${i}`,
    input: spec.input,
    output: outputs[i] as O,
    call: 10 * i + 5 - spec.before,
    return: 10 * i + 5 + spec.after,
  }));
}

function pick<T>(items: readonly T[], which: number): T | undefined {
  return items.length === 0 ? undefined : items[which % items.length];
}

function perturb<I, O>(
  ops: Operation<I, O>[],
  p: { kind: Perturbation; which: number; other: number },
  isRead: (op: Operation<I, O>) => boolean,
  isWrite: (op: Operation<I, O>) => boolean,
  staleOutput: (op: Operation<I, O>, other: number) => O,
  swapInputs: (a: I, b: I) => [I, I],
  flip: (op: Operation<I, O>) => O | undefined,
): Operation<I, O>[] {
  const index = (pred: (op: Operation<I, O>) => boolean): number | undefined =>
    pick(
      ops.map((op, i) => (pred(op) ? i : -1)).filter((i) => i >= 0),
      p.which,
    );
  const copy = ops.slice();
  switch (p.kind) {
    case 'stale-read': {
      const i = index((op) => isRead(op) && op.output !== undefined);
      if (i !== undefined) {
        const op = copy[i] as Operation<I, O>;
        copy[i] = { ...op, output: staleOutput(op, p.other) };
      }
      return copy;
    }
    case 'reorder-writes': {
      const writes = ops.map((op, i) => (isWrite(op) ? i : -1)).filter((i) => i >= 0);
      const a = pick(writes, p.which);
      const b = pick(writes, p.other);
      if (a === undefined || b === undefined || a === b) return copy;
      const [x, y] = swapInputs(
        (copy[a] as Operation<I, O>).input,
        (copy[b] as Operation<I, O>).input,
      );
      copy[a] = { ...(copy[a] as Operation<I, O>), input: x };
      copy[b] = { ...(copy[b] as Operation<I, O>), input: y };
      return copy;
    }
    case 'lost-write': {
      const i = index(isWrite);
      if (i !== undefined) copy.splice(i, 1);
      return copy;
    }
    case 'drop-response': {
      const i = pick(ops.map((_, k) => k), p.which);
      if (i !== undefined) {
        copy[i] = { ...(copy[i] as Operation<I, O>), output: undefined, return: Infinity };
      }
      return copy;
    }
    case 'flip-cas': {
      const i = index((op) => flip(op) !== undefined);
      if (i !== undefined) {
        const op = copy[i] as Operation<I, O>;
        copy[i] = { ...op, output: flip(op) };
      }
      return copy;
    }
  }
}

// ---- kv ------------------------------------------------------------------------------------

const VALUES = ['x', 'y', 'z'] as const;
const kvInputArb: fc.Arbitrary<KvOp> = fc.oneof(
  fc.record({ type: fc.constant('get' as const), key: fc.constantFrom('a', 'b') }),
  fc.record({
    type: fc.constant('put' as const),
    key: fc.constantFrom('a', 'b'),
    value: fc.constantFrom(...VALUES),
  }),
  fc.record({
    type: fc.constant('append' as const),
    key: fc.constantFrom('a', 'b'),
    value: fc.constantFrom(...VALUES),
  }),
  fc.record({
    type: fc.constant('cas' as const),
    key: fc.constantFrom('a', 'b'),
    expected: fc.constantFrom('', 'x', 'y', 'xy'),
    value: fc.constantFrom(...VALUES),
  }),
);

function runKv(inputs: readonly KvOp[]): KvResult[] {
  const state = new Map<string, string>();
  return inputs.map((op) => {
    const cur = state.get(op.key) ?? '';
    switch (op.type) {
      case 'get':
        return { ok: true, value: cur };
      case 'put':
        state.set(op.key, op.value);
        return { ok: true };
      case 'append':
        state.set(op.key, cur + op.value);
        return { ok: true };
      case 'cas':
        if (cur !== op.expected) return { ok: false };
        state.set(op.key, op.value);
        return { ok: true };
    }
  });
}

const kvHistoryArb = fc
  .record({
    specs: fc.array(fc.record({ input: kvInputArb, before: fc.nat(25), after: fc.nat(25) }), {
      minLength: 1,
      maxLength: 7,
    }),
    perturbations: fc.array(perturbationArb, { maxLength: 2 }),
  })
  .map(({ specs, perturbations }) => {
    let ops = intervals<KvOp, KvResult>(specs, runKv(specs.map((s) => s.input)));
    for (const p of perturbations) {
      ops = perturb(
        ops,
        p,
        (op) => op.input.type === 'get',
        (op) => op.input.type === 'put' || op.input.type === 'append',
        (_, other) => ({ ok: true, value: pick(['', 'x', 'y', 'xy', 'yx', 'z'], other) ?? '' }),
        (a, b) =>
          a.type !== 'get' && b.type !== 'get' && a.type !== 'cas' && b.type !== 'cas'
            ? [{ ...a, value: b.value }, { ...b, value: a.value }]
            : [a, b],
        (op) =>
          op.input.type === 'cas' && op.output !== undefined ? { ok: !op.output.ok } : undefined,
      );
    }
    return ops;
  });

// ---- register ------------------------------------------------------------------------------

const regValueArb: fc.Arbitrary<RegValue> = fc.constantFrom(0, 1, 2);
const regInputArb: fc.Arbitrary<RegisterOp> = fc.oneof(
  fc.constant({ type: 'read' as const }),
  fc.record({ type: fc.constant('write' as const), value: regValueArb }),
  fc.record({
    type: fc.constant('cas' as const),
    expected: fc.constantFrom<RegValue>(null, 0, 1, 2),
    value: regValueArb,
  }),
);

function runRegister(inputs: readonly RegisterOp[]): RegisterResult[] {
  let state: RegValue = null;
  return inputs.map((op) => {
    if (op.type === 'read') return { ok: true, value: state };
    if (op.type === 'write') {
      state = op.value;
      return { ok: true };
    }
    if (state !== op.expected) return { ok: false };
    state = op.value;
    return { ok: true };
  });
}

const registerHistoryArb = fc
  .record({
    specs: fc.array(fc.record({ input: regInputArb, before: fc.nat(25), after: fc.nat(25) }), {
      minLength: 1,
      maxLength: 7,
    }),
    perturbations: fc.array(perturbationArb, { maxLength: 2 }),
  })
  .map(({ specs, perturbations }) => {
    let ops = intervals<RegisterOp, RegisterResult>(specs, runRegister(specs.map((s) => s.input)));
    for (const p of perturbations) {
      ops = perturb(
        ops,
        p,
        (op) => op.input.type === 'read',
        (op) => op.input.type === 'write',
        (_, other) => ({ ok: true, value: pick<RegValue>([null, 0, 1, 2], other) ?? null }),
        (a, b) =>
          a.type === 'write' && b.type === 'write'
            ? [
                { ...a, value: b.value },
                { ...b, value: a.value },
              ]
            : [a, b],
        (op) =>
          op.input.type === 'cas' && op.output !== undefined ? { ok: !op.output.ok } : undefined,
      );
    }
    return ops;
  });

// ---- properties ----------------------------------------------------------------------------

const tally = { kv: { ok: 0, illegal: 0 }, register: { ok: 0, illegal: 0 } };

describe('differential: fast checker vs brute force (≤ 7 ops)', () => {
  const kvRuns = { numRuns: 3000, seed: 42 };
  fcTest.prop([kvHistoryArb], kvRuns)('kv, 2 keys, partitioned and not', (ops) => {
    const expected = bruteForceLinearizable(ops, kvModel) ? 'ok' : 'illegal';
    tally.kv[expected]++;
    expect(checkHistory(ops, kvModel).verdict).toBe(expected);
    expect(checkHistory(ops, kvModel, { partition: false }).verdict).toBe(expected);
  });

  fcTest.prop([registerHistoryArb], { numRuns: 2000, seed: 7 })('etcd-cas-register', (ops) => {
    const expected = bruteForceLinearizable(ops, etcdCasRegisterModel) ? 'ok' : 'illegal';
    tally.register[expected]++;
    expect(checkHistory(ops, etcdCasRegisterModel).verdict).toBe(expected);
  });

  fcTest.prop([fc.constant(0)], { numRuns: 1 })('generated both verdicts in quantity', () => {
    for (const counts of [tally.kv, tally.register]) {
      expect(counts.ok).toBeGreaterThan(200);
      expect(counts.illegal).toBeGreaterThan(200);
    }
  });
});
