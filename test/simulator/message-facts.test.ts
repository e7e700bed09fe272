import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';
import { savedRun } from '../helpers/regressions.js';

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

  it('a message refused as it left, behind a write its sender\'s crash lost, never left', () => {
    // Explore trial 31102 of opb-claim-slow-disk: n5 queued primary heartbeats behind a 200 ms
    // write, crashed at 1.5 s and rebooted at 1.6 s, when those sends were due; the cut to n7
    // refused one as it "left". The record said cut, as if n5 sent it after its reboot.
    const file = new URL('../protocol/optimistic/regressions/explore-claim-slow-disk-31102-' +
      'queued-sends-of-a-crashed-sender-never-left.json', import.meta.url);
    const r = savedRun(file, 'opb', true);
    const queued = r.messages!.filter((x) => x.from === 'n5' && x.sent >= 1_600_000
      && x.sent <= 1_650_000 && x.label.startsWith('Hb s0 primary'));
    expect(queued.length).toBeGreaterThan(2);
    for (const x of queued) expect(x.drop).toBe('sender crashed before its write');
    // The hashed trace keeps what the send saw, at the step that sent it.
    expect(r.trace!.some((l) => /^t=\d+ drop n5->n7 Hb s0 primary .* \(cut\)$/.test(l)))
      .toBe(true);
  });
});
