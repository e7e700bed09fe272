/**
 * Endpoints of a run: nodes first (indices 0..nodes-1), then clients, then the operator client
 * when the run has one. Dense integer indices keep iteration order defined by the scenario and
 * let the network use flat matrices.
 */
import { assert } from '../protocol/assert.js';
import type { NodePlacement } from '../protocol/types.js';
import type { Scenario, Selector } from './config.js';

export interface Endpoints {
  readonly names: readonly string[];
  readonly dcOf: readonly string[];
  readonly nodeCount: number;
  readonly clientCount: number;
  readonly placements: readonly NodePlacement[];
  indexOf(name: string): number;
  /** Expands a selector to endpoint indices, in endpoint order. Throws on unknown names. */
  select(selector: Selector): number[];
}

/** The operator client's endpoint name (simulator/operator-client.ts). */
export const OPERATOR_CLIENT = 'operator';

/** `operator`: the run has an operator client, placed like the first client. */
export function buildEndpoints(scenario: Scenario, operator = false): Endpoints {
  const zoneOf = new Map(scenario.topology.dcs.map((d) => [d.name, d.zone]));
  const nodes = scenario.topology.nodes;
  const clientDcs = scenario.clients.dcs.length > 0 ? scenario.clients.dcs
    : [scenario.topology.dcs[0]!.name];
  const names: string[] = nodes.map((n) => n.id);
  const dcOf: string[] = nodes.map((n) => n.dc);
  for (let c = 0; c < scenario.clients.count; c++) {
    names.push(`c${c}`);
    dcOf.push(clientDcs[c % clientDcs.length]!);
  }
  if (operator) {
    names.push(OPERATOR_CLIENT);
    dcOf.push(clientDcs[0]!);
  }
  const index = new Map(names.map((n, i) => [n, i]));
  assert(index.size === names.length, 'topology: duplicate endpoint names');
  const placements = nodes.map((n) => ({ id: n.id, dc: n.dc, zone: zoneOf.get(n.dc) ?? n.dc }));
  const replicas = new Set(scenario.topology.replicas);
  const all = (pred: (i: number) => boolean): number[] => names.map((_, i) => i).filter(pred);
  return {
    names, dcOf, placements, nodeCount: nodes.length,
    clientCount: names.length - nodes.length,
    indexOf(name) {
      const i = index.get(name);
      if (i === undefined) throw new Error(`unknown endpoint "${name}"`);
      return i;
    },
    select(selector) {
      if (selector === '*') return all((i) => i < nodes.length);
      if (selector === 'replicas') return all((i) => i < nodes.length && replicas.has(names[i]!));
      if (selector.startsWith('dc:')) {
        const dc = selector.slice(3);
        if (!zoneOf.has(dc)) throw new Error(`unknown data center "${dc}"`);
        return all((i) => dcOf[i] === dc);
      }
      if (selector.startsWith('zone:')) {
        const zone = selector.slice(5);
        const hits = all((i) => zoneOf.get(dcOf[i]!) === zone);
        if (hits.length === 0) throw new Error(`unknown zone "${zone}"`);
        return hits;
      }
      const i = index.get(selector);
      if (i === undefined) throw new Error(`unknown node or client "${selector}"`);
      return [i];
    },
  };
}
