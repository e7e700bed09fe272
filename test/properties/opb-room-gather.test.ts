/**
 * opb-c8-room on power-saving gathers (P2.6 #3: consolidate "such that each stays ≤ Cmax").
 * opb-gather-busy: n1 carries the hot service 0 at about 750‰ (Cmax 500‰) while the idle groups
 * gather their replicas. Unmutated, no gather picks n1; with opb:consolidate-over-cmax (Stryker
 * #1105 of the seed-47 sample) a gather picks only a node without room, and n1 is the one.
 */
import { describe, expect, it } from 'vitest';
import { opbRoom, roomProblems } from '../../properties/opb-room.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const record = (mutant: string | null, scenario = 'opb-gather-busy'): RunRecord => simulate({
  scenario: loadScenario(scenario), protocol: findProtocol('opb')!, seed: 0, mutant });

describe('opb-c8-room on power-saving gathers', () => {
  const run = record(null);
  const mutated = record('opb:consolidate-over-cmax');

  it('holds when every gather goes onto a node with room', () => {
    const r = roomProblems(run);
    expect(r.problems).toEqual([]);
    // Only gathers: the scenario balances nothing (balance off).
    expect(r.judged).toBeGreaterThan(10);
    expect(opbRoom.check(run).status).toBe('pass');
  });

  it('fails a gather of a backup onto the hot node (opb:consolidate-over-cmax)', () => {
    expect(roomProblems(mutated).problems[0]).toBe(
      's3: n13\'s consolidate move to n1 at t=3000000us: n1 had at least 653‰ in every window ' +
      'n13 could know of and s3 needs at least 50‰: 703‰ > Cmax 500‰');
    expect(opbRoom.check(mutated).status).toBe('fail');
  });

  it('judges no gather with power saving off, nor with reorganization off', () => {
    for (const params of [{ power: false }, { power: false, balance: true }, { reorg: false }]) {
      const off = { ...mutated, params: { ...mutated.params, ...params } };
      expect(roomProblems(off)).toEqual({ problems: [], judged: 0 });
    }
  });

  it('judges gathers and balancing moves together when both are on (opb-diurnal)', () => {
    const diurnal = record(null, 'opb-diurnal');
    const all = roomProblems(diurnal);
    const balancing = roomProblems({ ...diurnal, params: { ...diurnal.params, power: false } });
    expect(all.problems).toEqual([]);
    expect(all.judged).toBeGreaterThan(balancing.judged);
  });
});
