/**
 * The disk model: a node's disk holds the image of its last *completed* write. A crash loses
 * writes still in flight, a restart gets the last completed image, amnesia an empty disk.
 */
import { describe, expect, it } from 'vitest';
import type { Effect, Protocol } from '../../protocol/types.js';
import { simulate } from '../../simulator/sim.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { probe } from '../helpers/probe.js';
import { probeScenario } from '../helpers/scenario.js';

/** Times at which n1 handled a ping (each handling persists the new count). */
function pingsAtN1(run: RunRecord): number[] {
  return run.trace!.flatMap((line) => {
    const m = /^t=(\d+) n\d->n1 Ping/.exec(line);
    return m ? [Number(m[1])] : [];
  });
}

function bootsOfN1(run: RunRecord): number[] {
  return run.observations.filter((o) => o.node === 'n1' && o.label === 'boot')
    .map((o) => (o.data as { durable: number }).durable);
}

describe('disk model', () => {
  it('a crash keeps exactly the writes that completed before it', () => {
    const writeUs = 5_000;
    const crashAt = 30_000;
    const scenario = probeScenario({
      faults: [{ at: 0, kind: 'disk', node: 'n1', delayUs: writeUs },
        { at: crashAt, kind: 'crash', node: 'n1' }, { at: 40_000, kind: 'restart', node: 'n1' }],
    });
    const run = simulate({ scenario, protocol: probe, seed: 1, keepTrace: true });
    const pings = pingsAtN1(run).filter((t) => t < crashAt);
    const landed = pings.filter((t) => t + writeUs < crashAt).length;
    const lost = pings.length - landed;
    expect(lost).toBeGreaterThan(3);
    expect(bootsOfN1(run)).toEqual([0, landed]);
    expect(run.trace!).toContain(`t=${crashAt} n1 crash loses ${lost} unsynced writes`);
  });

  it('with an instant disk a crash keeps every write, and amnesia keeps none', () => {
    const scenario = probeScenario({
      faults: [{ at: 30_000, kind: 'crash', node: 'n1' },
        { at: 40_000, kind: 'restart', node: 'n1' },
        { at: 60_000, kind: 'restart', node: 'n1', amnesia: true }],
    });
    const run = simulate({ scenario, protocol: probe, seed: 1, keepTrace: true });
    const before = pingsAtN1(run).filter((t) => t < 30_000).length;
    expect(bootsOfN1(run)).toEqual([0, before, 0]);
    expect(run.trace!.some((l) => l.includes('unsynced'))).toBe(false);
  });

  it('a slow write finishing late never overwrites a newer image', () => {
    // Writes before 25 ms take 20 ms; later ones are instant, so the slow ones land last.
    const scenario = probeScenario({
      faults: [{ at: 0, kind: 'disk', node: 'n1', delayUs: 20_000 },
        { at: 25_000, kind: 'disk', node: 'n1', delayUs: 0 },
        { at: 30_000, kind: 'partition', mode: 'isolate', sides: [['n1']] },
        { at: 60_000, kind: 'crash', node: 'n1' }, { at: 70_000, kind: 'restart', node: 'n1' }],
    });
    const run = simulate({ scenario, protocol: probe, seed: 2, keepTrace: true });
    const all = pingsAtN1(run).filter((t) => t < 60_000).length;
    expect(bootsOfN1(run)).toEqual([0, all]);
  });

  it('the disk fault is a swarm kind: explore can draw it', async () => {
    const { faultKinds } = await import('../../scenarios/generator.js');
    expect(faultKinds).toContain('disk');
  });
});

interface TickState { readonly id: string; readonly k: number }
/** n1 ticks every ms: writes k, then tells n2 (after the persist) and observes it. */
const ticker: Protocol<TickState, number, number> = {
  name: 'ticker', description: 'test: persist, then send', mutants: [],
  client: { target: 'first', onTimeout: 'rotate' }, defaults: {},
  init: (id) => ({ id, k: 0 }),
  durable: (s) => s.k,
  describeMessage: (m) => `Tick ${m}`,
  step(s, ev) {
    if (ev.kind === 'restart') {
      const next = { ...s, k: ev.durable ?? 0 };
      return { state: next, effects: s.id === 'n1'
        ? [{ kind: 'setTimer', timer: 't', at: ev.now + 1000 }] : [] };
    }
    if (ev.kind === 'timer') {
      const k = s.k + 1;
      return { state: { ...s, k }, effects: [{ kind: 'persist', what: `k=${k}` },
        { kind: 'send', to: 'n2', msg: k }, { kind: 'observe', label: 'wrote', data: k },
        { kind: 'setTimer', timer: 't', at: ev.now + 1000 }] };
    }
    if (ev.kind === 'message') {
      return { state: s, effects: [{ kind: 'observe', label: 'got', data: ev.msg }] };
    }
    return { state: s, effects: [] };
  },
};

