/**
 * The engine's side of the closed-loop clients (simulator/clients.ts): their requests go on the
 * wire, their wake-ups, timeouts and retries onto the loop, their notes into the trace.
 */
import type { KvOp } from '../protocol/kv-types.js';
import type { ClientRequest, NodeId, OperatorCommand, ReplyOutcome } from '../protocol/types.js';
import type { ClientHost } from './clients.js';
import { describeOperatorRequest, describeRequest } from './describe.js';
import type { EventLoop } from './event-loop.js';
import type { OperatorHost } from './operator-client.js';
import type { RunLog } from './run-log.js';
import type { OperatorRequestEvent, RequestEvent } from './sim-events.js';
import { OPERATOR_CLIENT } from './topology.js';
import type { Endpoints } from './topology.js';
import type { Transport } from './transport.js';

export class SimClientHost implements ClientHost {
  constructor(
    private readonly loop: EventLoop,
    private readonly log: RunLog,
    private readonly transport: Transport,
    private readonly endpoints: Endpoints,
  ) {}

  sendRequest(client: number, to: string, request: ClientRequest): void {
    const now = this.loop.now;
    const event: RequestEvent = { k: 'req', from: this.endpoints.nodeCount + client,
      to: this.endpoints.indexOf(to), sent: now, request };
    if (!this.transport.transmit(event, now)) {
      const drop = this.transport.dropReason;
      this.log.journey(event, event.sent, describeRequest, drop);
      this.log.trace.request(now, event.from, event.to, request, drop);
    }
  }

  wakeAt(client: number, at: number): void {
    this.loop.schedule(at, { k: 'wake', client });
  }

  timeoutAt(client: number, at: number, seq: number, attempt: number): void {
    this.loop.schedule(at, { k: 'ctimeout', client, seq, attempt });
  }

  retryAt(client: number, at: number, seq: number, attempt: number): void {
    this.loop.schedule(at, { k: 'cretry', client, seq, attempt });
  }

  timedOut(client: number, opId: number, attempt: number): void {
    this.log.requestTimeouts.push({ at: this.loop.now,
      client: this.endpoints.names[this.endpoints.nodeCount + client]!, opId, attempt });
  }

  note(text: string): void {
    this.log.record(text);
  }

  noteInvoke(client: number, opId: number, op: KvOp): void {
    this.log.trace.invoke(this.loop.now, this.endpoints.nodeCount + client, opId, op);
  }

  noteReturn(client: number, opId: number, outcome: ReplyOutcome): void {
    this.log.trace.complete(this.loop.now, this.endpoints.nodeCount + client, opId, outcome);
  }
}

/** The engine's side of the operator client (simulator/operator-client.ts). */
export class SimOperatorHost implements OperatorHost {
  /** The operator's endpoint index, and its index among the clients (timeouts, retries). */
  private readonly endpoint: number;
  private readonly client: number;

  constructor(
    private readonly loop: EventLoop,
    private readonly log: RunLog,
    private readonly transport: Transport,
    private readonly endpoints: Endpoints,
  ) {
    this.endpoint = endpoints.indexOf(OPERATOR_CLIENT);
    this.client = this.endpoint - endpoints.nodeCount;
  }

  sendCommand(to: NodeId, seq: number, command: OperatorCommand): void {
    const now = this.loop.now;
    const event: OperatorRequestEvent = { k: 'oreq', from: this.endpoint,
      to: this.endpoints.indexOf(to), sent: now, requester: { client: OPERATOR_CLIENT, seq },
      command };
    if (!this.transport.transmit(event, now)) {
      const drop = this.transport.dropReason;
      this.log.journey(event, event.sent, describeOperatorRequest, drop);
      this.log.trace.operatorRequest(now, event.from, event.to, seq, command, drop);
    }
  }

  timeoutAt(at: number, seq: number, attempt: number): void {
    this.loop.schedule(at, { k: 'ctimeout', client: this.client, seq, attempt });
  }

  retryAt(at: number, seq: number, attempt: number): void {
    this.loop.schedule(at, { k: 'cretry', client: this.client, seq, attempt });
  }

  note(text: string): void {
    this.log.record(text);
  }
}
