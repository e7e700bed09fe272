/**
 * The life of each node, and the fault target: boot (from its disk image or an empty disk),
 * crash (losing its state, its timers, the writes in flight and what it held), restart with or
 * without amnesia, pause (arrivals are held as data) and resume (they are handled in order),
 * corruption, operator commands (to the node, or through the operator client). Node facts go
 * into the run log for the properties.
 */
import type { AnyProtocol, Json, ProtocolConfig } from '../protocol/types.js';
import type { Arrivals } from './arrivals.js';
import type { CostModel } from './costs.js';
import type { Delivery } from './delivery.js';
import type { Disks } from './disk.js';
import type { EffectInterpreter } from './effect-interpreter.js';
import type { EventLoop } from './event-loop.js';
import type { FaultTarget } from './faults/kinds.js';
import { PartitionBook } from './faults/partition.js';
import type { Network } from './network.js';
import { globalDelay, localTime, setSkew, type NodeRuntime } from './node-runtime.js';
import { lostAtCrash, releaseAtCrash } from './observation-queue.js';
import type { Prng } from './prng.js';
import type { RunLog } from './run-log.js';
import type { OperatorClient } from './operator-client.js';
import type { NodeEvent } from './run-record.js';
import type { Endpoints } from './topology.js';

export class NodeLifecycle implements FaultTarget {
  readonly partitions = new PartitionBook();

  constructor(
    private readonly loop: EventLoop,
    private readonly log: RunLog,
    readonly endpoints: Endpoints,
    readonly network: Network,
    readonly delivery: Delivery,
    private readonly protocol: AnyProtocol,
    private readonly config: ProtocolConfig,
    private readonly nodes: readonly NodeRuntime[],
    private readonly disks: Disks,
    private readonly costs: CostModel | null,
    private readonly interpreter: EffectInterpreter,
    private readonly arrivals: Arrivals,
    /** Draws for `corrupt`. */
    private readonly faultPrng: Prng,
    /** Submits the commands the protocol takes as requests; null when the run has none. */
    private readonly operatorClient: OperatorClient | null,
  ) {}

  /** Starts a node from the disk image `durable` (null: an empty disk). */
  boot(node: NodeRuntime, durable: unknown): void {
    node.up = true;
    node.paused = false;
    node.held = [];
    node.timers.clear();
    node.state = this.protocol.init(node.name, this.config);
    this.log.boot(node.name, durable === null);
    this.log.record(`${node.name} start${durable === null ? ' (empty disk)' : ''}`);
    this.interpreter.step(node, { kind: 'restart', now: localTime(node, this.loop.now), durable });
  }

  /** End of the fault window: heal everything, restart crashed nodes, quiet the network. */
  settle(): void {
    this.log.record('settle: heal all, restart crashed, resume paused');
    this.partitions.heal(this);
    this.network.healAll();
    this.network.quiet();
    this.delivery.settle();
    for (const n of this.nodes) {
      n.slowUs = 0;
      n.diskSlowUs = 0;
      if (n.paused) this.resume(n.index);
      if (!n.up) this.boot(n, n.disk);
    }
  }

  crash(index: number): void {
    const node = this.nodes[index]!;
    if (!node.up) return;
    // The disk keeps what completed; writes still in flight are lost with the machine.
    if (node.unsynced > 0) {
      this.log.record(`${node.name} crash loses ${node.unsynced} unsynced write` +
        `${node.unsynced === 1 ? '' : 's'}`);
      this.log.nodeEvent(node.name, 'writes-lost', node.diskAsOf, lostAtCrash(node));
    }
    // Facts that only waited behind a lost write held until now; those after it never did.
    releaseAtCrash(node, this.loop.now, (at, name, label, data, stepAt, step) =>
      this.log.observe(at, name, label, data, stepAt, step));
    node.deaths[node.life] = this.loop.now;
    node.life++;
    this.disks.crashed(node);
    this.costs?.crashed(index, this.loop.now); // COST MODEL HOOK: so are the events the CPU held.
    this.log.nodeEvent(node.name, 'down');
    node.up = false;
    node.state = null;
    node.timers.clear();
    this.arrivals.lostAtCrash(node.held);
    node.held = [];
    node.paused = false;
  }

  restart(index: number, amnesia: boolean): void {
    const node = this.nodes[index]!;
    this.crash(index);
    if (amnesia) {
      node.disk = null;
      node.diskAsOf = -1;
    }
    this.boot(node, node.disk);
  }

  pause(index: number): void {
    const node = this.nodes[index]!;
    if (!node.up || node.paused) return;
    node.paused = true;
    this.log.nodeEvent(node.name, 'paused');
  }

  resume(index: number): void {
    const node = this.nodes[index]!;
    if (!node.paused) return;
    node.paused = false;
    this.log.nodeEvent(node.name, 'resumed');
    const held = node.held;
    node.held = [];
    for (const event of held) this.arrivals.redeliver(event);
  }

  /**
   * A skew fault: the clock changes, and a timer still pending fires when the new clock reaches
   * its deadline (its event was placed by the old clock: a step or a rate change would fire it
   * early or late on the node's own clock). A timer whose deadline the old clock had reached
   * has fired or fires now; its event stands.
   */
  skew(index: number, offsetUs: number, ratePpm: number): void {
    const node = this.nodes[index]!;
    const now = this.loop.now;
    const was = localTime(node, now);
    setSkew(node, now, offsetUs, ratePpm);
    if (!node.up) return;
    for (const [name, { at }] of [...node.timers]) {
      if (at <= was) continue;
      const gen = ++node.timerGen;
      node.timers.set(name, { gen, at });
      this.loop.schedule(now + globalDelay(node, now, at), { k: 'timer', node: index, name, gen });
    }
  }

  runtime(index: number): NodeRuntime {
    return this.nodes[index]!;
  }

  /**
   * A command the protocol takes as a request goes to the operator client, which submits it
   * through the first selected node; any other is handed to each selected node (held while it
   * is paused, lost if it is down).
   */
  operator(nodes: readonly number[], name: string, args: Json): void {
    const command = { name, args };
    if (this.operatorClient !== null && this.protocol.operatorRequests?.includes(name) === true) {
      const first = nodes[0];
      if (first !== undefined) {
        this.operatorClient.submit(this.nodes[first]!.name, command, this.loop.now);
      }
      return;
    }
    for (const node of nodes) this.arrivals.operator({ k: 'opcmd', node, command });
  }

  corrupt(index: number): void {
    const node = this.nodes[index]!;
    if (!node.up || this.protocol.corrupt === undefined) return;
    const draw = (n: number): number => this.faultPrng.int(0, Math.max(0, n - 1));
    node.state = this.protocol.corrupt(node.state, draw);
    this.log.nodeEvent(node.name, 'corrupted');
  }

  nodeFact(index: number, kind: NodeEvent['kind']): void {
    this.log.nodeEvent(this.nodes[index]!.name, kind);
  }

  /** Whether the node is still in the given life (a crash since then ended it). */
  livesOn(index: number, life: number): boolean {
    return this.nodes[index]!.life === life;
  }
}
