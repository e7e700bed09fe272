/**
 * A node's facts keep its step order: a fact made without a write never overtakes an earlier
 * fact still waiting for one (explore seeds 2173 and 3343 on OPB: a claim stuck behind a slow
 * disk queue was stamped after the node had followed a newer epoch, and C7 saw a regression).
 */
import { describe, expect, it } from 'vitest';
import type { Protocol } from '../../protocol/types.js';
import { simulate } from '../../simulator/sim.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { probeScenario } from '../helpers/scenario.js';

interface TickState { readonly id: string; readonly k: number }
/** n1 ticks every ms: odd ticks persist before their fact, even ticks only observe. */
const alternating: Protocol<TickState, number, number> = {
  name: 'ticker', description: 'test: every other step persists', mutants: [],
  client: { target: 'first', onTimeout: 'rotate' }, defaults: {},
  init: (id) => ({ id, k: 0 }),
  durable: (s) => s.k,
  describeMessage: (m) => `Tick ${m}`,
  step(s, ev) {
    if (ev.kind === 'restart') {
      return { state: { ...s, k: ev.durable ?? 0 }, effects: s.id === 'n1'
        ? [{ kind: 'setTimer', timer: 't', at: ev.now + 1000 }] : [] };
    }
    if (ev.kind !== 'timer') return { state: s, effects: [] };
    const k = s.k + 1;
    const fact = { kind: 'observe', label: 'k', data: k } as const;
    const next = { kind: 'setTimer', timer: 't', at: ev.now + 1000 } as const;
    return { state: { ...s, k }, effects: k % 2 === 1
      ? [{ kind: 'persist', what: `k=${k}` }, fact, next] : [fact, next] };
  },
};

const facts = (run: RunRecord, before: number): { at: number; k: number }[] =>
  run.observations.filter((o) => o.label === 'k' && o.node === 'n1' && o.at < before)
    .map((o) => ({ at: o.at, k: o.data as number }));

describe('observation order on one node', () => {
  it('a fact without a write waits behind an earlier fact that waits for one', () => {
    const scenario = probeScenario({ protocols: ['ticker'],
      faults: [{ at: 0, kind: 'disk', node: 'n1', delayUs: 10_000 },
        { at: 20_500, kind: 'disk', node: 'n1', delayUs: 0 }] });
    const run = simulate({ scenario, protocol: alternating, seed: 1 });
    const seen = facts(run, 60_000);
    expect(seen.length).toBeGreaterThan(30);
    // Every tick's fact, in step order, at non-decreasing times.
    expect(seen.map((f) => f.k)).toEqual(seen.map((_, i) => i + 1));
    const ats = seen.map((f) => f.at);
    expect(ats).toEqual([...ats].sort((a, b) => a - b));
    // Tick 2 made no write, yet it waits for tick 1's (done at 11 ms), not stamped at 2 ms.
    expect(seen[1]!.at).toBe(seen[0]!.at);
    expect(seen[0]!.at).toBeGreaterThanOrEqual(10_000);
  });

  it('at a crash, facts behind a lost write are recorded; facts after it never held', () => {
    const crashAt = 15_500;
    const scenario = probeScenario({ protocols: ['ticker'],
      faults: [{ at: 0, kind: 'disk', node: 'n1', delayUs: 10_000 },
        { at: crashAt, kind: 'crash', node: 'n1' }] });
    const run = simulate({ scenario, protocol: alternating, seed: 1, keepTrace: true });
    const ticks = run.trace!.filter((l) => / n1 timer t$/.test(l))
      .map((l) => Number(/^t=(\d+)/.exec(l)![1])).filter((t) => t < crashAt);
    const seen = facts(run, crashAt + 1);
    const atCrash = seen.filter((f) => f.at === crashAt).map((f) => f.k);
    expect(ticks.length).toBeGreaterThan(10);
    // Writes that landed before the crash: their facts (and those behind them) in order.
    const landed = seen.filter((f) => f.at < crashAt).map((f) => f.k);
    expect(landed).toEqual(landed.map((_, i) => i + 1));
    // The rest: only the even (write-free) ticks, recorded at the crash, in step order.
    const rest = ticks.slice(landed.length).map((_, i) => landed.length + i + 1);
    expect(atCrash.length).toBeGreaterThan(2);
    expect(atCrash).toEqual(rest.filter((k) => k % 2 === 0));
    const down = run.nodeEvents.find((e) => e.node === 'n1' && e.kind === 'down')!;
    const lastFact = run.observations.filter((o) => o.label === 'k' && o.at === crashAt)
      .map((o) => o.seq);
    expect(Math.max(...lastFact)).toBeLessThan(down.seq);
  });
});
