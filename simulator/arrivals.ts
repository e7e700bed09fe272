/**
 * What happens when a message, a client request, a reply or a timer comes due: it is refused
 * (a cut link, a crashed node, a sender that crashed before the write the message waited for),
 * held (the node is paused: kept as data, handled on resume) or handed to the node's step.
 */
import type { AnyProtocol, ReplyOutcome } from '../protocol/types.js';
import { describeOperatorRequest, describeReply, describeRequest } from './describe.js';
import type { EffectInterpreter } from './effect-interpreter.js';
import type { EventLoop } from './event-loop.js';
import type { Network } from './network.js';
import { localTime, type NodeRuntime } from './node-runtime.js';
import type { RunLog } from './run-log.js';
import type {
  AfterDisk, HeldEvent, MessageEvent, OperatorEvent, OperatorRequestEvent, ReplyEvent,
  RequestEvent, TimerEvent,
} from './sim-events.js';
import type { Endpoints } from './topology.js';

/** Whatever a reply reaches: a closed-loop client or the operator client. */
export interface ReplyTarget {
  onReply(seq: number, outcome: ReplyOutcome, now: number): void;
}

/** Why a message is dropped when its sender crashed before the write it waited for. */
const DIED_FIRST = 'sender crashed before its write';

export class Arrivals {
  constructor(
    private readonly loop: EventLoop,
    private readonly log: RunLog,
    private readonly network: Network,
    private readonly endpoints: Endpoints,
    private readonly protocol: AnyProtocol,
    private readonly nodes: readonly NodeRuntime[],
    /** By client index (endpoint index minus the node count). */
    private readonly clients: readonly ReplyTarget[],
    private readonly interpreter: EffectInterpreter,
  ) {}

  /** A message's label in the message diagram, made once (no closure per message). */
  private readonly describeMessage = (e: MessageEvent): string =>
    this.protocol.describeMessage(e.msg);

  /** A held event, handled on resume as if it arrived now. */
  redeliver(event: HeldEvent): void {
    switch (event.k) {
      case 'msg': return this.message(event);
      case 'req': return this.request(event);
      case 'oreq': return this.operatorRequest(event);
      case 'opcmd': return this.operator(event);
      case 'timer': return this.timer(event);
      case 'cpu': return this.interpreter.stepHeld(this.nodes[event.node]!, event);
    }
  }

  /**
   * A paused node crashed: what it held never reaches it. Noted in the message record as lost
   * to a node that went down (it used to vanish from it: a check of who was told what saw no
   * DEFUNCT a leader did send, explore-drawn trial 5074 of smart-extended-disconnection). The
   * trace hash is left as it was: these journeys are counted and recorded, not hashed.
   */
  lostAtCrash(held: readonly HeldEvent[]): void {
    const now = this.loop.now;
    for (const event of held) {
      if (event.k === 'msg') this.log.journey(event, now, this.describeMessage, 'down');
      else if (event.k === 'req') this.log.journey(event, now, describeRequest, 'down');
      else if (event.k === 'oreq') this.log.journey(event, now, describeOperatorRequest, 'down');
    }
  }

  message(event: MessageEvent): void {
    const node = this.nodes[event.to]!;
    const refused = this.admit(node, event);
    if (refused === 'held') return;
    const now = this.loop.now;
    const drop = this.diedFirst(event) ? DIED_FIRST : refused;
    // One description for the message record and the trace line, made only when they are kept.
    const label = this.log.messages === null ? undefined : this.describeMessage(event);
    const index = this.log.journey(event, now, label ?? this.describeMessage, drop);
    this.log.trace.message(now, event.from, event.to, event.msg, drop, label);
    if (drop !== null) return;
    this.log.handledBy(index, this.interpreter.handle(node, { kind: 'message',
      now: localTime(node, now), from: this.endpoints.names[event.from]!, msg: event.msg }));
  }

  request(event: RequestEvent): void {
    const node = this.nodes[event.to]!;
    const r = event.request;
    const refused = this.admit(node, event);
    if (refused === 'held') return;
    const now = this.loop.now;
    const index = this.log.journey(event, now, describeRequest, refused);
    this.log.trace.request(now, event.from, event.to, r, refused);
    if (refused !== null) return;
    this.log.handledBy(index, this.interpreter.handle(node, { kind: 'clientRequest',
      now: localTime(node, now), request: r }));
  }

  operatorRequest(event: OperatorRequestEvent): void {
    const node = this.nodes[event.to]!;
    const refused = this.admit(node, event);
    if (refused === 'held') return;
    const now = this.loop.now;
    const index = this.log.journey(event, now, describeOperatorRequest, refused);
    this.log.trace.operatorRequest(now, event.from, event.to, event.requester.seq, event.command,
      refused);
    if (refused !== null) return;
    this.log.handledBy(index, this.interpreter.handle(node, { kind: 'operator',
      now: localTime(node, now), command: event.command, from: event.requester }));
  }

  /** A local operator command (not a request): lost on a node that is down, held if paused. */
  operator(event: OperatorEvent): void {
    const node = this.nodes[event.node]!;
    if (!node.up) return;
    if (node.paused) {
      node.held.push(event);
      return;
    }
    this.interpreter.handle(node, { kind: 'operator', now: localTime(node, this.loop.now),
      command: event.command });
  }

  reply(event: ReplyEvent): void {
    const client = this.clients[event.to - this.endpoints.nodeCount]!;
    const now = this.loop.now;
    const drop = this.diedFirst(event) ? DIED_FIRST
      : this.network.isCut(event.from, event.to) ? 'cut' : null;
    this.log.journey(event, now, describeReply, drop);
    this.log.trace.reply(now, event.from, event.to, event.seq, event.outcome, drop);
    if (drop !== null) return;
    client.onReply(event.seq, event.outcome, now);
  }

  timer(event: TimerEvent): void {
    const node = this.nodes[event.node]!;
    // Cancelled, replaced or crashed.
    if (!node.up || node.timers.get(event.name)?.gen !== event.gen) return;
    if (node.paused) {
      node.held.push(event);
      return;
    }
    const now = this.loop.now;
    this.log.trace.timer(now, node.index, event.name);
    this.interpreter.handle(node, { kind: 'timer', now: localTime(node, now),
      timer: event.name }, event.gen);
  }

  /**
   * Why an arrival at `node` cannot be handled now ('cut', 'down'), or null; a paused node holds
   * it as data for its resume ('held': nothing more to do now).
   */
  private admit(
    node: NodeRuntime, event: MessageEvent | RequestEvent | OperatorRequestEvent,
  ): 'cut' | 'down' | 'held' | null {
    if (this.network.isCut(event.from, node.index)) return 'cut';
    if (!node.up) return 'down';
    if (!node.paused) return null;
    node.held.push(event);
    return 'held';
  }

  /** Whether the sender crashed before the disk write this message waited for was done. */
  /** Settles the message record's send-time losses at the end of the run (run-log.ts). */
  settleSendLosses(): void {
    this.log.settleSendLosses((from, after) => this.diedFirst({ from, after }), DIED_FIRST);
  }

  private diedFirst(event: { readonly from: number; readonly after: AfterDisk | null }): boolean {
    const after = event.after;
    if (after === null) return false;
    const sender = this.nodes[event.from]!;
    if (sender.life === after.life) return false;
    return sender.deaths[after.life]! <= after.at;
  }
}
