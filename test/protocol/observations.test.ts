/**
 * The observation contract: each protocol's union types its emission helper (a wrong label or
 * field does not compile), and properties read observations checked against it (a malformed
 * one stops the check instead of being read as '' or -1).
 */
import { describe, expect, it } from 'vitest';
import { observe as opbObserve } from '../../protocol/optimistic/effects.js';
import { observe as smartObserve } from '../../protocol/smart/util.js';
import type { Ctx } from '../../protocol/smart/types.js';
import { buildWorld } from '../../properties/opb-world.js';
import { readCommon, reader, type FieldTable } from '../../properties/observed.js';
import { smartUniqueProposal } from '../../properties/smart-safety.js';
import type { Observation } from '../../simulator/run-record.js';
import { fakeRun } from '../helpers/record.js';

const obs = (label: string, data: Observation['data'], node = 'n1', at = 5): Observation =>
  ({ at, seq: at, node, label, data });

describe('typed emission', () => {
  it('puts the declared fields into the observe effect', () => {
    const ctx: Ctx = { now: 0, out: [] };
    smartObserve(ctx, 'decide', { config: 1, slot: 3, command: 'c0#1', ballot: 7 });
    expect(ctx.out).toEqual([{ kind: 'observe', label: 'decide',
      data: { config: 1, slot: 3, command: 'c0#1', ballot: 7 } }]);
    expect(opbObserve('opb.power', { on: true })).toEqual(
      { kind: 'observe', label: 'opb.power', data: { on: true } });
  });
  it('rejects a wrong label or field at compile time', () => {
    const ctx: Ctx = { now: 0, out: [] };
    // @ts-expect-error: the one-letter keys of old are not SMART's declared fields.
    smartObserve(ctx, 'decide', { c: 1, s: 3, v: 'c0#1', b: 7 });
    // @ts-expect-error: an undeclared label.
    smartObserve(ctx, 'decided', { config: 1 });
    // @ts-expect-error: `svc` is `service` in OPB's contract.
    opbObserve('opb.leave', { svc: 0, membershipVersion: 1 });
    expect(ctx.out.length).toBe(2); // The calls still run; only the compiler refuses them.
  });
});

describe('typed reading', () => {
  type Toy = { readonly label: 'tick'; readonly data: { readonly n: number; readonly s?: string } };
  const table: FieldTable<Toy> = { tick: { n: 'number' } };
  const read = reader<Toy>(table);

  it('returns the observations of one label with their declared data', () => {
    const run = fakeRun({ observations: [obs('tick', { n: 1 }), obs('other', 5),
      obs('tick', { n: 2, s: 'x' })] });
    expect(read(run, 'tick').map((o) => o.data.n)).toEqual([1, 2]);
  });
  it('throws on a malformed observation, naming label, node and time', () => {
    const missing = fakeRun({ observations: [obs('tick', { s: 'x' }, 'n2', 40)] });
    expect(() => read(missing, 'tick')).toThrow(
      'malformed tick observation of n2 at t=40us: n is not a number');
    const wrongType = fakeRun({ observations: [obs('tick', { n: '3' })] });
    expect(() => read(wrongType, 'tick')).toThrow('n is not a number');
    const notObject = fakeRun({ observations: [obs('tick', [1, 2])] });
    expect(() => read(notObject, 'tick')).toThrow('data is not an object');
  });
  it('a property reading a malformed observation fails loudly, not with defaults', () => {
    // OPB's C7 used to read a missing `svc` as -1 and a missing epoch as ''.
    const run = fakeRun({ observations: [obs('opb.node',
      { dc: 'a1', zone: 'za', amnesia: false, hosted: 1 }), obs('opb.epoch', { c: 1, n: 'n1' })] });
    expect(() => buildWorld(run).obs('opb.epoch')).toThrow(
      'malformed opb.epoch observation of n1 at t=5us: service is not a number');
    const smart = fakeRun({ observations: [obs('propose', { c: 1, b: 1, s: 1, v: 'x' })] });
    expect(() => smartUniqueProposal.check(smart)).toThrow('malformed propose observation');
  });
  it('reads the protocol-neutral role observation', () => {
    const run = fakeRun({ observations: [
      obs('role', { group: 's0', role: 'leader', node: 'n1' }),
      obs('role', { group: 's0', role: 'follower', node: 'n1' }),
    ] });
    expect(readCommon(run, 'role').map((o) => o.data.role)).toEqual(['leader', 'follower']);
    // A value outside the declared union is malformed (Stryker #6582 of the seed-52 sample).
    const boss = fakeRun({ observations: [
      obs('role', { group: 's0', role: 'boss' as 'leader', node: 'n1' })] });
    expect(() => readCommon(boss, 'role')).toThrow('role "boss" is not declared');
    expect(() => readCommon(fakeRun({ observations: [obs('role', { group: 's0' })] }), 'role'))
      .toThrow('role is not a string');
  });
});
