/**
 * The cost model's streams (a scenario's `costs.stream`): a message of at least `fromBytes`, a
 * state transfer, travels as chunks of `chunkBytes`. The sender's CPU spends one slice on each
 * chunk, and the next slice is queued only when the previous one is done, behind whatever arrived
 * meanwhile:
 * a node sending a large state keeps handling its other events, each a little later (the
 * paper's elevated latency while a replica sends a checkpoint), instead of all of them waiting
 * for the whole transfer. Each chunk then takes the link (bandwidth, latency) and a slice of the
 * receiver's CPU; the message arrives, as any message does, once its last chunk is received.
 * A crash of either end or a cut link ends the stream, and the message is lost.
 */
import { byteCostUs, type CostModel } from './costs.js';
import type { StreamSpec } from './config.js';
import type { EventLoop } from './event-loop.js';
import type { Network } from './network.js';
import type { NodeRuntime } from './node-runtime.js';
import type { ChunkEvent, MessageEvent } from './sim-events.js';

/** One message on its way as chunks. */
export interface Stream {
  readonly event: MessageEvent;
  readonly bytes: number;
  readonly chunks: number;
  /** Chunks whose sender slice has been queued so far. */
  queued: number;
  /** Chunks the receiver's CPU is done with. */
  received: number;
  /** The lives of both ends when the stream began: a crash of either ends it. */
  readonly senderLife: number;
  readonly receiverLife: number;
  /** Set once the stream broke; its chunks still on their way are ignored. */
  lost: boolean;
}

/** Where a lost stream's message is reported (the run log's journey and trace line). */
export type StreamLost = (event: MessageEvent, reason: string) => void;

export class Streams {
  constructor(
    private readonly spec: StreamSpec,
    private readonly loop: EventLoop,
    private readonly costs: CostModel,
    private readonly network: Network,
    private readonly nodes: readonly NodeRuntime[],
    private readonly onLost: StreamLost,
  ) {}

  /** Whether a message of `bytes` is streamed rather than sent whole. */
  streams(bytes: number): boolean {
    return bytes >= this.spec.fromBytes;
  }

  /** The message leaves its sender at `at` as a stream of chunks. */
  start(event: MessageEvent, at: number, bytes: number): void {
    const stream: Stream = {
      event, bytes, chunks: Math.ceil(bytes / this.spec.chunkBytes), queued: 0, received: 0,
      senderLife: this.nodes[event.from]!.life, receiverLife: this.nodes[event.to]!.life,
      lost: false,
    };
    this.loop.schedule(at, { k: 'chunk', stage: 'send', stream, bytes: 0 });
  }

  handle(e: ChunkEvent): void {
    const s = e.stream;
    if (s.lost) return;
    switch (e.stage) {
      case 'send': return this.queueSlice(s);
      case 'sent': return this.sent(s, e.bytes);
      case 'arrive': return this.arrive(s, e.bytes);
      case 'received': return this.received(s);
    }
  }

  /** Bytes of chunk `i` (the last one holds the rest). */
  private chunkBytes(s: Stream, i: number): number {
    return Math.min(this.spec.chunkBytes, s.bytes - i * this.spec.chunkBytes);
  }

  /** The sender's next chunk joins its CPU's queue, behind everything that arrived before. */
  private queueSlice(s: Stream): void {
    const from = s.event.from;
    if (!this.alive(from, s.senderLife)) return this.lose(s, 'sender crashed');
    const bytes = this.chunkBytes(s, s.queued++);
    const now = this.loop.now;
    const done = this.costs.admitWork(from, now, byteCostUs(bytes, this.spec.sendNsPerByte));
    this.loop.schedule(done, { k: 'chunk', stage: 'sent', stream: s, bytes });
  }

  /** The sender's slice is done: the chunk takes the link, the next chunk queues. */
  private sent(s: Stream, bytes: number): void {
    const { from, to } = s.event;
    if (!this.alive(from, s.senderLife)) return this.lose(s, 'sender crashed');
    const now = this.loop.now;
    this.costs.finished(from, now);
    const out = this.costs.depart(from, to, now, bytes);
    // A stream is a connection: loss is retransmitted below it, only a cut breaks it.
    if (this.network.isCut(from, to)) return this.lose(s, 'cut');
    const arrival = this.network.arrivalOf(from, to, out) + this.nodes[to]!.slowUs;
    this.loop.schedule(arrival, { k: 'chunk', stage: 'arrive', stream: s, bytes });
    if (s.queued < s.chunks) this.queueSlice(s);
  }

  private arrive(s: Stream, bytes: number): void {
    const to = s.event.to;
    if (!this.alive(to, s.receiverLife)) return this.lose(s, 'receiver crashed');
    const now = this.loop.now;
    const done = this.costs.admitWork(to, now, byteCostUs(bytes, this.spec.receiveNsPerByte));
    this.loop.schedule(done, { k: 'chunk', stage: 'received', stream: s, bytes });
  }

  private received(s: Stream): void {
    const to = s.event.to;
    if (!this.alive(to, s.receiverLife)) return this.lose(s, 'receiver crashed');
    this.costs.finished(to, this.loop.now);
    // The whole message is here: it arrives like any other (cut, down, paused, then handled).
    if (++s.received === s.chunks) this.loop.schedule(this.loop.now, s.event);
  }

  private alive(node: number, life: number): boolean {
    const n = this.nodes[node]!;
    return n.up && n.life === life;
  }

  private lose(s: Stream, reason: string): void {
    s.lost = true;
    this.onLost(s.event, reason);
  }
}
