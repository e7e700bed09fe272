/**
 * opb-discard-told judges a dropped orphan from P's first taking of it, not from a copy of the
 * RESUBMIT delivered again. Explore trial 1614605 of opb-diurnal-four (saved in
 * regressions/): n1, primary of s3, took n10's Discarded RESUBMIT with c7#23 at 5.517 s; its
 * Resubmitted answer was lost, so n10 sent copies until one's answer arrived (the copy taken at
 * 6.117 s). n1's reply to c7's newer #31 carried the notice at 5.702 s and was lost; c7 gave #31
 * up and sent #35, which retired the notice (P2.5's rule). Judged from the 6.117 s copy (the
 * rule before), #35's reply at 6.527 s looked untold.
 */
import { describe, expect, it } from 'vitest';
import { findProtocol } from '../../protocol/registry.js';
import { discardToldProblems } from '../../properties/opb-discard-told.js';
import type { MessageFact, RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';
import { readSaved } from '../helpers/regressions.js';

let cached: RunRecord | null = null;
function found(): RunRecord {
  cached ??= simulate({ ...readSaved(new URL('../protocol/optimistic/regressions/' +
    'explore-diurnal-four-1614605-resubmit-copy-after-notice-retired.json', import.meta.url)),
  protocol: findProtocol('opb')!, keepTrace: true });
  return cached;
}

/** The record with the messages `lose` names lost in transit; throws if it names none. */
function losing(run: RunRecord, lose: (m: MessageFact) => boolean): RunRecord {
  const hit = run.messages!.filter((m) => m.drop === null && lose(m));
  expect(hit.length).toBeGreaterThan(0);
  const messages = run.messages!.map((m) => hit.includes(m) ? { ...m, drop: 'loss' } : m);
  return { ...run, messages };
}

const c7Problems = (problems: readonly string[]) =>
  problems.filter((p) => p.startsWith('s3: n1 dropped c7#23 '));

describe('opb-discard-told from the first taking of a dropped orphan', () => {
  it('passes the found run: the reply carrying c7#23\'s notice was lost, c7 moved on', () => {
    const v = discardToldProblems(found());
    expect(v.problems).toEqual([]);
    expect(v.judged).toBeGreaterThan(0);
  });

  it('judges from 6.117 s when the earlier copies never reached n1 (what the old rule did)',
    () => {
      const run = losing(found(), (m) => m.from === 'n10' && m.to === 'n1'
        && m.label.startsWith('Discarded s3 ') && m.label.includes('c7#23') && m.at < 6_100_000);
      expect(c7Problems(discardToldProblems(run).problems)).toEqual([expect.stringMatching(
        /at t=6116627us and stayed primary, but n1's reply to c7 at t=6526592us did not tell it/)]);
    });

  it('still fails when the first reply after the drop reached c7 untold', () => {
    const run = found();
    const reply = run.messages!.find((m) => m.from === 'n1' && m.to === 'c7'
      && m.label.startsWith('Reply #31 ') && m.drop !== null)!;
    expect(reply.at).toBe(5_701_696);
    const messages = run.messages!.map((m) => m === reply ? { ...m, drop: null } : m);
    expect(c7Problems(discardToldProblems({ ...run, messages }).problems)).toEqual([
      expect.stringMatching(new RegExp('at t=5517447us and stayed primary, but n1\'s reply ' +
        'to c7 at t=5701696us did not tell it \\(never told\\)$'))]);
  });
});
