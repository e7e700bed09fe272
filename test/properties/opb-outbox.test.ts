/**
 * opb-outbox-confirmed: once RESUBMITTED(id) reaches a loser, it does not send that RESUBMIT
 * again past one heartbeat. The run: opb-three-way seed 0 with its message record, where three
 * losers' RESUBMITs are confirmed. The same record fails when one of them is re-sent two
 * heartbeats after its confirmation; not when the loser restarted in between (an older outbox
 * may come back from disk), nor within the heartbeat; without a message record it skips.
 */
import { describe, expect, it } from 'vitest';
import { opbOutbox } from '../../properties/opb-outbox.js';
import type { MessageFact, RunRecord } from '../../simulator/run-record.js';
import { runChecked } from '../../scenarios/runner.js';
import { loadScenario } from '../../scenarios/load.js';

let cached: RunRecord | null = null;
function threeWay(): RunRecord {
  cached ??= runChecked({ scenario: loadScenario('opb-three-way'), protocol: 'opb', seed: 0,
    keepTrace: true }).record;
  return cached;
}

/** The record with the first confirmed RESUBMIT sent again `afterUs` past its confirmation. */
function resentAfter(run: RunRecord, afterUs: number): { run: RunRecord; copy: MessageFact } {
  const messages = run.messages!;
  const confirm = messages.find((m) => /^Resubmitted /.test(m.label) && m.drop === null)!;
  const id = /id=(\d+)$/.exec(confirm.label)![1];
  const original = messages.find((m) => m.from === confirm.to
    && m.label.startsWith('Resubmit ') && m.label.includes(` id=${id} `))!;
  const sent = confirm.at + afterUs;
  const copy = { ...original, sent, at: sent + 1_000 };
  return { run: { ...run, messages: [...messages, copy].sort((a, b) => a.sent - b.sent) }, copy };
}

describe('opb-outbox-confirmed', () => {
  it('holds on opb-three-way seed 0, judging its confirmed RESUBMITs', () => {
    const v = opbOutbox.check(threeWay());
    expect(v.status).toBe('pass');
    expect(v.measures?.['judged']).toBe(3);
  });

  it('fails when a confirmed RESUBMIT is sent again two heartbeats later', () => {
    const { run, copy } = resentAfter(threeWay(), 100_000);
    const v = opbOutbox.check(run);
    expect(v.status).toBe('fail');
    expect(v.message).toContain(`${copy.from} got RESUBMITTED`);
    expect(v.message).toContain(`again to ${copy.to} at t=${copy.sent}us`);
  });

  it('excuses a re-send within the heartbeat, or after the loser restarted', () => {
    expect(opbOutbox.check(resentAfter(threeWay(), 20_000).run).status).toBe('pass');
    const { run, copy } = resentAfter(threeWay(), 100_000);
    const bounced: RunRecord = { ...run, nodeEvents: [...run.nodeEvents,
      { at: copy.sent - 10_000, seq: 0, node: copy.from, kind: 'up' as const }] };
    expect(opbOutbox.check(bounced).status).toBe('pass');
  });

  it('skips a run without a message record', () => {
    const { messages: _, ...rest } = threeWay();
    expect(opbOutbox.check(rest).status).toBe('skip');
  });
});
