/**
 * opb-orphans (P2.5): a loser installing the winner's state re-submits exactly the requests it
 * applied after their fork point. The run: opb-three-way seed 0 with its message record, where
 * two losers install the winner's transfer (fork at 40). The same record fails when one of those
 * RESUBMITs also carries a request of the common prefix (what mutant #1087, fork point always 0,
 * sends) or leaves one orphan out; without a message record the property skips. Explore seed
 * 43271 of opb-balance-no-room's schedule with n2's disk as slow as n1's, run on seed 69 since
 * the stall rules of explore trial 1710645: a transfer made at n2's step at 2.139 s (10 entries)
 * left behind its slow disk at 2.338 s, when n2 held 11; n3, holding 14, installed it and
 * re-submitted the 11th to the 14th. The winner's history is the one the transfer carries, of the
 * step that made it.
 */
import { describe, expect, it } from 'vitest';
import { opbOrphans } from '../../properties/opb-orphans.js';
import type { MessageFact, RunRecord } from '../../simulator/run-record.js';
import { runChecked } from '../../scenarios/runner.js';
import { loadScenario } from '../../scenarios/load.js';
import { readSaved } from '../helpers/regressions.js';

let cached: RunRecord | null = null;
function threeWay(): RunRecord {
  cached ??= runChecked({ scenario: loadScenario('opb-three-way'), protocol: 'opb', seed: 0,
    keepTrace: true }).record;
  return cached;
}

/**
 * Explore seed 43271's schedule with a stale transfer installed: since then backups refuse a
 * transfer of their own primary and epoch that is a strict prefix of what they acked (opb-acks-kept
 * judges that), so the install is replayed under the declared mutant opb:install-stale-xfer, the
 * protocol of the find. opb-orphans judges what an install re-submits, whichever it installs.
 * Since the primary's re-send rule seed 43271 brings no such install (seed 4 did); since the stall
 * rules of explore trial 1710645 no seed of the schedule does (none of seeds 0-119): the slow disk
 * (198 ms a write) is n1's, and n1 held a role while it was slow only by claiming over n3 at its
 * resume from the pause (0-0.987 s), taking every member for dead; it now follows n3, and n2, the
 * primary from 1.79 s, writes in 18 ms. So n2's disk is made as slow as n1's (198408 us, the one
 * edit): of seeds 0-99, 43, 64, 69, 70 and 81 bring a loser that installs a transfer left behind
 * the disk and re-submits a request the winner executed between the transfer's step and its
 * departure; seed 69 is the one on s0 (43 and 64: n1's transfers of s2; 70 and 81: s1 and s2).
 */
let slow: RunRecord | null = null;
function slowDisk(): RunRecord {
  const saved = readSaved(new URL('../protocol/optimistic/regressions/'
    + 'explore-balance-no-room-43271-transfer-left-behind-slow-disk.json', import.meta.url));
  const faults = saved.scenario.faults.map((f) => (f.kind === 'disk' && f.node === 'n2'
    && f.delayUs === 17_716 ? { ...f, delayUs: 198_408 } : f));
  expect(faults.filter((f) => f.kind === 'disk' && f.delayUs === 198_408)).toHaveLength(2);
  slow ??= runChecked({ scenario: { ...saved.scenario, faults }, seed: 69, protocol: 'opb',
    mutant: 'opb:install-stale-xfer', keepTrace: true }).record;
  return slow;
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

  it('passes explore seed 43271 of opb-balance-no-room (seed 69, n2\'s disk slow too): a '
    + 'transfer left behind a slow disk carries the history of its step, not of its departure',
  () => {
    const run = slowDisk();
    const x = run.messages!.find((m) => m.label.startsWith('Xfer s0 n2@8.n2 ')
      && m.to === 'n3' && m.at === 2_348_553)!;
    expect(x.label).toContain(' i=10 ');
    expect([x.stepAt, x.sent]).toEqual([2_139_293, 2_337_701]);
    // n2 executed index 11 (c1#11) between the step and the departure; n3 re-submits it.
    const exec11 = run.observations.find((o) => o.label === 'opb.exec' && o.node === 'n2'
      && (o.data as { service: number }).service === 0
      && (o.data as { index: number }).index === 11)!;
    expect(exec11.at).toBeGreaterThan(x.stepAt!);
    expect(exec11.at).toBeLessThanOrEqual(x.sent);
    const d = exec11.data as { client: string; seq: number };
    expect(`${d.client}#${d.seq}`).toBe('c1#11');
    expect(run.messages!.some((m) => m.from === 'n3' && /^Discarded s0 /.test(m.label)
      && (m.stepAt ?? m.sent) === 2_348_553
      && m.label.split('reqs=')[1]!.split(',').includes('c1#11'))).toBe(true);
    const v = opbOrphans.check(run);
    expect(v.status).toBe('pass');
    expect(v.measures?.['installsJudged']).toBeGreaterThanOrEqual(4);
  });

  it('still fails there when n3 re-submits an entry of the transferred history', () => {
    const run = slowDisk();
    const messages = run.messages!;
    const at = messages.findIndex((m) => m.from === 'n3' && /^Discarded s0 /.test(m.label)
      && (m.stepAt ?? m.sent) === 2_348_553);
    expect(at).toBeGreaterThanOrEqual(0);
    const m = messages[at]!;
    // An entry of s0 at index 3..10, of epoch 8.n2: in the transfer (10 entries) and in n3's
    // 14; one n3 never held before (its earlier, unconfirmed RESUBMIT still carries those).
    const req = run.observations.filter((f) => f.label === 'opb.exec')
      .map((f) => f.data as { service: number; epoch: string; index: number; client: string;
        seq: number })
      .filter((d) => d.service === 0 && d.epoch === '8.n2' && d.index >= 3 && d.index <= 10)
      .map((d) => `${d.client}#${d.seq}`)
      .find((r) => !m.label.split('reqs=')[1]!.split(',').includes(r));
    expect(req).toBeDefined();
    const forged: MessageFact = { ...m, label: `${m.label},${req}` };
    const v = opbOrphans.check({ ...run,
      messages: [...messages.slice(0, at), forged, ...messages.slice(at + 1)] });
    expect(v.status).toBe('fail');
    expect(v.message).toContain(`n3 installing n2's transfer at t=2348553us re-submitted ${req}`);
  });

  it('skips a run without a message record', () => {
    const { messages: _, ...rest } = threeWay();
    expect(opbOrphans.check(rest).status).toBe('skip');
  });
});
