/**
 * What a run writes down as it goes, besides the protocol state: the trace (hashed, its lines
 * kept on request), the failures, the observations and node facts (one sequence numbers both),
 * the message counters and, when the trace is kept, every message's journey for the diagram.
 */
import type { AnyProtocol, Json, ReplyOutcome } from '../protocol/types.js';
import type { EventLoop } from './event-loop.js';
import type { AfterDisk } from './sim-events.js';
import type {
  LostObservation, MessageFact, NodeEvent, Observation, ReplyFact, RequestTimeout, RunFailure,
} from './run-record.js';
import type { Endpoints } from './topology.js';
import { Trace } from './trace.js';

export interface MessageCounters {
  sent: number;
  delivered: number;
  dropped: number;
  duplicates: number;
  /** Messages a targeted delay or PCT priority held back beyond the network's latency. */
  held: number;
  persists: number;
}

/** The endpoints a message travels between, when it left and the write it waited for. */
export interface Journey {
  readonly from: number;
  readonly to: number;
  readonly sent: number;
  readonly after?: AfterDisk | null;
  /** The sending step's number (messages between nodes). */
  readonly by?: number;
}

/** A fact while the log still fills it in. */
type Writable<T> = { -readonly [K in keyof T]: T[K] };

export class RunLog {
  readonly trace: Trace;
  readonly failures: RunFailure[] = [];
  readonly observations: Observation[] = [];
  readonly nodeEvents: NodeEvent[] = [];
  /** Every reply a step sent, kept in every run (properties judge who answered from it). */
  readonly replies: ReplyFact[] = [];
  /** Every client request that waited out its timeout (RequestTimeout). */
  readonly requestTimeouts: RequestTimeout[] = [];
  /** Every message's journey, kept with the trace lines (for the report's message diagram). */
  readonly messages: MessageFact[] | null;
  readonly counters: MessageCounters =
    { sent: 0, delivered: 0, dropped: 0, duplicates: 0, held: 0, persists: 0 };
  private readonly waitedLosses: { index: number; m: Journey; after: AfterDisk }[] = [];
  /** Sequence shared by observations and node facts (Observation.seq). */
  private facts = 0;

  constructor(private readonly loop: EventLoop, keepTrace: boolean, protocol: AnyProtocol,
    private readonly endpoints: Endpoints) {
    this.trace = new Trace(keepTrace, protocol, endpoints.names);
    this.messages = keepTrace ? [] : null;
  }

  /** A rare event as a trace line (faults, boots, crashes, failures, client notes). */
  record(text: string): void {
    this.trace.record(this.loop.now, text);
  }

  fail(kind: RunFailure['kind'], node: string | null, message: string): void {
    this.failures.push({ kind, at: this.loop.now, node, message });
    this.record(`FAIL ${kind}${node === null ? '' : ` ${node}`}: ${message}`);
  }

  observe(at: number, node: string, label: string, data: Json, stepAt: number,
    step: number): void {
    const seq = this.facts++;
    this.observations.push(stepAt === at ? { at, node, label, data, seq, step }
      : { at, node, label, data, seq, stepAt, step });
  }

  nodeEvent(node: string, kind: NodeEvent['kind'], diskAsOf?: number,
    lost?: readonly LostObservation[]): void {
    const seq = this.facts++;
    const at = this.loop.now;
    this.nodeEvents.push(diskAsOf === undefined ? { at, seq, node, kind }
      : lost === undefined || lost.length === 0 ? { at, seq, node, kind, diskAsOf }
        : { at, seq, node, kind, diskAsOf, lost });
  }

  /** A boot: `up`, marked when the disk it booted from was empty (NodeEvent.emptyDisk). */
  boot(node: string, emptyDisk: boolean): void {
    const seq = this.facts++;
    const at = this.loop.now;
    this.nodeEvents.push(emptyDisk ? { at, seq, node, kind: 'up', emptyDisk } : { at, seq, node,
      kind: 'up' });
  }

  /** Step number `step`, at `stepAt`, sent a reply due to leave at `at` (ReplyFact). */
  reply(stepAt: number, step: number, at: number, from: number, to: number, seq: number,
    outcome: ReplyOutcome): void {
    const names = this.endpoints.names;
    const fact = { at, stepAt, step, node: names[from]!, to: names[to]!, seq,
      outcome: outcome.type };
    const leader = outcome.type === 'redirect' ? outcome.leader : undefined;
    const discarded = outcome.type === 'done' ? outcome.discarded : undefined;
    this.replies.push(leader !== undefined ? { ...fact, leader }
      : discarded !== undefined && discarded.length > 0 ? { ...fact, discarded: [...discarded] }
        : fact);
  }

  /**
   * A message's journey ends (delivered at `at`, or dropped for `drop`): counted, and noted for
   * the report's message diagram when the run keeps its trace. A loss on the way out ends at
   * its send time.
   */
  /**
   * A message refused as it left (a cut, loss) or dropped at its step by a targeted fault,
   * after waiting for its sender's disk write: noted, so that `settleSendLosses` can say "never
   * left" once it is known whether the sender crashed before that write (a crash comes later
   * than the send's step).
   */
  sendLoss(m: Journey, after: AfterDisk): void {
    if (this.messages === null) return;
    this.waitedLosses.push({ index: this.messages.length - 1, m, after });
  }

  /**
   * End of run: a refused message whose sender crashed before the write it waited for never
   * left; its record says so (explore trial 31102 of opb-claim-slow-disk: heartbeats n5 queued
   * as primary behind a write its crash lost were recorded as cut, as if sent at its reboot;
   * trial 1455032: likewise recorded as dropped by a targeted fault, the one decided at the
   * step). Only the message record changes; the hashed trace keeps the reason seen at the send.
   */
  settleSendLosses(diedFirst: (from: number, after: AfterDisk) => boolean, reason: string): void {
    const messages = this.messages;
    if (messages === null) return;
    for (const w of this.waitedLosses) {
      if (diedFirst(w.m.from, w.after)) messages[w.index] = { ...messages[w.index]!, drop: reason };
    }
  }

  /** Counts and records one message's fate; `label` its description, or how to make it. */
  journey<M extends Journey>(m: M, at: number, label: ((m: M) => string) | string,
    drop: string | null): number {
    if (drop === null) this.counters.delivered++;
    else this.counters.dropped++;
    if (this.messages === null) return -1;
    const names = this.endpoints.names;
    const step = m.after?.step ?? m.sent;
    // Built once, fields in the record's order (no copies: a run records a journey per event).
    const fact: Writable<MessageFact> = { sent: m.sent, at, from: names[m.from]!,
      to: names[m.to]!, label: typeof label === 'string' ? label : label(m), drop };
    if (m.by !== undefined) fact.sentStep = m.by;
    if (step !== m.sent) fact.stepAt = step;
    return this.messages.push(fact) - 1;
  }

  /**
   * The journey recorded at `index` (journey's result) was handed to step number `step` of its
   * receiver (MessageFact.step); `step` null: it waits for the receiver's CPU, unnumbered.
   */
  handledBy(index: number, step: number | null): void {
    const messages = this.messages;
    if (messages === null || index < 0 || step === null) return;
    // Set in place: the fact was made by `journey` just before, and nothing has read it yet.
    (messages[index] as Writable<MessageFact>).step = step;
  }
}
