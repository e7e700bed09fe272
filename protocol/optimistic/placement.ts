/**
 * Topology and placement: disaster zones, service groups of k replicas in distinct DCs (and at
 * most ⌊k/2⌋ per zone, so no single zone disaster removes a majority), candidate ranking.
 */
import type { NodeId, NodePlacement } from '../types.js';
import type { Params } from './types.js';

/** The service of a key: the prefix `s{i}` before '/', or service 0. */
export function serviceOf(key: string, services: number): number {
  const slash = key.indexOf('/');
  if (slash < 0) return 0;
  const m = /^s(\d+)$/.exec(key.slice(0, slash));
  return m === null ? 0 : Number(m[1]) % services;
}

export function placementOf(
  nodes: readonly NodePlacement[], id: NodeId,
): NodePlacement | undefined {
  return nodes.find((n) => n.id === id);
}

export const zoneCap = (k: number): number => Math.max(1, Math.floor(k / 2));

/** Whether adding `cand` to `members` keeps distinct DCs and the zone cap. */
export function fits(
  nodes: readonly NodePlacement[], members: readonly NodeId[], cand: NodeId, k: number,
  zones: boolean,
): boolean {
  const c = placementOf(nodes, cand);
  if (c === undefined || members.includes(cand)) return false;
  const ps = members.map((m) => placementOf(nodes, m))
    .filter((p): p is NodePlacement => p !== undefined);
  if (ps.some((p) => p.dc === c.dc)) return false;
  return !zones || ps.filter((p) => p.zone === c.zone).length < zoneCap(k);
}

/** Whether a membership satisfies the placement policy (distinct DCs, zone cap). */
export function placementOk(
  nodes: readonly NodePlacement[], members: readonly NodeId[], k: number,
): boolean {
  return members.every((m, i) => fits(nodes, members.slice(0, i), m, k, true));
}

/**
 * How far a membership is from the placement policy: members sharing a DC with an earlier one
 * (the hard rule) first, then replicas above the zone cap, summed over zones. Zero iff
 * `placementOk`. A repair takes a swap only if it lowers this, so placement repairs end.
 */
export function misplacement(
  nodes: readonly NodePlacement[], members: readonly NodeId[], k: number,
): [number, number] {
  const dcs = new Set<string>();
  const perZone = new Map<string, number>();
  let shared = 0;
  for (const m of members) {
    const p = placementOf(nodes, m);
    if (p === undefined) continue;
    if (dcs.has(p.dc)) shared++;
    dcs.add(p.dc);
    perZone.set(p.zone, (perZone.get(p.zone) ?? 0) + 1);
  }
  let over = 0;
  for (const c of perZone.values()) over += Math.max(0, c - zoneCap(k));
  return [shared, over];
}

/** Whether misplacement `a` is strictly better (lower) than `b`. */
export function lessMisplaced(a: readonly number[], b: readonly number[]): boolean {
  return a[0]! < b[0]! || (a[0] === b[0] && a[1]! < b[1]!);
}

/** Picks k nodes in distinct DCs, zone-diverse when possible, least used first. */
function spreadGroup(
  nodes: readonly NodePlacement[], k: number, svc: number, used: Map<NodeId, number>,
): NodeId[] {
  const dcs = [...new Set(nodes.map((n) => n.dc))];
  const order = dcs.map((_, i) => dcs[(i + svc) % dcs.length]!);
  const group: NodeId[] = [];
  for (const zones of [true, false]) {
    for (const dc of order) {
      if (group.length >= k) break;
      const inDc = nodes.filter((n) => n.dc === dc && fits(nodes, group, n.id, k, zones));
      inDc.sort((a, b) => (used.get(a.id) ?? 0) - (used.get(b.id) ?? 0) || (a.id < b.id ? -1 : 1));
      const best = inDc[0];
      if (best !== undefined) group.push(best.id);
    }
  }
  for (const g of group) used.set(g, (used.get(g) ?? 0) + 1);
  return group;
}

/** The initial groups of every service, in priority order; identical on every node. */
export function initialGroups(
  nodes: readonly NodePlacement[], replicas: readonly NodeId[], p: Params,
): NodeId[][] {
  const used = new Map<NodeId, number>();
  const groups: NodeId[][] = [];
  for (let svc = 0; svc < p.services; svc++) {
    if (p.placement === 'packed' || (p.placement === 'replicas' && svc === 0)) {
      const base = replicas.slice(0, p.k);
      for (const g of base) used.set(g, (used.get(g) ?? 0) + 1);
      groups.push(base);
    } else {
      groups.push(spreadGroup(nodes, p.k, svc, used));
    }
  }
  return groups;
}
