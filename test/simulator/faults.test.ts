import { describe, expect, it } from 'vitest';
import { simulate } from '../../simulator/sim.js';
import { probe } from '../helpers/probe.js';
import { probeScenario } from '../helpers/scenario.js';

/** Delivered pings as [time, from, to], parsed from the trace. */
function deliveries(trace: readonly string[]): [number, string, string][] {
  return trace.flatMap((line) => {
    const m = /^t=(\d+) (n\d+)->(n\d+) Ping/.exec(line);
    return m ? [[Number(m[1]), m[2]!, m[3]!] as [number, string, string]] : [];
  });
}

describe('partitions', () => {
  it('one-way: nothing crosses in the cut direction, the other direction still flows', () => {
    const scenario = probeScenario({
      faults: [
        { at: 20_000, kind: 'partition', mode: 'sides', symmetry: 'oneWay',
          sides: [['n1'], ['n2']], id: 'p' },
        { at: 60_000, kind: 'heal', id: 'p' },
      ],
    });
    const run = simulate({ scenario, protocol: probe, seed: 3, keepTrace: true });
    const d = deliveries(run.trace!);
    const during = d.filter(([t]) => t >= 20_000 && t < 60_000);
    expect(during.filter(([, a, b]) => a === 'n1' && b === 'n2')).toEqual([]);
    expect(during.filter(([, a, b]) => a === 'n2' && b === 'n1').length).toBeGreaterThan(30);
    expect(during.filter(([, a, b]) => a === 'n1' && b === 'n3').length).toBeGreaterThan(30);
    expect(d.filter(([t, a, b]) => t >= 61_000 && a === 'n1' && b === 'n2').length)
      .toBeGreaterThan(30);
  });

  it('symmetric isolate cuts both directions, and in-flight messages are not delivered', () => {
    const scenario = probeScenario({
      faults: [
        { at: 20_000, kind: 'partition', mode: 'isolate', symmetry: 'symmetric', sides: [['n3']] },
        { at: 50_000, kind: 'heal' },
      ],
    });
    const run = simulate({ scenario, protocol: probe, seed: 4, keepTrace: true });
    const touching = deliveries(run.trace!)
      .filter(([t, a, b]) => t >= 20_000 && t < 50_000 && (a === 'n3' || b === 'n3'));
    expect(touching).toEqual([]);
    expect(run.trace!.some((l) => /n3 Ping r=\d+ \(cut\)$/.test(l))).toBe(true);
  });

  it('splitDc and bridge: the bridge node talks to both sides, the sides not to each other', () => {
    const scenario = probeScenario({
      topology: {
        dcs: [{ name: 'a', zone: 'z1' }, { name: 'b', zone: 'z2' }],
        nodes: [{ id: 'n1', dc: 'a' }, { id: 'n2', dc: 'b' }, { id: 'n3', dc: 'b' }],
        replicas: ['n1', 'n2', 'n3'],
      },
      faults: [{ at: 10_000, kind: 'partition', mode: 'bridge', symmetry: 'symmetric',
        sides: [['n1'], ['n2'], ['n3']] }],
    });
    const d = deliveries(simulate({ scenario, protocol: probe, seed: 5, keepTrace: true }).trace!)
      .filter(([t]) => t >= 10_000 && t < 100_000);
    const pairs = new Set(d.map(([, a, b]) => `${a}>${b}`));
    expect(pairs.has('n1>n2')).toBe(false);
    expect(pairs.has('n2>n1')).toBe(false);
    for (const p of ['n1>n3', 'n3>n1', 'n2>n3', 'n3>n2']) expect(pairs.has(p)).toBe(true);
  });
});

