/**
 * The `skew` fault's clock: a rate counts from the fault's instant (a late rate is a drift, not
 * a jump), the clock steps only by the declared offset, ending a skew leaves it continuous, and
 * timers scheduled through the inverse fire at their local deadline. Before the fix the rate
 * counted from time 0: a skew at 1.764 s of +54,200 ppm stepped the clock 96 ms at once
 * (explore trial 1663218 of opb-handback-amnesiac, test/protocol/optimistic/open/README.md).
 */
import { describe, expect, it } from 'vitest';
import type { Protocol } from '../../protocol/types.js';
import { globalDelay, localTime, newNodeRuntime, setSkew } from '../../simulator/node-runtime.js';
import { simulate } from '../../simulator/sim.js';
import { probeScenario } from '../helpers/scenario.js';

/** The old rule, t + offset + rate x t: what a skew from time 0 must still give. */
function fromZero(t: number, offsetUs: number, ppm: number): number {
  return t + offsetUs + Math.floor(t / 1_000_000) * ppm
    + Math.floor(((t % 1_000_000) * ppm) / 1_000_000);
}

describe('skew clock arithmetic', () => {
  it('a late fault steps the clock by its offset only; the rate drifts from its instant', () => {
    const n = newNodeRuntime(0, 'n1');
    setSkew(n, 1_764_000, 27_100, 54_200);
    expect(localTime(n, 1_764_000)).toBe(1_764_000 + 27_100); // not + 95,608 more
    expect(localTime(n, 1_864_000)).toBe(1_864_000 + 27_100 + 5_420);
    expect(localTime(n, 3_764_000)).toBe(3_764_000 + 27_100 + 108_400);
  });

  it('ending or changing a skew keeps the clock continuous and monotonic', () => {
    const n = newNodeRuntime(0, 'n1');
    let last = -Infinity;
    const seen: number[] = [];
    const changes = new Map<number, [number, number]>([[40_000, [-700, -150_000]],
      [55_000, [0, 300_000]], [70_000, [0, 0]], [80_000, [900, -499_999]], [95_000, [0, 0]]]);
    for (let t = 0; t <= 120_000; t++) {
      const change = changes.get(t);
      const before = localTime(n, t);
      if (change !== undefined) setSkew(n, t, change[0], change[1]);
      // Only a declared offset moves the clock at an instant.
      expect(localTime(n, t) - before).toBe(change?.[0] ?? 0);
      if (change === undefined || change[0] >= 0) {
        expect(localTime(n, t)).toBeGreaterThanOrEqual(last);
      }
      last = localTime(n, t);
      seen.push(last);
    }
    // 15 ms at -15%, 15 ms at +30%, then unskewed: the drift stays, no step back.
    expect(seen[75_000]).toBe(75_000 - 700 - 2_250 + 4_500);
    expect(seen[100_000]).toBe(seen[95_000]! + 5_000);
  });

  it('a skew at time 0 reads as before: t + offset + rate x t', () => {
    for (const [offset, ppm] of [[-50_000, 0], [50_000, 20_000], [-7_500, -15_000],
      [0, 999_999], [3, -499_999]] as const) {
      const n = newNodeRuntime(0, 'n1');
      setSkew(n, 0, offset, ppm);
      for (const t of [0, 1, 999_999, 1_000_000, 1_234_567, 4_745_000, 987_654_321]) {
        expect(localTime(n, t)).toBe(fromZero(t, offset, ppm));
      }
    }
  });

  it('the inverse gives the first global microsecond whose local time reaches the deadline', () => {
    for (const [at, offset, ppm] of [[0, 0, 100_000], [1_764_000, 27_100, 54_200],
      [4_745_000, -7_500, -15_000], [639_000, -2_000, -4_000], [1, 0, 999_999],
      [200_000, 50_000, -499_999], [5_000, 0, 0]] as const) {
      const n = newNodeRuntime(0, 'n1');
      setSkew(n, at, offset, ppm);
      for (let i = 0; i < 400; i++) {
        const now = at + i * 7_919;
        const deadline = localTime(n, now) + 1 + ((i * 104_729) % 3_000_000);
        const fire = now + globalDelay(n, now, deadline);
        expect(localTime(n, fire)).toBeGreaterThanOrEqual(deadline);
        expect(localTime(n, fire - 1)).toBeLessThan(deadline);
      }
      expect(globalDelay(n, at + 10, localTime(n, at + 10))).toBe(0);
    }
  });
});

interface Tick { readonly deadline: number }

/** Sets a timer 1 ms of local time ahead, again and again; observes each firing's local time. */
const ticker: Protocol<Tick, never, number> = {
  name: 'probe',
  description: 'test protocol: a local-clock ticker',
  mutants: [],
  client: { target: 'first', onTimeout: 'rotate' },
  defaults: {},
  init: () => ({ deadline: 0 }),
  durable: () => 0,
  describeMessage: () => 'none',
  step(s, ev) {
    if (ev.kind !== 'restart' && ev.kind !== 'timer') return { state: s, effects: [] };
    const deadline = ev.now + 1_000;
    const effects = [{ kind: 'setTimer' as const, timer: 'tick', at: deadline }];
    if (ev.kind === 'restart') return { state: { deadline }, effects };
    return { state: { deadline }, effects: [...effects,
      { kind: 'observe' as const, label: 'tick', data: { local: ev.now, deadline: s.deadline } }] };
  },
};

describe('skew in a run', () => {
  const scenario = probeScenario({ faults: [
    { at: 50_500, kind: 'skew', node: 'n1', offsetUs: 300, ratePpm: 200_000 },
    { at: 80_500, kind: 'skew', node: 'n1', offsetUs: 0, ratePpm: 0 }] }, 1);
  const ticks = simulate({ scenario, protocol: ticker, seed: 1 }).observations
    .filter((o) => o.label === 'tick')
    .map((o) => ({ at: o.at, ...(o.data as { local: number; deadline: number }) }));

  it('the clock at a late fault moves by its offset, then drifts at its rate', () => {
    for (const { at, local } of ticks) {
      const expected = at <= 50_500 ? at : at <= 80_500 ? at + 300 + Math.floor((at - 50_500) / 5)
        : at + 300 + 6_000;
      expect(local).toBe(expected);
    }
  });
});

describe('timers across a clock change', () => {
  // A step and a rate change with a timer pending each time, then the end of the drift.
  const scenario = probeScenario({ faults: [
    { at: 50_500, kind: 'skew', node: 'n1', offsetUs: 300, ratePpm: 200_000 },
    { at: 70_250, kind: 'skew', node: 'n1', offsetUs: -200, ratePpm: -400_000 },
    { at: 80_500, kind: 'skew', node: 'n1', offsetUs: 0, ratePpm: 0 }] }, 1);
  const ticks = simulate({ scenario, protocol: ticker, seed: 1 }).observations
    .filter((o) => o.label === 'tick')
    .map((o) => ({ at: o.at, ...(o.data as { local: number; deadline: number }) }));

  it('a pending timer fires when the changed clock reaches its deadline, never early', () => {
    expect(ticks.length).toBeGreaterThan(90);
    // Before: the timer set at 50,000 fired at 51,000 (local 51,400, late), and the one
    // pending at the end of the drift fired 100 us early on the node's clock.
    expect(ticks.filter(({ local, deadline }) => local !== deadline)).toEqual([]);
  });
});
