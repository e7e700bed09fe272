/**
 * opb-orphans (P2.5): a loser installing the winner's state re-submits exactly the requests it
 * applied after their fork point. The run: opb-three-way seed 0 with its message record, where
 * two losers install the winner's transfer (fork at 40). The same record fails when one of those
 * RESUBMITs also carries a request of the common prefix (what mutant #1087, fork point always 0,
 * sends) or leaves one orphan out; without a message record the property skips.
 */
import { describe, expect, it } from 'vitest';
import { opbOrphans } from '../../properties/opb-orphans.js';
import type { MessageFact, RunRecord } from '../../simulator/run-record.js';
import { runChecked } from '../../scenarios/runner.js';
import { loadScenario } from '../../scenarios/load.js';

let cached: RunRecord | null = null;
function threeWay(): RunRecord {
  cached ??= runChecked({ scenario: loadScenario('opb-three-way'), protocol: 'opb', seed: 0,
    keepTrace: true }).record;
  return cached;
}

/** The record with the first RESUBMIT sent by an install rewritten by `edit` (its request list). */
function withFirstInstallResubmit(run: RunRecord, edit: (reqs: string[]) => string[]): RunRecord {
  const messages = run.messages!;
  const at = messages.findIndex((m) => /^Resubmit /.test(m.label) && messages.some((x) =>
    x.label.startsWith('Xfer ') && x.to === m.from && x.at === m.sent && x.drop === null));
  expect(at).toBeGreaterThanOrEqual(0);
  const m = messages[at]!;
  const cut = m.label.indexOf(' reqs=');
  const reqs = edit(m.label.slice(cut + 6).split(','));
  const forged: MessageFact = { ...m, label: `${m.label.slice(0, cut)} reqs=${reqs.join(',')}` };
  return { ...run, messages: [...messages.slice(0, at), forged, ...messages.slice(at + 1)] };
}

/** The request the run executed at index 1 (the common prefix of every history here). */
function firstRequest(run: RunRecord): string {
  const o = run.observations.find((x) => x.label === 'opb.exec'
    && (x.data as { index: number }).index === 1)!;
  const d = o.data as { client: string; seq: number };
  return `${d.client}#${d.seq}`;
}

describe('opb-orphans', () => {
  it('passes the real run and judges its installs', () => {
    const v = opbOrphans.check(threeWay());
    expect(v.status).toBe('pass');
    expect(v.measures?.['installsJudged']).toBeGreaterThan(0);
  });

  it('fails when a loser re-submits a request of the common prefix', () => {
    const run = threeWay();
    const first = firstRequest(run);
    const v = opbOrphans.check(withFirstInstallResubmit(run, (reqs) => [first, ...reqs]));
    expect(v.status).toBe('fail');
    expect(v.message).toContain(`re-submitted ${first}, at index 1`);
  });

  it('fails when a loser leaves one of its orphans out', () => {
    const run = threeWay();
    const v = opbOrphans.check(withFirstInstallResubmit(run, (reqs) => reqs.slice(1)));
    expect(v.status).toBe('fail');
    expect(v.message).toContain('did not re-submit');
  });

  it('skips a run without a message record', () => {
    const { messages: _, ...rest } = threeWay();
    expect(opbOrphans.check(rest).status).toBe('skip');
  });
});
