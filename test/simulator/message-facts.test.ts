import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';

describe("a kept run's message journeys (the report's message diagram)", () => {
  const run = (keepTrace: boolean) =>
    runChecked({ scenario: loadScenario('example-partition'), seed: 7, keepTrace }).record;

  it('one journey per delivery or drop, agreeing with the counters and the trace', () => {
    const r = run(true);
    const m = r.messages!;
    expect(m.filter((x) => x.drop === null)).toHaveLength(r.metrics.messagesDelivered);
    expect(m.filter((x) => x.drop !== null)).toHaveLength(r.metrics.messagesDropped);
    expect(m.some((x) => x.drop === 'cut')).toBe(true);
    for (const x of m) expect(x.at).toBeGreaterThanOrEqual(x.sent);
    // Each delivery is a trace line at its arrival time.
    const lines = new Set(r.trace);
    for (const x of m.filter((y) => y.drop === null).slice(0, 200)) {
      expect(lines.has(`t=${x.at} ${x.from}->${x.to} ${x.label}`)).toBe(true);
    }
  });

  it('are kept only with the trace and do not change the trace hash', () => {
    const plain = run(false);
    expect(plain.messages).toBeUndefined();
    expect(plain.traceHash).toBe(run(true).traceHash);
  });
});
