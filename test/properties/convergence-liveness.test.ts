import { describe, expect, it } from 'vitest';
import { convergenceProperty } from '../../properties/convergence.js';
import { liveness } from '../../properties/liveness.js';
import type { HistoryOp } from '../../simulator/history.js';
import { fakeRun } from '../helpers/record.js';

const state = (at: number, node: string, digest: string, applied: number, group?: string) =>
  ({ at, seq: at, node, label: 'state',
    data: { digest, applied, ...(group === undefined ? {} : { group }) } });

describe('convergence', () => {
  it('passes when replicas end equal, measuring when they first agreed after the faults', () => {
    const v = convergenceProperty.check(fakeRun({ observations: [
      state(100, 'n1', 'a', 1), state(200, 'n2', 'b', 1), state(600_000, 'n2', 'a', 1)] }));
    expect(v.status).toBe('pass');
    expect(v.measures!['convergenceUs']).toBe(100_000);
  });

  it('fails when a group ends diverged, naming the replicas and digests', () => {
    const v = convergenceProperty.check(fakeRun({ observations: [
      state(100, 'n1', 'a', 1, 's0'), state(100, 'n2', 'a', 1, 's0'),
      state(100, 'n1', 'x', 2, 's1'), state(700_000, 'n3', 'y', 2, 's1')] }));
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/s1: n1=x@2 n3=y@2/);
    expect(v.measures!['convergenceUs']).toBe(-1);
  });

  it('ignores a retired replica and skips protocols without state observations', () => {
    const v = convergenceProperty.check(fakeRun({ observations: [
      state(100, 'n1', 'a', 1), state(100, 'n2', 'b', 1),
      { at: 200, seq: 200, node: 'n2', label: 'retired', data: {} }] }));
    expect(v.status).toBe('pass');
    expect(convergenceProperty.check(fakeRun({})).status).toBe('skip');
  });
});

describe('liveness', () => {
  const op = (id: number, call: number, ret?: number): HistoryOp => ({
    id, client: 'c0', input: { type: 'get', key: 'k' }, call,
    status: ret === undefined ? 'info' : 'ok',
    ...(ret === undefined ? {} : { return: ret, output: { ok: true, value: '' } }),
  });

  it('passes when operations complete soon after the faults stop', () => {
    expect(liveness.check(fakeRun({ ops: [op(0, 510_000, 520_000),
      op(1, 700_000, 710_000)] })).status).toBe('pass');
  });

  it('fails when nothing completes within the bound, or later operations hang', () => {
    expect(liveness.check(fakeRun({ ops: [op(0, 510_000), op(1, 640_000, 650_000)] })).status)
      .toBe('fail');
    const v = liveness.check(fakeRun({ ops: [op(0, 510_000, 520_000), op(1, 700_000)] }));
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/#1 c0 get k at t=700000us/);
  });
});
