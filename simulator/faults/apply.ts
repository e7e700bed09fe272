/**
 * Fault handlers: one case per FaultEvent kind. A handler only translates the fault into calls
 * on the simulator's FaultTarget, so adding a fault touches one union variant and one case here.
 */
import { assertNever } from '../../protocol/assert.js';
import type { Json } from '../../protocol/types.js';
import type { FaultEvent } from '../config.js';
import type { Network } from '../network.js';
import type { Endpoints } from '../topology.js';
import { partitionLinks } from './partition.js';

export interface FaultTarget {
  readonly endpoints: Endpoints;
  readonly network: Network;
  crash(node: number): void;
  restart(node: number, amnesia: boolean): void;
  pause(node: number): void;
  resume(node: number): void;
  setSlow(node: number, delayUs: number): void;
  setSkew(node: number, offsetUs: number, ratePpm: number): void;
  operator(node: number, name: string, args: Json): void;
  corrupt(node: number): void;
}

/** Active partitions by id, so `heal` can lift one of several. */
export class PartitionBook {
  private readonly active = new Map<string, [number, number][]>();
  private counter = 0;

  cut(target: FaultTarget, fault: Extract<FaultEvent, { kind: 'partition' }>): void {
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

export function applyFault(target: FaultTarget, book: PartitionBook, fault: FaultEvent): void {
  const nodesOf = (selector: string): number[] =>
    target.endpoints.select(selector).filter((i) => i < target.endpoints.nodeCount);
  switch (fault.kind) {
    case 'crash':
      return nodesOf(fault.node).forEach((n) => target.crash(n));
    case 'restart':
      return nodesOf(fault.node).forEach((n) => target.restart(n, fault.amnesia === true));
    case 'pause':
      return nodesOf(fault.node).forEach((n) => target.pause(n));
    case 'resume':
      return nodesOf(fault.node).forEach((n) => target.resume(n));
    case 'slow':
      return nodesOf(fault.node).forEach((n) => target.setSlow(n, fault.delayUs));
    case 'skew':
      return nodesOf(fault.node).forEach((n) => target.setSkew(n, fault.offsetUs, fault.ratePpm));
    case 'corrupt':
      return nodesOf(fault.node).forEach((n) => target.corrupt(n));
    case 'operator':
      return nodesOf(fault.node).forEach((n) => target.operator(n, fault.name, fault.args));
    case 'partition':
      return book.cut(target, fault);
    case 'heal':
      return book.heal(target, fault.id);
    case 'clog':
      for (const a of target.endpoints.select(fault.from)) {
        for (const b of target.endpoints.select(fault.to))
          target.network.setClog(a, b, fault.delayUs);
      }
      return;
    case 'network':
      if (fault.loss !== undefined) target.network.loss = fault.loss;
      if (fault.dup !== undefined) target.network.dup = fault.dup;
      if (fault.reorder !== undefined) target.network.reorder = fault.reorder;
      return;
    default:
      return assertNever(fault, 'fault');
  }
}
