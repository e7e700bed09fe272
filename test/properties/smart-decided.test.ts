/**
 * smart-no-propose-after-decided: a machine that sent DECIDED(c, slot) at ballot B sends no
 * PROPOSE(c, slot) at B later, except the original proposal leaving with the proposer's own
 * LOGGED. smart-lossy seed 0 with its message record holds; with smart:keep-acks (mutation
 * #6261 of the seed-31 sample) the leader re-sends decided slots; a forged late PROPOSE fails.
 */
import { describe, expect, it } from 'vitest';
import { reproposalProblems } from '../../properties/smart-decided.js';
import { loadScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';
import type { RunRecord } from '../../simulator/run-record.js';

const lossy = (mutant: string | null): RunRecord => runChecked({
  scenario: loadScenario('smart-lossy'), protocol: 'smart', seed: 0, mutant,
  keepTrace: true }).record;

describe('smart-no-propose-after-decided', () => {
  const run = lossy(null);
  const judged = (r: ReturnType<typeof reproposalProblems>) => (typeof r === 'string' ? -1
    : r.judged);

  it('holds on smart-lossy seed 0, judging every decision', () => {
    const r = reproposalProblems(run);
    expect(r).toMatchObject({ problems: [] });
    expect(judged(r)).toBeGreaterThan(100);
  });

  it('holds on smart-preempt-dup seed 28: a restarted leader that learns a decision it '
    + 'proposed again re-sends it no more (a protocol bug this check found)', () => {
    const r = runChecked({ scenario: loadScenario('smart-preempt-dup'), protocol: 'smart',
      seed: 28, mutant: null, keepTrace: true }).record;
    const at = (label: string): number[] => r.messages!.filter((m) => m.from === 'n1'
      && m.label.startsWith(label)).map((m) => m.sent);
    // The situation: DECIDED at 1.0 before n1's crash, its PROPOSE at 3.0 after it.
    expect(Math.min(...at('Decided c=1 b=1.0 s=51 '))).toBeLessThan(400_000);
    expect(at('Propose c=1 b=3.0 s=51 ').length).toBeGreaterThan(0);
    expect(reproposalProblems(r)).toMatchObject({ problems: [] });
  });

  it('fails when the leader keeps re-sending decided slots (smart:keep-acks)', () => {
    const r = reproposalProblems(lossy('smart:keep-acks'));
    expect(typeof r === 'string' ? r : r.problems[0]).toMatch(
      /^n1 sent DECIDED c=1 b=1\.0 s=\d+ at t=\d+us and then Propose c=1 b=1\.0 s=\d+ .* to n\d /);
  });

  it('fails on a PROPOSE forged after its DECIDED, not on one leaving with its own LOGGED', () => {
    const messages = run.messages!;
    const decided = messages.find((m) => m.label.startsWith('Decided c=1 '))!;
    const [, c, b, s] = /^Decided c=(\d+) b=(\S+) s=(\d+)/.exec(decided.label)!;
    const late = { ...decided, label: `Propose c=${c} b=${b} s=${s} c9#9 get k0`,
      sent: decided.sent + 5_000, at: decided.sent + 6_000 };
    const forged = reproposalProblems({ ...run, messages: [...messages, late] });
    expect(typeof forged === 'string' ? [] : forged.problems).toHaveLength(1);
    const own = { ...late, to: late.from, label: `Logged c=${c} b=${b} s=${s} ckpt=0` };
    const held = reproposalProblems({ ...run, messages: [...messages, late, own] });
    expect(typeof held === 'string' ? ['skip'] : held.problems).toEqual([]);
  });

  it('skips a run without a message record', () => {
    const { messages: _, ...rest } = run;
    expect(reproposalProblems(rest)).toBe('the run kept no message record');
  });
});