describe('effects that wait for the disk', () => {
  it('a crash before the write is done cancels the sends and facts listed after it', () => {
    const scenario = probeScenario({ protocols: ['ticker'],
      faults: [{ at: 0, kind: 'disk', node: 'n1', delayUs: 10_000 },
        { at: 50_500, kind: 'crash', node: 'n1' }] });
    const run = simulate({ scenario, protocol: ticker, seed: 1, keepTrace: true });
    const ticks = run.trace!.filter((l) => / n1 timer t$/.test(l))
      .map((l) => Number(/^t=(\d+)/.exec(l)![1])).filter((t) => t < 50_500);
    const landed = ticks.filter((t) => t + 10_000 < 50_500).length;
    const beforeSettle = run.observations.filter((o) => o.at < 100_000);
    const got = beforeSettle.filter((o) => o.label === 'got').map((o) => o.data);
    const wrote = beforeSettle.filter((o) => o.label === 'wrote');
    expect(ticks.length).toBeGreaterThan(landed + 5);
    expect(got).toEqual(Array.from({ length: landed }, (_, i) => i + 1));
    expect(wrote.map((o) => o.data)).toEqual(got);
    // A fact after a persist is stamped when the write is done.
    expect(wrote.every((o) => o.at >= 10_000)).toBe(true);
    expect(run.trace!.filter((l) => l.endsWith('(sender crashed before its write)')).length)
      .toBe(ticks.length - landed);
  });

  it('a write never lands before an earlier one, so facts keep their write order', () => {
    // Writes before 20.5 ms take 10 ms; later ones 0.1 ms, so they would overtake the slow ones.
    const scenario = probeScenario({ protocols: ['ticker'],
      faults: [{ at: 0, kind: 'disk', node: 'n1', delayUs: 10_000 },
        { at: 20_500, kind: 'disk', node: 'n1', delayUs: 0 }] });
    const run = simulate({ scenario, protocol: ticker, seed: 1, keepTrace: true });
    const wrote = run.observations.filter((o) => o.label === 'wrote' && o.at < 60_000);
    expect(wrote.length).toBeGreaterThan(30);
    expect(wrote.map((o) => o.data)).toEqual(wrote.map((_, i) => i + 1));
    const ats = wrote.map((o) => o.at);
    expect(ats).toEqual([...ats].sort((a, b) => a - b));
    // Tick 21 (at 21 ms) waits for tick 20's write, due at 30.1 ms, instead of landing at 21.1.
    expect(wrote[20]!.at).toBe(wrote[19]!.at);
  });

  it('several persists in one step are one write: facts after any wait for it alone', () => {
    const twice: typeof ticker = { ...ticker, step(s, ev) {
      const out = ticker.step(s, ev);
      const effects = out.effects.flatMap((e): Effect<number>[] =>
        e.kind === 'persist' ? [e, e, e] : [e]);
      return { state: out.state, effects };
    } };
    const scenario = probeScenario({ protocols: ['ticker'],
      faults: [{ at: 0, kind: 'disk', node: 'n1', delayUs: 900 }] });
    const run = simulate({ scenario, protocol: twice, seed: 1, keepTrace: true });
    const ticks = run.trace!.filter((l) => / n1 timer t$/.test(l))
      .map((l) => Number(/^t=(\d+)/.exec(l)![1]));
    const wrote = run.observations.filter((o) => o.label === 'wrote' && o.at < 50_000);
    const diskUs = scenario.network.diskWriteUs + 900;
    expect(wrote.length).toBeGreaterThan(20);
    expect(wrote.map((o) => o.at)).toEqual(ticks.slice(0, wrote.length).map((t) => t + diskUs));
  });
});

