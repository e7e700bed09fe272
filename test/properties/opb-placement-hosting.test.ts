/** C8 counts a group's replicas by the members' own digests, not by the primary's list. */
import { describe, expect, it } from 'vitest';
import { findProtocol } from '../../protocol/registry.js';
import { opbPlacement } from '../../properties/opb-placement.js';
import { STALE_US } from '../../properties/opb-world.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

type Data = { service: number; role?: string; members?: string[]; phase?: string; add?: string };
const data = (o: RunRecord['observations'][number]): Data => o.data as Data;

describe('C8: a listed member must host the group', () => {
  const run = simulate({ scenario: loadScenario('opb-steady'), protocol: findProtocol('opb')!,
    seed: 0 });
  const last = run.observations.filter((o) => o.label === 'opb.digest' && data(o).service === 0
    && data(o).role === 'primary').at(-1)!;
  const backup = data(last).members!.find((m) => m !== last.node)!;

  it('passes a steady run whose members all report their replicas', () => {
    expect(opbPlacement.check(run).status).toBe('pass');
  });

  it('fails when a listed member reported nothing from STALE_US before the end', () => {
    const silent = { ...run, observations: run.observations.filter((o) => !(o.node === backup
      && o.label === 'opb.digest' && data(o).service === 0 && o.at >= run.endUs - STALE_US)) };
    const v = opbPlacement.check(silent);
    expect(v.status).toBe('fail');
    expect(v.message).toContain(`s0: ${last.node} lists ${backup} as members, but no such ` +
      `replica reports hosting it in the last ${STALE_US}us`);
  });

  // Seed 9: the first seed whose run ends in the instant a move starts that adds a node not yet
  // hosting the group (seed 2 before the primary's re-send rule of explore trial 1110293,
  // n13's move adding n10 to s2 there; seed 1's move adds n10, which already hosts s1).
  it('lets off the node a move started in the last STALE_US adds (opb-diurnal seed 10)', () => {
    // Seed 10 since main's claim-floor fix (93984e7) moved seed 9, whose last-instant move now
    // adds a node already hosting: the first of seeds 0-50 whose run ends in the instant a move
    // starts adding a node not yet hosting the group (12, 23, 26, 27, 39, 40, 47 too).
    const diurnal = simulate({ scenario: loadScenario('opb-diurnal'),
      protocol: findProtocol('opb')!, seed: 10 });
    expect(opbPlacement.check(diurnal).status).toBe('pass');
    const move = diurnal.observations.find((o) => o.label === 'opb.move' && o.node === 'n13'
      && data(o).service === 2 && data(o).phase === 'start' && o.at === diurnal.endUs)!;
    expect(data(move).add).toBe('n10');
    // The same move started earlier: n1 had time to join and report, and did not.
    const earlier = { ...diurnal, observations: diurnal.observations.map((o) => (o === move
      ? { ...o, at: diurnal.endUs - STALE_US - 1, stepAt: diurnal.endUs - STALE_US - 1 } : o)) };
    const v = opbPlacement.check(earlier);
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/s2: n13 lists n10 as members, but no such replica/);
  });
});
