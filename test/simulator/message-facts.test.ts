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

  it('so did one a targeted fault dropped at its step, behind a write the crash lost', () => {
    // Explore trial 1455032 of opb-claim-slow-disk: the heartbeats n5's steps at 1.3, 1.35 and
    // 1.4 s queued behind their writes were due at 1.5, 1.55 and 1.6 s; n5 crashed at 1.5 s,
    // losing those writes. A targeted fault (hb to n1, until 1.401 s) had dropped them at their
    // steps, and the record said so, as if the rebooted n5 sent one at 1.6 s as primary.
    const file = new URL('../protocol/optimistic/regressions/explore-claim-slow-disk-1455032-' +
      'targeted-drop-of-a-crashed-sender-never-left.json', import.meta.url);
    const r = savedRun(file, 'opb', true);
    const queued = r.messages!.filter((x) => x.from === 'n5' && x.to === 'n1'
      && x.label.startsWith('Hb s0 primary') && x.stepAt !== undefined
      && x.stepAt >= 1_300_000 && x.stepAt <= 1_400_000);
    expect(queued.map((x) => [x.stepAt, x.sent, x.drop])).toEqual([1_300_000, 1_350_000,
      1_400_000].map((t) => [t, t + 200_000, 'sender crashed before its write']));
    // Its step's write landed at 1.45 s, before the crash: a targeted drop as recorded.
    expect(r.messages!.filter((x) => x.from === 'n5' && x.to === 'n1'
      && x.stepAt === 1_250_000).map((x) => x.drop)).toEqual(['targeted', 'targeted']);
    // The hashed trace keeps what the step saw.
    expect(r.trace!.filter((l) => /^t=1[34]\d{5} drop n5->n1 Hb s0 primary .* \(targeted\)$/
      .test(l))).toHaveLength(3);
  });
});
