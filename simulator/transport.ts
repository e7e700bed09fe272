/**
 * Putting a message on the wire: the cost model's link time, the network's loss, duplication and
 * delay, the receiving node's slowness, then the arrival event(s) on the loop. Shared by the
 * effect interpreter (node messages and replies) and the client host (requests).
 */
import { AssertionFailure } from '../protocol/assert.js';
import type { AnyProtocol } from '../protocol/types.js';
import type { CostModel } from './costs.js';
import type { Delivery } from './delivery.js';
import type { EventLoop } from './event-loop.js';
import type { Network } from './network.js';
import type { NodeRuntime } from './node-runtime.js';
import type { MessageCounters } from './run-log.js';
import type { Streams } from './streams.js';
import type {
  MessageEvent, OperatorRequestEvent, ReplyEvent, RequestEvent,
} from './sim-events.js';

export class Transport {
  constructor(
    private readonly loop: EventLoop,
    private readonly network: Network,
    private readonly delivery: Delivery,
    /** The scenario's cost model, or null: then nothing but links and disks cost time. */
    private readonly costs: CostModel | null,
    private readonly protocol: AnyProtocol,
    private readonly nodes: readonly NodeRuntime[],
    private readonly counters: MessageCounters,
    /** The cost model's streams, or null: every message is sent whole. */
    private readonly streams: Streams | null = null,
  ) {}

  /** Puts a message on the network at `at`; false when the network dropped it. */
  transmit(event: MessageEvent | ReplyEvent | RequestEvent | OperatorRequestEvent,
    at: number): boolean {
    this.counters.sent++;
    if (this.costs !== null) {
      const bytes = event.k === 'msg' ? this.sizeOf(event.msg) : this.costs.messageBytes;
      // COST MODEL HOOK: a large message is streamed as chunks (streams.ts).
      if (event.k === 'msg' && this.streams !== null && this.streams.streams(bytes)) {
        this.streams.start(event, at, bytes);
        return true;
      }
      // COST MODEL HOOK: the message enters the network once the link has sent it out.
      at = this.costs.depart(event.from, event.to, at, bytes);
    }
    const copies = this.network.transmit(event.from, event.to, at);
    if (copies === 0) return false;
    if (copies === 2) this.counters.duplicates++;
    const slowUs = event.to < this.nodes.length ? this.nodes[event.to]!.slowUs : 0;
    for (let i = 0; i < copies; i++) this.loop.schedule(this.network.arrival[i]! + slowUs, event);
    return true;
  }

  /** Why the network dropped the last message `transmit` refused. */
  get dropReason(): string {
    return this.network.dropReason;
  }

  /**
   * Targeted faults and PCT priorities (simulator/delivery.ts) for one node-to-node message:
   * extra delay in µs, or 'drop'.
   */
  shape(from: number, to: number, msg: unknown): number | 'drop' {
    if (!this.delivery.active || to >= this.nodes.length) return 0;
    const typeOf = (): string => this.protocol.messageType?.(msg) ?? '';
    return this.delivery.fate(from, to, typeOf, this.loop.now);
  }

  /**
   * COST MODEL: a message's size in bytes, the protocol's own measure if it has one. A size
   * that is not a positive integer is the protocol's fault, thrown inside the sending step and
   * so reported as its assertion: Stryker #7242 of the seed-52 sample made a SMART POLL-REPLY's
   * size shrink with every entry of its vote, and the link sent it in negative time, unseen.
   */
  sizeOf(msg: unknown): number {
    const bytes = this.protocol.sizeOf?.(msg) ?? this.costs!.messageBytes;
    if (!Number.isSafeInteger(bytes) || bytes <= 0) {
      throw new AssertionFailure(`a message's size is ${bytes} bytes, not a positive integer ` +
        `(${this.protocol.messageType?.(msg) ?? 'message'})`);
    }
    return bytes;
  }
}
