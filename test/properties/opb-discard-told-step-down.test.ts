/**
 * `opb-discard-told` across a step-down (P2.5: a dropped write's client is told at its next
 * access, whoever is primary then). On the built-in opb-notice-step-down, n5 drops n1's orphans
 * while their clients are cut off, then loses to n9 and follows it: n9 must tell them. Under
 * opb:notices-kept-on-step-down n5 keeps the notices and nobody tells; the check fails unless
 * its evidence of the successor (what n5 sent n9 in the step it stepped down, n9 primary and
 * undisturbed from then on) is missing, where it judges nothing.
 */
import { describe, expect, it } from 'vitest';
import { discardToldProblems } from '../../properties/opb-discard-told.js';
import { recordedOnce } from '../helpers/record.js';

const MUTANT = 'opb:notices-kept-on-step-down';
/** The built-in's seed 0 with its message record. */
const stepDownRun = (mutant: string | null) =>
  recordedOnce('opb-notice-step-down', 'opb', 0, mutant);

/** Problems that blame n9, the primary n5 followed, for a write n5 dropped. */
const viaSuccessor = (problems: readonly string[]): string[] =>
  problems.filter((p) => / n5 dropped .* following n9, but n9's reply /.test(p));

describe('opb-discard-told across a step-down', () => {
  it('passes the protocol: n9 tells the clients of the writes n5 dropped', () => {
    const v = discardToldProblems(stepDownRun(null));
    expect(v.problems).toEqual([]);
    expect(v.judged).toBeGreaterThan(100);
  });

  it('fails the notices kept on n5 as a backup, blaming n9\'s first replies', () => {
    const v = discardToldProblems(stepDownRun(MUTANT));
    expect(viaSuccessor(v.problems).length).toBeGreaterThan(100);
    expect(v.problems[0]).toMatch(/c0's|to c0 /);
  });

  it('judges no successor whose arrival it cannot see (n5\'s step-down messages lost)', () => {
    const run = stepDownRun(MUTANT);
    const down = run.observations.find((o) => o.node === 'n5' && o.label === 'opb.role'
      && (o.data as { reason: string }).reason === 'lost')!;
    const at = down.stepAt ?? down.at;
    const lost = (m: (typeof run.messages & {})[number]): boolean => m.from === 'n5'
      && m.to === 'n9' && (m.stepAt ?? m.sent) === at;
    expect(run.messages!.filter(lost).length).toBeGreaterThan(0);
    const messages = run.messages!.map((m) => lost(m) ? { ...m, drop: 'loss' } : m);
    expect(viaSuccessor(discardToldProblems({ ...run, messages }).problems)).toEqual([]);
  });

  it('judges no successor that crashed later (its duty to the end is not shown)', () => {
    const run = stepDownRun(MUTANT);
    const nodeEvents = [...run.nodeEvents,
      { at: run.endUs - 1, seq: Number.MAX_SAFE_INTEGER, node: 'n9', kind: 'down' as const }];
    expect(viaSuccessor(discardToldProblems({ ...run, nodeEvents }).problems)).toEqual([]);
  });
});
