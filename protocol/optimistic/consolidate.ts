/** Power-saving consolidation target rule (P2.6 #3, P2.10 #8). */
import type { NodeId } from '../types.js';
import { baseRps, freshPeer, permille } from './agent.js';
import { fits } from './placement.js';
import type { Replica, State } from './types.js';

/**
 * Whether a backup on `x` may be gathered onto `t`: `t` is on, stays under Cmax, already hosts
 * at least as many replicas (ties by id, so two nodes never swap back and forth) and the group
 * keeps distinct DCs and the zone cap — the last rule is what `opb:consolidate-one-zone` drops.
 */
export function fitsConsolidation(
  s: State, rep: Replica, x: NodeId, t: NodeId, hostedX: number,
): boolean {
  if (t === x || t === s.id || rep.members.includes(t)) return false;
  const p = freshPeer(s, t);
  if (p === undefined || !p.on) return false;
  // The declared mutant opb:consolidate-over-cmax takes only a node without room.
  const over = p.load + permille(s, baseRps(s)) > s.params.cmaxPct * 10;
  if (over === (s.mutant !== 'consolidate-over-cmax')) return false;
  if (p.hosted < hostedX || (p.hosted === hostedX && t > x)) return false;
  if (s.mutant === 'consolidate-one-zone') return true;
  return fits(s.nodes, rep.members.filter((m) => m !== x), t, s.params.k, true);
}
