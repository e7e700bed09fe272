/**
 * smart-finished-fetch (properties/smart-finished-fetch.ts): P1.6 step 7, a new replica that
 * gets FINISHED without its starting state asks the sender for it, judged from the message
 * record. One real run of smart-migrate-disjoint (every new member lacks its starting state when
 * the first FINISHED arrives), then the same record with requests taken out.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { smartFinishedFetch, unansweredFinished } from '../../properties/smart-finished-fetch.js';
import { loadScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';
import type { MessageFact, RunRecord } from '../../simulator/run-record.js';
import { savedRun } from '../helpers/regressions.js';

let run: RunRecord;
let messages: readonly MessageFact[];

beforeAll(() => {
  run = runChecked({ scenario: loadScenario('smart-migrate-disjoint'), protocol: 'smart',
    seed: 0, keepTrace: true }).record;
  messages = run.messages!;
});

const isFinished = (m: MessageFact): boolean => m.label.startsWith('Finished ');
const isRequest = (m: MessageFact): boolean => m.label.startsWith('StateRequest ');

describe('smart-finished-fetch', () => {
  it('passes the real run, which has FINISHED deliveries and state requests to judge', () => {
    expect(messages.some((m) => isFinished(m) && m.drop === null)).toBe(true);
    expect(messages.some(isRequest)).toBe(true);
    const v = smartFinishedFetch.check(run);
    expect(v.status, v.message).toBe('pass');
  });

  it('fails when the request a FINISHED called for is missing', () => {
    // The first FINISHED a new member got: drop the state requests it sent at that instant.
    const first = messages.find((m) => isFinished(m) && m.drop === null
      && ['n4', 'n5', 'n6'].includes(m.to))!;
    const fewer = messages.filter((r) => !(isRequest(r) && r.from === first.to
      && r.to === first.from && r.sent === first.at));
    expect(fewer.length).toBeLessThan(messages.length);
    const v = smartFinishedFetch.check({ ...run, messages: fewer });
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/received FINISHED of configuration 1 from n\d at t=\d+us lacking/);
    expect(unansweredFinished(run, fewer)).toMatch(/no STATE-REQUEST before its next FINISHED/);
  });

  it('fails a request sent only when the next FINISHED came (the #4303 mutant)', () => {
    const first = messages.find((m) => isFinished(m) && m.drop === null
      && ['n4', 'n5', 'n6'].includes(m.to))!;
    const late = messages.map((r) => (isRequest(r) && r.from === first.to && r.to === first.from
      && r.sent === first.at ? { ...r, sent: r.sent + 1_000_000 } : r));
    expect(smartFinishedFetch.check({ ...run, messages: late }).status).toBe('fail');
  });

  it('does not judge a node that was paused or down in between', () => {
    const first = messages.find((m) => isFinished(m) && m.drop === null
      && ['n4', 'n5', 'n6'].includes(m.to))!;
    const fewer = messages.filter((r) => !(isRequest(r) && r.from === first.to
      && r.to === first.from && r.sent === first.at));
    const nodeEvents = [...run.nodeEvents,
      { at: first.at, seq: 1e9, node: first.to, kind: 'paused' as const }]
      .sort((a, b) => a.at - b.at);
    const v = unansweredFinished({ ...run, nodeEvents }, fewer);
    // Another new member may still fail; this one is no longer the culprit.
    if (v !== null) expect(v.startsWith(`${first.to} `)).toBe(false);
  });

  it('skips runs without a message record and runs where requests wait by design', () => {
    const { messages: _dropped, ...bare } = run;
    expect(smartFinishedFetch.check(bare).status).toBe('skip');
    const retry = { ...run, params: { ...run.params, fetchRetryUs: 100_000 } };
    expect(smartFinishedFetch.check(retry).status).toBe('skip');
  });

  it('counts the facts a crash dropped: the state moved up in memory (explore trial 1674359 '
    + 'of smart-log-gc)', () => {
    // n4 executed 64-71 from a DECIDED-RANGE at 1.051 s behind its 85 ms disk and answered n2's
    // next FINISHED (1.052 s) with READY; its facts past 65 were lost with its crash at 1.1235 s.
    const r = savedRun(new URL('../protocol/smart/regressions/' +
      'explore-log-gc-1674359-facts-lost-with-crash.json', import.meta.url), 'smart', true);
    expect(r.nodeEvents.some((e) => e.node === 'n4' && (e.lost ?? [])
      .some((l) => l.label === 'exec'))).toBe(true);
    expect(smartFinishedFetch.check(r).status).toBe('pass');
    // Without them it reads as a node still lacking its state, as before.
    const unlost: RunRecord = { ...r, nodeEvents: r.nodeEvents.map((e) => {
      if (e.lost === undefined) return e;
      const { lost: _lost, ...rest } = e;
      return rest;
    }) };
    expect(unansweredFinished(unlost, unlost.messages!)).toBe('n4 received FINISHED of ' +
      'configuration 6 from n2 at t=1052428us lacking its starting state (executed at most slot ' +
      '65, needs 71) and sent n2 no STATE-REQUEST before its next FINISHED (t=1062432us)');
  });
});
