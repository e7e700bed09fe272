/**
 * opb-discard-told's upper side (properties/opb-notice-retired.ts): a discard notice stops once
 * the client moved past a reply that carried it. opb-three-way-discard with its message record:
 * unmutated every notice judged stops; under opb:notice-never-retired (Stryker #3343 of the
 * seed-50 sample) it rides on for ever and fails; a RESUBMIT handed to the winner afterwards
 * (which may hand it the notice again) ends what is judged.
 */
import { describe, expect, it } from 'vitest';
import { opbDiscardTold } from '../../properties/opb-discard-told.js';
import { noticeRetiredProblems } from '../../properties/opb-notice-retired.js';
import { recordedOnce } from '../helpers/record.js';

describe('opb-discard-told: a notice is retired', () => {
  it('holds unmutated: after the client moved past a reply that carried it, no reply does', () => {
    for (const seed of [1, 3]) {
      const r = noticeRetiredProblems(recordedOnce('opb-three-way-discard', 'opb', seed));
      expect(r.problems).toEqual([]);
      expect(r.judged).toBeGreaterThan(0);
    }
  });

  it('fails when the notice rides on every reply for ever (opb:notice-never-retired)', () => {
    const run = recordedOnce('opb-three-way-discard', 'opb', 0, 'opb:notice-never-retired');
    const r = noticeRetiredProblems(run);
    expect(r.problems.length).toBe(r.judged);
    expect(r.problems[0]).toMatch(/^s0: n5 dropped c0#25 at t=1518726us; its reply to c0#149 /);
    expect(r.problems[0]).toMatch(/but its reply to c0#150 at t=1637917us still carried it$/);
    expect(opbDiscardTold.check(run).status).toBe('fail');
  });

  it('does not judge past a RESUBMIT handed to the winner after the drop', () => {
    const run = recordedOnce('opb-three-way-discard', 'opb', 0, 'opb:notice-never-retired');
    const drops = run.messages!.filter((m) => m.label.startsWith('Discarded') && m.drop === null);
    expect(drops.length).toBeGreaterThan(0);
    // A merge RESUBMIT to the winner 1 us after each drop: it may hand it the notices again.
    const again = drops.map((m) => ({ ...m, label: m.label.replace(/^Discarded/, 'Resubmit'),
      at: m.at + 1, sent: m.at + 1, stepAt: m.at + 1 }));
    const r = noticeRetiredProblems({ ...run, messages: [...run.messages!, ...again] });
    expect(r).toEqual({ problems: [], judged: 0 });
  });
});
