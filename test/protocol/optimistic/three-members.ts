/**
 * A fixture for unit tests of one OPB node's replica logic: a three-member group n1, n3, n5 in
 * three zones, node n1 booted, and logs of puts written under a given epoch.
 */
import { emptyData, executeWrite } from '../../../protocol/optimistic/data.js';
import { opb } from '../../../protocol/optimistic/index.js';
import type { Epoch, State, SvcData } from '../../../protocol/optimistic/types.js';
import type { NodePlacement } from '../../../protocol/types.js';

export const nodes: NodePlacement[] = [['n1', 'a1', 'za'], ['n3', 'b1', 'zb'], ['n5', 'c1', 'zc']]
  .map(([id, dc, zone]) => ({ id: id!, dc: dc!, zone: zone! }));
export const members = ['n1', 'n3', 'n5'];

/**
 * Node n1 after its first boot, its clock at `now` and its heartbeat tick just run: a node whose
 * tick is overdue takes what it hears for a stall's backlog (replica.ts `sightedAt`).
 */
export function state(now: number): State {
  const s = opb.init('n1', { nodes, replicas: members, params: opb.defaults, mutant: null });
  return { ...opb.step(s, { kind: 'restart', now: 0, durable: null }).state, now, tickAt: now };
}

/** A log of `n` puts by client c0 (seq 1..n) under epoch `e`. */
export function writes(e: Epoch, n: number): SvcData {
  let d = emptyData;
  for (let seq = 1; seq <= n; seq++) {
    d = executeWrite(d, e, { client: 'c0', seq, op: { type: 'put', key: 'k0', value: `${seq}` } })
      .data;
  }
  return d;
}
