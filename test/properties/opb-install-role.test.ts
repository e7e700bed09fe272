/**
 * opb-install-role: an installed transfer is reported as a reconciliation (the non-vacuity event
 * `reconciliation`) exactly when the replica's role facts say it was reconciling.
 */
import { describe, expect, it } from 'vitest';
import { installRoleProblems, opbInstallRole } from '../../properties/opb-install-role.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

type Obs = RunRecord['observations'][number];
const installs = (r: RunRecord): Obs[] => r.observations.filter((o) => o.label === 'opb.install');
const reconciling = (o: Obs): boolean => (o.data as { reconciling: boolean }).reconciling;
const flipped = (r: RunRecord, o: Obs): RunRecord => ({ ...r,
  observations: r.observations.map((x) => x === o
    ? { ...x, data: { ...(x.data as object), reconciling: !reconciling(o) } } : x) });
const opb = (scenario: string, seed: number, mutant: string | null = null): RunRecord =>
  simulate({ scenario: loadScenario(scenario), protocol: findProtocol('opb')!, seed, mutant });

describe('opb-install-role', () => {
  // Three partitions heal: n1 and n9 lose and reconcile with the winner n5.
  const healed = opb('opb-three-way', 0);
  // After the corruption, the backup n1 catches up by a transfer (seed 0 since the re-send rule
  // of explore trial 1110293: on seed 1 n1 no longer needs one).
  const caught = opb('opb-corruption', 0);

  it('holds on runs with both kinds of install', () => {
    expect(installs(healed).filter(reconciling).length).toBe(2);
    expect(installRoleProblems(healed)).toEqual({ problems: [], judged: 2 });
    const r = installRoleProblems(caught);
    expect(r.problems).toEqual([]);
    expect(r.judged).toBeGreaterThan(0);
  });

  it('fails on a catch-up reported as a reconciliation (opb:install-says-reconciling, ' +
    'Stryker #442 of the seed-49 sample)', () => {
    const mutated = opb('opb-corruption', 0, 'opb:install-says-reconciling');
    expect(opbInstallRole.check(mutated)).toMatchObject({ status: 'fail',
      message: expect.stringMatching(new RegExp("^n1 installed s0's transfer from n\\d+ at " +
        't=\\d+us reported as a reconciliation, but its role facts say backup')) });
    const catchUp = installs(caught).find((o) => !reconciling(o))!;
    expect(installRoleProblems(flipped(caught, catchUp)).problems).toHaveLength(1);
  });

  it('fails on a reconciliation reported as none', () => {
    for (const o of installs(healed).filter(reconciling)) {
      expect(installRoleProblems(flipped(healed, o)).problems).toEqual([`${o.node} installed ` +
        `s0's transfer from n5 at t=${o.at}us reported not as a reconciliation, but its role ` +
        'facts say reconciling']);
    }
  });

  it('does not judge across a crash of the node (a fact of another life)', () => {
    const catchUp = installs(caught).find((o) => !reconciling(o))!;
    const down = { at: catchUp.at, node: catchUp.node, kind: 'down' as const,
      seq: catchUp.seq - 0.5 };
    const nodeEvents = [...caught.nodeEvents, down].sort((a, b) => a.seq - b.seq);
    const r = installRoleProblems({ ...flipped(caught, catchUp), nodeEvents });
    expect(r.problems).toEqual([]);
    expect(r.judged).toBe(installRoleProblems(caught).judged - 1);
  });
});
