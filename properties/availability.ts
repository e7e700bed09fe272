/**
 * Availability as clients saw it (measured, not judged): the share of operations answered,
 * overall and among those invoked while faults were active, and the longest stretch of the fault
 * window in which no operation completed. That stretch is counted from the first fault (without
 * faults: from the first answer): the start-up before it (OPB waits a suspicion timeout before
 * its first primary claims, ≈ 200 ms) is not an outage.
 *
 * "During faults" counts an operation as answered only if it was answered before the faults
 * ended: an operation that waits out an outage and is answered after the heal was not served
 * during the faults (closed-loop clients of a blocked system issue few operations, all of which
 * are answered at the heal — counting those would call a blocked system available).
 */
import type { RunRecord } from '../simulator/run-record.js';
import type { Property } from './types.js';

export interface AvailabilityFigures {
  /** Per mille of all operations answered ok. */
  answeredPermille: number;
  /**
   * Per mille of operations invoked from the first fault until MARGIN before the end of the
   * fault window, or still waiting when the first fault came, that were answered ok before
   * that end.
   */
  answeredInFaultsPermille: number;
  /** Longest time from the first fault to the end of the window with no completed operation. */
  longestOutageUs: number;
}

/** Time an operation invoked during the faults gets to be answered before they end. */
export const MARGIN_US = 500_000;

export function availability(run: RunRecord): AvailabilityFigures {
  const ops = run.history.ops;
  const end = run.faultWindowEndUs;
  const perMille = (n: number, d: number): number => (d === 0 ? 1000 : Math.floor((1000 * n) / d));
  const firstFault = run.faults.length === 0 ? 0 : Math.min(...run.faults.map((f) => f.at));
  // One pass, no list per question (a checked run's ops are thousands).
  let ok = 0;
  let inWindow = 0;
  let inWindowOk = 0;
  const done: number[] = [];
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i]!;
    if (o.status === 'ok') {
      ok++;
      if (o.return! <= end) done.push(o.return!);
    }
    // Invoked during the faults, or invoked before them and still waiting when they began:
    // with closed-loop clients a protocol that answers nothing invokes nothing new, so
    // counting only new invocations would judge an empty set (0 of 0) as fully available.
    if (o.call < end - MARGIN_US
      && (o.call >= firstFault || o.return === undefined || o.return > firstFault)) {
      inWindow++;
      if (o.status === 'ok' && o.return! < end) inWindowOk++;
    }
  }
  done.sort((a, b) => a - b);
  let longest = 0;
  let last = run.faults.length === 0 ? (done[0] ?? end) : firstFault;
  const from = last;
  for (let i = 0; i < done.length; i++) {
    const t = done[i]!;
    if (!(t >= from)) continue;
    longest = Math.max(longest, t - last);
    last = t;
  }
  longest = Math.max(longest, end - last);
  return {
    answeredPermille: perMille(ok, ops.length),
    answeredInFaultsPermille: perMille(inWindowOk, inWindow),
    longestOutageUs: longest,
  };
}

export const availabilityProperty: Property = {
  name: 'availability',
  description: 'measured, not judged: share of operations answered (overall, during faults) ' +
    'and the longest outage',
  protocols: ['*'],
  check(run) {
    const a = availability(run);
    return {
      property: this.name, status: 'pass', measured: true, measures: { ...a },
      message: `${(a.answeredPermille / 10).toFixed(1)}` +
        `% answered (${(a.answeredInFaultsPermille / 10).toFixed(1)}% during faults), ` +
        `longest outage ${a.longestOutageUs}us`,
    };
  },
};
