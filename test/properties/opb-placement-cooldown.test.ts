/**
 * C8's cool-down (P2.6 #4) separates a group's move decisions. A move's observation waits behind
 * its step's disk write, so its record can come late: the check times each move by the step
 * that decided it (explore seed 702357, disk faults: a false alarm before).
 */
import { describe, expect, it } from 'vitest';
import { opbPlacement } from '../../properties/opb-placement.js';
import type { Observation } from '../../simulator/run-record.js';
import { fakeRun } from '../helpers/record.js';

const COOL = 1_000_000;
let seq = 0;

function obs(at: number, label: string, data: Observation['data'], stepAt?: number): Observation {
  seq += 1;
  return stepAt === undefined ? { at, seq, node: 'n1', label, data }
    : { at, seq, node: 'n1', label, data, stepAt };
}

/** n1, primary of s1, starts two balance moves decided at `first` and `second`. */
function twoMoves(first: number, firstAt: number, second: number, secondAt: number) {
  const move = (at: number, stepAt: number, add: string): Observation =>
    obs(at, 'opb.move', { service: 1, kind: 'spread', add, drop: 'n2', phase: 'start',
      coolUs: COOL, members: ['n1', 'n2'] }, stepAt === at ? undefined : stepAt);
  return fakeRun({ endUs: 8_000_000, faultWindowEndUs: 0, observations: [
    obs(0, 'opb.role', { service: 1, role: 'primary', epoch: '1.n1', counter: 1,
      reason: 'suspect' }),
    move(firstAt, first, 'n3'),
    move(secondAt, second, 'n4'),
  ] });
}

const verdict = (r: ReturnType<typeof twoMoves>) => opbPlacement.check(r);

describe('opb-c8-placement cool-down', () => {
  it('passes moves decided a cool-down apart, the first recorded late (seed 702357)', () => {
    const v = verdict(twoMoves(4_500_000, 4_552_679, 5_500_000, 5_500_000));
    expect(v.status).toBe('pass');
  });

  it('fails moves decided less than a cool-down apart, both recorded on time', () => {
    const v = verdict(twoMoves(4_500_000, 4_500_000, 5_400_000, 5_400_000));
    expect(v.status).toBe('fail');
    expect(v.message).toBe('s1: spread move at t=5400000us only 900000us after the previous ' +
      'one (cool-down 1000000us)');
  });

  it('fails a short gap that a late record of the second move would stretch', () => {
    const v = verdict(twoMoves(4_500_000, 4_500_000, 5_400_000, 5_600_000));
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/at t=5400000us \(recorded at t=5600000us\) only 900000us/);
  });

  it('fails a short gap whose first move was recorded late as well', () => {
    const v = verdict(twoMoves(4_500_000, 4_700_000, 5_300_000, 5_300_000));
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/only 800000us after/);
  });
});
