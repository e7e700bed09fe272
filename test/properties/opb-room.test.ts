/**
 * opb-c8-room (P2.6 #2): a balancing move goes only onto a node with room under Cmax, by loads
 * recomputed from the clients' requests. opb-balance-no-room: service 0 spikes past what any
 * node could take; unmutated, n1 sheds the other services and keeps s0; with
 * opb:balance-no-room it hands s0 to n3 at seed 0 (mutation #418 of the seed-33 sample; at 5 s
 * since the re-send rule of explore trial 1110293, 2.5 s before).
 */
import { describe, expect, it } from 'vitest';
import { roomProblems } from '../../properties/opb-room.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const record = (mutant: string | null, seed = 0): RunRecord => simulate({
  scenario: loadScenario('opb-balance-no-room'), protocol: findProtocol('opb')!, seed, mutant });

describe('opb-c8-room', () => {
  // Seed 18: three balancing moves late enough for their look-back to lie in calm time (the
  // first such seed since the re-send rule of explore trial 1110293; seed 7 had them before).
  const run = record(null, 18);

  it('holds when balancing moves only onto nodes with room (three moves judged)', () => {
    expect(roomProblems(run)).toEqual({ problems: [], judged: 3 });
    expect(roomProblems(record(null))).toEqual({ problems: [], judged: 2 });
  });

  it('fails when a primary moves onto a node it pushes above Cmax (opb:balance-no-room)', () => {
    expect(roomProblems(record('opb:balance-no-room')).problems[0]).toBe(
      's0: n1\'s balance move to n3 at t=5000000us: n3 had at least 150‰ in every window n1 ' +
      'could know of and s0 needs at least 660‰: 810‰ > Cmax 670‰');
  });

  it('fails the same run when Cmax is lower than the moves it made need', () => {
    const low = roomProblems({ ...run, params: { ...run.params, cmaxPct: 20 } });
    expect(low.judged).toBe(3);
    expect(low.problems.length).toBeGreaterThan(0);
    expect(low.problems[0]).toMatch(/> Cmax 200‰$/);
  });

  it('judges nothing without balancing or reorganization', () => {
    expect(roomProblems({ ...run, params: { ...run.params, balance: false } }).judged).toBe(0);
    expect(roomProblems({ ...run, params: { ...run.params, reorg: false } }).judged).toBe(0);
  });
});