describe('node faults', () => {
  const boots = (run: ReturnType<typeof simulate>, node: string) =>
    run.observations.filter((o) => o.node === node && o.label === 'boot')
      .map((o) => o.data as { volatile: number; durable: number });

  it('a crash loses volatile state and keeps durable state; amnesia loses both', () => {
    const scenario = probeScenario({
      faults: [
        { at: 30_000, kind: 'crash', node: 'n2' }, { at: 40_000, kind: 'restart', node: 'n2' },
        { at: 60_000, kind: 'crash', node: 'n3' },
        { at: 70_000, kind: 'restart', node: 'n3', amnesia: true },
      ],
    });
    const run = simulate({ scenario, protocol: probe, seed: 1 });
    const [, n2] = boots(run, 'n2');
    expect(n2!.volatile).toBe(0);
    expect(n2!.durable).toBeGreaterThan(40);
    const [, n3] = boots(run, 'n3');
    expect(n3).toEqual({ volatile: 0, durable: 0 });
  });

  it('a crashed node receives nothing (drops are traced as down)', () => {
    const scenario = probeScenario({ faults: [{ at: 30_000, kind: 'crash', node: 'n2' }] });
    const run = simulate({ scenario, protocol: probe, seed: 2, keepTrace: true });
    expect(deliveries(run.trace!)
      .filter(([t, , b]) => t > 30_000 && t < 100_000 && b === 'n2')).toEqual([]);
    expect(run.trace!.filter((l) => l.endsWith('(down)')).length).toBeGreaterThan(10);
  });

  it('a paused node gets what arrived while paused, late, at the moment it resumes', () => {
    const scenario = probeScenario({
      faults: [{ at: 20_000, kind: 'pause', node: 'n1' },
        { at: 45_000, kind: 'resume', node: 'n1' }],
    });
    const d = deliveries(simulate({ scenario, protocol: probe, seed: 6, keepTrace: true }).trace!);
    expect(d.filter(([t, , b]) => t > 20_500 && t < 45_000 && b === 'n1')).toEqual([]);
    expect(d.filter(([t, , b]) => t === 45_000 && b === 'n1').length).toBeGreaterThan(30);
  });

  it('a paused node that crashes loses what it held, and the message record says so', () => {
    const scenario = probeScenario({
      faults: [{ at: 20_000, kind: 'pause', node: 'n1' },
        { at: 45_000, kind: 'crash', node: 'n1' }],
    });
    const run = simulate({ scenario, protocol: probe, seed: 6, keepTrace: true });
    const held = run.messages!.filter((m) => m.to === 'n1' && m.sent > 20_500 && m.sent < 45_000);
    expect(held.length).toBeGreaterThan(30);
    // Lost at the crash (they used to vanish from the record).
    expect(held.every((m) => m.drop === 'down' && m.at === 45_000)).toBe(true);
  });

  it('clock skew makes a node\'s timers fire at its own rate', () => {
    const scenario = probeScenario({ faults: [{ at: 0, kind: 'skew', node: 'n1', offsetUs: 0,
      ratePpm: 500_000 }] });
    const run = simulate({ scenario, protocol: probe, seed: 7, keepTrace: true });
    const fires = (node: string) =>
      run.trace!.filter((l) => l.includes(` ${node} timer ping`)).length;
    expect(fires('n1') / fires('n2')).toBeGreaterThan(1.4);
    expect(fires('n1') / fires('n2')).toBeLessThan(1.6);
  });
});

describe('message faults', () => {
  it('loss and duplication rates hold over many messages', () => {
    const scenario = probeScenario({
      network: { intraDc: { minUs: 100, maxUs: 200 }, loss: [1, 10], dup: [1, 20] },
      durationUs: 2_000_000, settleUs: 0,
    });
    const run = simulate({ scenario, protocol: probe, seed: 8 });
    const { messagesSent: sent, messagesDropped: dropped, duplicates } = run.metrics;
    expect(sent).toBeGreaterThan(10_000);
    expect(dropped / sent).toBeGreaterThan(0.09);
    expect(dropped / sent).toBeLessThan(0.11);
    expect(duplicates / (sent - dropped)).toBeGreaterThan(0.04);
    expect(duplicates / (sent - dropped)).toBeLessThan(0.06);
  });

  it('a clog delays a link by the given amount', () => {
    const scenario =
      probeScenario({ faults: [{ at: 0, kind: 'clog', from: 'n1', to: 'n2', delayUs: 7_000 }] });
    const run = simulate({ scenario, protocol: probe, seed: 9, keepTrace: true });
    const first = deliveries(run.trace!).find(([, a, b]) => a === 'n1' && b === 'n2');
    expect(first![0]).toBeGreaterThanOrEqual(1_000 + 7_100);
  });
});
