/**
 * opb-update-window (P2.4): an update carries the entries right after the position it names.
 * opb-backup-restart seed 0 with its message record holds; the same record with one update
 * re-shipping from the start of the log (what mutation #1395 of the seed-39 sample sends on
 * every catch-up) fails; without a record nothing is judged.
 */
import { describe, expect, it } from 'vitest';
import { opbUpdateWindow, updateWindowProblems } from '../../properties/opb-update-window.js';
import type { MessageFact, RunRecord } from '../../simulator/run-record.js';
import { runChecked } from '../../scenarios/runner.js';
import { loadScenario } from '../../scenarios/load.js';

const run: RunRecord = runChecked({ scenario: loadScenario('opb-backup-restart'),
  protocol: 'opb', seed: 0, keepTrace: true }).record;

describe('opb-update-window', () => {
  it('holds when every update starts right after its position', () => {
    const r = updateWindowProblems(run);
    expect(r.problems).toEqual([]);
    expect(r.judged).toBeGreaterThan(0);
    expect(opbUpdateWindow.check(run).status).toBe('pass');
  });

  it('fails an update that re-ships entries the backup holds', () => {
    const messages = run.messages!;
    const at = messages.findIndex((m) => /^Upd .* prev=([1-9]\d*)@\S+ n=\d+ first=/.test(m.label));
    expect(at).toBeGreaterThanOrEqual(0);
    const m = messages[at]!;
    const forged: MessageFact = { ...m, label: m.label.replace(/ first=\d+ /, ' first=1 ') };
    const r = updateWindowProblems(
      { ...run, messages: [...messages.slice(0, at), forged, ...messages.slice(at + 1)] });
    expect(r.problems.length).toBe(1);
    expect(r.problems[0])
      .toMatch(/^s0: n\d+ sent n\d+ an update after position \d+ starting at 1 /);
  });

  it('judges nothing without a message record', () => {
    const { messages: _, ...bare } = run;
    expect(opbUpdateWindow.check(bare).status).toBe('skip');
  });
});
