/** Partitions: the directed links a partition fault cuts, and the book of active ones. */
import type { Endpoints } from '../topology.js';
import type { FaultOf, FaultTarget } from './kinds.js';

type PartitionFault = FaultOf<'partition'>;

/** Active partitions by id, so `heal` can lift one of several. */
export class PartitionBook {
  private readonly active = new Map<string, [number, number][]>();
  private counter = 0;

  cut(target: FaultTarget, fault: PartitionFault): void {
    const id = fault.id ?? `p${++this.counter}`;
    this.heal(target, id);
    const links = partitionLinks(fault, target.endpoints);
    for (const [a, b] of links) target.network.adjustCut(a, b, 1);
    this.active.set(id, links);
  }

  heal(target: FaultTarget, id?: string): void {
    const ids = id === undefined ? [...this.active.keys()] : [id];
    for (const key of ids) {
      for (const [a, b] of this.active.get(key) ?? []) target.network.adjustCut(a, b, -1);
      this.active.delete(key);
    }
  }
}

/** Directed links [from, to] cut by the partition, each listed once. */
export function partitionLinks(fault: PartitionFault, endpoints: Endpoints): [number, number][] {
  const groups = sideGroups(fault, endpoints);
  const seen = new Set<number>();
  const links: [number, number][] = [];
  const size = endpoints.names.length;
  const add = (a: number, b: number): void => {
    if (a === b || seen.has(a * size + b)) return;
    seen.add(a * size + b);
    links.push([a, b]);
  };
  for (let i = 0; i < groups.length; i++) {
    for (let j = i + 1; j < groups.length; j++) {
      for (const a of groups[i]!) {
        for (const b of groups[j]!) {
          add(a, b);
          if (fault.symmetry === 'symmetric') add(b, a);
        }
      }
    }
  }
  return links;
}

function sideGroups(fault: PartitionFault, endpoints: Endpoints): number[][] {
  const expand = (side: readonly string[]): number[] =>
    [...new Set(side.flatMap((s) => endpoints.select(s)))];
  switch (fault.mode) {
    case 'sides':
      return fault.sides.map(expand);
    case 'isolate': {
      const isolated = expand(fault.sides.flat());
      const rest = endpoints.names.map((_, i) => i).filter((i) => !isolated.includes(i));
      return [isolated, rest];
    }
    case 'bridge': // The third side (the bridge) keeps talking to both others.
      return fault.sides.slice(0, 2).map(expand);
    case 'splitDc':
      return fault.sides.map((dcs) =>
        expand(dcs.map((d) => (d.startsWith('dc:') ? d : `dc:${d}`))));
  }
}
