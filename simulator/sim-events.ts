/**
 * What the event loop schedules: every simulator event is plain data, so a queue of them (the
 * heap, a paused node's held events) can be inspected, counted and replayed without closures.
 */
import type {
  ClientRequest, OperatorCommand, OperatorRequester, ProtocolEvent, ReplyOutcome,
} from '../protocol/types.js';
import type { FaultEvent } from './config.js';
import type { Stream } from './streams.js';

/**
 * An effect listed after a `persist` happens when the write is done, in the sender's life at the
 * time of the step: if the node crashes first, it never happens (the message never leaves).
 */
export interface AfterDisk {
  readonly life: number;
  /** When the write is done and the effect happens. */
  readonly at: number;
  /** When the step that made the effect ran (the message record's `stepAt`). */
  readonly step: number;
}

/**
 * Every field is always present (`after` null when the message waits for no write): one shape
 * per kind keeps the engine's property accesses monomorphic.
 */
export type MessageEvent = {
  readonly k: 'msg'; readonly from: number; readonly to: number; readonly msg: unknown;
  readonly sent: number; readonly after: AfterDisk | null;
  /** The number of the step that sent it (MessageFact.sentStep): a network copy shares it. */
  readonly by: number;
};
export type RequestEvent = {
  readonly k: 'req'; readonly from: number; readonly to: number; readonly sent: number;
  readonly request: ClientRequest;
};
/** An operator command the operator client submits as a request (Protocol.operatorRequests). */
export type OperatorRequestEvent = {
  readonly k: 'oreq'; readonly from: number; readonly to: number; readonly sent: number;
  readonly requester: OperatorRequester; readonly command: OperatorCommand;
};
/** An operator command handed to one node as a local command, held while the node is paused. */
export type OperatorEvent = {
  readonly k: 'opcmd'; readonly node: number; readonly command: OperatorCommand;
};
export type ReplyEvent = {
  readonly k: 'rep'; readonly from: number; readonly to: number; readonly seq: number;
  readonly sent: number; readonly outcome: ReplyOutcome; readonly after: AfterDisk | null;
};
export type TimerEvent = {
  readonly k: 'timer'; readonly node: number; readonly name: string; readonly gen: number;
};
/** Cost model: the end of a node's step on an event that arrived earlier. */
export type CpuEvent = {
  readonly k: 'cpu'; readonly node: number; readonly life: number;
  readonly event: ProtocolEvent<unknown, unknown>; readonly timerGen: number;
};
/**
 * Cost model: one step of a streamed message's chunk (simulator/streams.ts): `send` queues the
 * sender's next slice, `sent` ends it, `arrive` brings the chunk to the receiver's CPU and
 * `received` ends that slice. The stream is shared, mutable bookkeeping of the transfer.
 */
export type ChunkEvent = {
  readonly k: 'chunk'; readonly stage: 'send' | 'sent' | 'arrive' | 'received';
  readonly stream: Stream; readonly bytes: number;
};
/** A disk write of `image` lands (unless the node crashed since it was issued). */
export type DiskEvent = {
  readonly k: 'disk'; readonly node: number; readonly life: number; readonly write: number;
  readonly image: unknown; readonly issuedAt: number;
};

export type SimEvent =
  | MessageEvent | RequestEvent | OperatorRequestEvent | ReplyEvent | TimerEvent | CpuEvent
  | DiskEvent | ChunkEvent
  | { readonly k: 'fault'; readonly fault: FaultEvent }
  | { readonly k: 'wake'; readonly client: number }
  | { readonly k: 'ctimeout' | 'cretry'; readonly client: number; readonly seq: number;
    readonly attempt: number }
  | { readonly k: 'settle' }
  /**
   * A write an observation waited for is done: the node's queued observations due now are
   * recorded (observation-queue.ts), if the node still lives the life that made them.
   */
  | { readonly k: 'obs'; readonly node: number; readonly life: number };

/**
 * What a paused node holds, in arrival order, to be handled on resume: arrivals (checked again
 * then, as if they arrived at the resume) and steps whose CPU time ended while it was paused
 * (`cpu`: stepped at the resume, without being admitted to the CPU again).
 */
export type HeldEvent =
  | MessageEvent | RequestEvent | OperatorRequestEvent | OperatorEvent | TimerEvent | CpuEvent;

/**
 * Whether every endpoint the event names exists: node indices below `nodes`, client indices
 * below `clients`, endpoint indices (messages) below their sum. A precondition of dispatch.
 */
export function targetsExist(e: SimEvent, nodes: number, clients: number): boolean {
  switch (e.k) {
    case 'msg': return e.from >= 0 && e.from < nodes && e.to >= 0 && e.to < nodes;
    case 'req': case 'oreq':
      return e.from >= nodes && e.from < nodes + clients && e.to >= 0 && e.to < nodes;
    case 'rep': return e.from >= 0 && e.from < nodes && e.to >= nodes && e.to < nodes + clients;
    case 'timer': case 'cpu': case 'disk': case 'obs': return e.node >= 0 && e.node < nodes;
    case 'chunk': return e.stream.event.from < nodes && e.stream.event.to < nodes;
    case 'wake': case 'ctimeout': case 'cretry': return e.client >= 0 && e.client < clients;
    case 'fault': case 'settle': return true;
  }
}
