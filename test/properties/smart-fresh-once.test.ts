/**
 * smart-fresh-once (properties/smart-fresh-once.ts): one leadership proposes a request in at
 * most one of its own slots, so a duplicate is answered from the reply cache (P1.4 step 2).
 */
import { describe, expect, it } from 'vitest';
import { smartFreshOnce } from '../../properties/smart-fresh-once.js';
import { loadScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';
import type { Json } from '../../protocol/types.js';
import type { Observation, RunRecord } from '../../simulator/run-record.js';
import { fakeRun } from '../helpers/record.js';

let seq = 0;
const fact = (at: number, node: string, label: string, data: Json): Observation =>
  ({ at, seq: seq++, node, label, data });
const leader = (ballot: number, pollMax: number): Observation => fact(5, 'n1', 'leader',
  { config: 1, ballot, start: 1, pollMax, alpha: 10, maxLogSize: 200 });
const propose = (slot: number, ballot: number, command: string): Observation =>
  fact(10 + slot, 'n1', 'propose', { config: 1, ballot, slot, command, executed: 0, stable: 0 });
const logged = (slot: number, ballot: number, command: string): Observation =>
  fact(20 + slot, 'n2', 'logged', { config: 1, ballot, slot, command, held: 1 });
/** A proposal that a member logged. */
const sent = (slot: number, ballot: number, command: string): Observation[] =>
  [propose(slot, ballot, command), logged(slot, ballot, command)];

const smartRun = (observations: Observation[]): RunRecord =>
  ({ ...fakeRun({ observations }), protocol: 'smart', replicas: ['n1', 'n2', 'n3'] });

describe('smart-fresh-once', () => {
  it('fails a leadership that proposes one request in two of its own slots', () => {
    const run = smartRun([leader(7, 2), ...sent(3, 7, 'c0#1'), ...sent(4, 7, 'c0#1')]);
    const v = smartFreshOnce.check(run);
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/n1, leading configuration 1 at ballot 7, proposed c0#1 in slot 3 /);
    expect(v.message).toMatch(/and again in slot 4 .*above its poll \(slot 2\)/);
  });

  it('allows a re-proposal from the poll, other ballots, null requests, unsent proposals', () => {
    // Slot 2 is the poll's: a vote reported c0#1 there, and the client's retry was queued.
    expect(smartFreshOnce.check(smartRun([leader(7, 2), ...sent(2, 7, 'c0#1'),
      ...sent(3, 7, 'c0#1')])).status).toBe('pass');
    expect(smartFreshOnce.check(smartRun([leader(7, 0), leader(9, 3), ...sent(3, 7, 'c0#1'),
      ...sent(4, 9, 'c0#1')])).status).toBe('pass');
    expect(smartFreshOnce.check(smartRun([leader(7, 0), ...sent(3, 7, 'null'),
      ...sent(4, 7, 'null')])).status).toBe('pass');
    // Nobody logged the second one: it never left its leader (a crash lost it with the write).
    expect(smartFreshOnce.check(smartRun([leader(7, 0), ...sent(3, 7, 'c0#1'),
      propose(4, 7, 'c0#1')])).status).toBe('pass');
    expect(smartFreshOnce.check(smartRun([])).status).toBe('skip');
  });

  it('catches a leader that skips its reply cache on a real run, and passes unmutated', () => {
    // Lost replies make clients retry requests the leader had already executed.
    const scenario = loadScenario('smart-lossy');
    const bad = runChecked({ scenario, protocol: 'smart', seed: 0,
      mutant: 'smart:no-reply-cache' }).record;
    expect(smartFreshOnce.check(bad).message).toMatch(/a duplicate not answered/);
    const good = runChecked({ scenario, protocol: 'smart', seed: 0 }).record;
    expect(smartFreshOnce.check(good).status).toBe('pass');
  });
});
