/**
 * The targeted message fault: one message type, on its way to chosen nodes, dropped or delayed
 * for a window, and nothing else touched. Bad input is a one-line error.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';
import type { FaultEvent, Scenario } from '../../simulator/config.js';

const time = (line: string): number => Number(/^t=(\d+) /.exec(line)![1]);

function withFaults(faults: FaultEvent[]): Scenario {
  return { ...loadScenario('smart-steady'), faults };
}

describe('targeted message fault', () => {
  it('drops only proposals to n3, only in its window; the rest reaches n3', () => {
    const run = runChecked({ scenario: withFaults([{ at: 200_000, kind: 'targeted',
      type: 'propose', to: ['n3'], action: 'drop', untilUs: 400_000 }]), seed: 1,
    keepTrace: true });
    const lines = run.record.trace!;
    const targeted = lines.filter((l) => l.endsWith('(targeted)'));
    expect(targeted.length).toBeGreaterThan(10);
    for (const l of targeted) {
      expect(l).toMatch(/^t=\d+ drop n\d+->n3 Propose /);
      expect(time(l)).toBeGreaterThanOrEqual(200_000);
      expect(time(l)).toBeLessThan(400_000);
    }
    const inWindow = lines.filter((l) => time(l) >= 200_000 && time(l) < 400_000);
    // n3 still hears decisions and heartbeats in the window; n2 still gets proposals.
    expect(inWindow.some((l) => / n\d+->n3 Decided /.test(l))).toBe(true);
    expect(inWindow.some((l) => / n\d+->n2 Propose /.test(l) && !l.startsWith('drop'))).toBe(true);
    expect(lines.some((l) => time(l) >= 400_000 && / n\d+->n3 Propose /.test(l)
      && !l.includes(' drop '))).toBe(true);
    // One follower missing proposals is within SMART's claim.
    expect(run.violations).toEqual([]);
  });

  it('delays only heartbeats to n2 by the given time', () => {
    const heartbeatsToN2 = (s: Scenario): number[] => runChecked({ scenario: s, seed: 2,
      keepTrace: true }).record.trace!.filter((l) => /^t=\d+ n\d+->n2 Heartbeat /.test(l))
      .map(time);
    const base = heartbeatsToN2(withFaults([]));
    const delayed = heartbeatsToN2(withFaults([{ at: 200_000, kind: 'targeted',
      type: 'heartbeat', to: ['n2'], action: 'delay', delayUs: 50_000, untilUs: 400_000 }]));
    // Heartbeats flow every 30 ms; sent from 200 ms on, none arrives before 250 ms.
    const gap = (ts: number[]): number => ts.filter((t) => t > 201_000 && t < 250_000).length;
    expect(gap(base)).toBeGreaterThan(0);
    expect(gap(delayed)).toBe(0);
    expect(delayed.filter((t) => t >= 250_000 && t < 450_000).length).toBeGreaterThan(3);
  });

  it('rejects bad input with one-line errors', () => {
    const raw = (fault: Record<string, unknown>): unknown => ({
      schema: 'replisim/scenario@1', name: 'bad', protocols: ['smart', 'example'],
      topology: { dcs: [{ name: 'd', zone: 'z' }], nodes: [{ id: 'n1', dc: 'd' },
        { id: 'n2', dc: 'd' }, { id: 'n3', dc: 'd' }], replicas: ['n1', 'n2', 'n3'] },
      clients: { count: 1 }, durationUs: 100_000, settleUs: 100_000,
      faults: [{ at: 10, kind: 'targeted', type: 'propose', action: 'drop', untilUs: 20,
        ...fault }],
    });
    const oneLine = (f: () => unknown, pattern: RegExp): void => {
      expect(f).toThrow(pattern);
      try {
        f();
      } catch (e) {
        expect((e as Error).message).not.toContain('\n');
      }
    };
    oneLine(() => parseScenario(raw({ untilUs: 10 }), 'f'),
      /f: invalid scenario at faults\.0: untilUs must be after at/);
    oneLine(() => parseScenario(raw({ action: 'delay' }), 'f'), /delayUs is required/);
    oneLine(() => parseScenario(raw({ delayUs: 5 }), 'f'), /not allowed with "drop"/);
    oneLine(() => parseScenario(raw({ to: ['n9'] }), 'f'), /faults\.0: unknown node .*n9/);
    oneLine(() => parseScenario(raw({ action: 'shuffle' }), 'f'), /faults\.0\.action/);
    const unknownType = parseScenario(raw({ type: 'proposal' }), 'f');
    oneLine(() => runChecked({ scenario: unknownType, protocol: 'smart', seed: 0 }),
      /faults\.0\.type: unknown smart message type "proposal" \(known: propose, logged/);
    const ok = parseScenario(raw({}), 'f');
    oneLine(() => runChecked({ scenario: ok, protocol: 'example', seed: 0 }),
      /protocol example does not name its message types/);
  });
});
