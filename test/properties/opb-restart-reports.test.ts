import { describe, expect, it } from 'vitest';
import { opbRestartReports } from '../../properties/opb-restart-reports.js';
import type { NodeEvent, Observation } from '../../simulator/run-record.js';
import { fakeRun, recordedOnce, withoutObservations } from '../helpers/record.js';

const state = (seq: number, node: string, group: string, at = seq): Observation =>
  ({ at, seq, node, label: 'state', data: { digest: 'd', applied: 1, group } });
const retired = (seq: number, node: string, group: string, at = seq): Observation =>
  ({ at, seq, node, label: 'retired', data: { group } });
const up = (seq: number, node: string): NodeEvent =>
  ({ at: seq, seq, node, kind: 'up', emptyDisk: true });
const run = (observations: Observation[], nodeEvents: NodeEvent[]) =>
  ({ ...fakeRun({ observations, nodeEvents }), protocol: 'opb' });

describe('opb-restart-reports', () => {
  it('passes when the boot reports each service again: retired, or state at once', () => {
    const v = opbRestartReports.check(run(
      [state(10, 'n1', 's0'), state(11, 'n1', 's1'), retired(51, 'n1', 's0', 50),
        state(52, 'n1', 's1', 50), state(90, 'n1', 's1')],
      [up(0, 'n1'), up(50, 'n1')]));
    expect(v.status).toBe('pass');
    // The boot heartbeat's step may wait for a busy CPU, and its fact behind a disk write: it
    // counts by when its step ran, within T_hb (50 ms) of the boot.
    const late: Observation = { ...state(52, 'n1', 's1', 150_000), stepAt: 50_050 };
    expect(opbRestartReports.check(run([state(10, 'n1', 's1'), late],
      [up(0, 'n1'), up(50, 'n1')])).status).toBe('pass');
  });

  it('fails when a service reported before the boot is neither retired nor reported at it', () => {
    const v = opbRestartReports.check(run(
      [state(10, 'n1', 's0'), state(90, 'n1', 's0', 50_051)], [up(0, 'n1'), up(50, 'n1')]));
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(new RegExp('n1 booted at t=50us from an empty disk, last ' +
      'reported state of s0 at t=10us, and reported it next at t=50051us \\(state\\)'));
    const never = opbRestartReports.check(run([state(10, 'n1', 's0')], [up(50, 'n1')]));
    expect(never.message).toMatch(/never reported it again/);
  });

  it('counts a boot report a crash of that life dropped with its write (explore 1740772)', () => {
    // The boot heartbeat's state waited on a slow disk write; a restart lost the write, so the
    // fact was never recorded, but the step reported it in time: the next boot owes it again.
    const lostAt = (seq: number, at: number, stepAt: number): NodeEvent => ({ at, seq,
      node: 'n1', kind: 'writes-lost', diskAsOf: 0,
      lost: [{ label: 'state', data: { digest: 'd', applied: 1, group: 's0' }, stepAt }] });
    const boot = (seq: number, at: number): NodeEvent => ({ at, seq, node: 'n1', kind: 'up' });
    const down = (seq: number, at: number): NodeEvent => ({ at, seq, node: 'n1', kind: 'down' });
    const nodes = (stepAt: number) => [up(0, 'n1'), boot(20, 408_000),
      lostAt(21, 499_400, stepAt), down(22, 499_400), boot(23, 499_400)];
    const states = [state(10, 'n1', 's0'), state(24, 'n1', 's0', 499_400)];
    expect(opbRestartReports.check(run(states, nodes(408_000))).status).toBe('pass');
    // A dropped report whose step came later than T_hb after the boot is no boot report.
    expect(opbRestartReports.check(run(states, nodes(458_001))).message)
      .toMatch(/n1 booted at t=408000us, last reported state of s0 at t=10us/);
    // Nor does a later life's dropped report excuse a boot whose own life reported nothing.
    const noNext = opbRestartReports.check(run([state(10, 'n1', 's0')],
      [up(0, 'n1'), boot(20, 408_000), down(21, 499_400), boot(22, 499_400),
        lostAt(23, 520_000, 499_400), down(24, 520_000)]));
    expect(noNext.message).toMatch(/n1 booted at t=408000us.*never reported/);
    expect(noNext.message).not.toMatch(/n1 booted at t=499400us/);
  });

  it('excuses a life that a crash ends within T_hb of its boot, before any report (explore '
    + 'trial 1880230: the crash at the boot\'s instant)', () => {
    const down = (seq: number, node: string, at = seq): NodeEvent =>
      ({ at, seq, node, kind: 'down' });
    const reports = [state(10, 'n1', 's0'), state(200_002, 'n1', 's0', 200_000)];
    // Booted at 50 us and crashed at once; back at 200 ms, it reports s0 at that boot.
    expect(opbRestartReports.check(run(reports,
      [up(0, 'n1'), up(50, 'n1'), down(51, 'n1', 50), up(200_000, 'n1')])).status)
      .toBe('pass');
    // A life that ran past T_hb (50 ms) without the report still fails, and so does the next
    // boot that never reports.
    expect(opbRestartReports.check(run(reports,
      [up(0, 'n1'), up(50, 'n1'), down(50_100, 'n1'), up(200_000, 'n1')])).status)
      .toBe('fail');
    expect(opbRestartReports.check(run([state(10, 'n1', 's0')],
      [up(0, 'n1'), up(50, 'n1'), down(51, 'n1', 50), up(200_000, 'n1')])).status)
      .toBe('fail');
  });

  it('skips a run without restarts', () => {
    expect(opbRestartReports.check(run([state(10, 'n1', 's0')], [up(0, 'n1')])).status)
      .toBe('skip');
  });

  it('opb-amnesiac-replaced seed 0: n10, added by a repair and replaced while down, retires '
    + 's0 at its empty-disk boot; without that retired (Stryker #2125) the check fails', () => {
    const r = recordedOnce('opb-amnesiac-replaced', 'opb', 0);
    expect(opbRestartReports.check(r).status).toBe('pass');
    const boot = r.nodeEvents.find((e) => e.node === 'n10' && e.kind === 'up' && e.at > 0)!;
    expect(boot).toMatchObject({ at: 2_300_000, emptyDisk: true });
    const v = opbRestartReports.check(withoutObservations(r,
      (o) => o.node === 'n10' && o.label === 'retired' && o.at === boot.at));
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/n10 booted at t=2300000us from an empty disk.*never reported/);
  });
});
