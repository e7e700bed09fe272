/**
 * The trace: every simulator event, in order. Each event feeds a running SHA-256 as a few binary
 * tokens (trace-writer.ts), so the final digest identifies the run; the fixed-format text line of
 * each event (e.g. `t=1200 n1->n2 Update i=3 put k=v`) is built only when the run keeps its lines
 * (saving runs, `--trace`, replay diagnostics, reports).
 *
 * TRACE_FORMAT names the encoding. It is the first thing hashed and saved runs carry it, so a
 * hash of one format is never compared with a hash of another as if they were the same trace.
 * Format 1 hashed the text lines themselves; format 2 hashes the tokens below.
 */
import { describeOp, encodeOp } from '../protocol/kv.js';
import type { KvOp } from '../protocol/kv-types.js';
import type {
  AnyProtocol, ClientRequest, OperatorCommand, ReplyOutcome,
} from '../protocol/types.js';
import { canonicalJson } from './canonical.js';
import { describeOutcome } from './describe.js';
import { TraceWriter } from './trace-writer.js';

export const TRACE_FORMAT = 2;

/** Event kinds: the first token of each event. */
const enum Kind {
  Text = 1, Message, Request, Reply, Timer, Invoke, Return, OperatorRequest, Dropped = 16,
}

export class Trace {
  private readonly out = new TraceWriter();
  private count = 0;
  private lastTime = 0;
  readonly lines: string[] | null;

  constructor(keepLines: boolean, private readonly protocol: AnyProtocol,
    private readonly names: readonly string[]) {
    this.lines = keepLines ? [] : null;
    this.out.str(`replisim-trace@${TRACE_FORMAT}`);
  }

  get events(): number {
    return this.count;
  }

  /** A rare event, hashed as its text (faults, boots, crashes, failures, client notes). */
  record(time: number, text: string): void {
    this.begin(time, Kind.Text).str(text);
    if (this.lines !== null) this.lines.push(`t=${time} ${text}`);
  }

  /**
   * A message from node or client `from` to `to`, delivered, or dropped for `drop`; `text`, its
   * description if the caller made it already (`describeMessage`, for the message record).
   */
  message(time: number, from: number, to: number, msg: unknown, drop: string | null,
    text?: string): void {
    const w = this.begin(time, drop === null ? Kind.Message : Kind.Message | Kind.Dropped);
    w.int(from);
    w.int(to);
    if (drop !== null) w.str(drop);
    const p = this.protocol;
    if (p.encodeMessage === undefined) w.str(text ?? p.describeMessage(msg));
    else p.encodeMessage(msg, w);
    if (this.lines !== null) {
      this.line(time, drop, `${this.route(from, to)} ${text ?? p.describeMessage(msg)}`);
    }
  }

  /** A client request reaching (or dropped on the way to) node `to`. */
  request(time: number, from: number, to: number, r: ClientRequest, drop: string | null): void {
    const w = this.begin(time, drop === null ? Kind.Request : Kind.Request | Kind.Dropped);
    w.int(from);
    w.int(to);
    if (drop !== null) w.str(drop);
    // Only clients send requests, each in its own name: `from` is the endpoint of `r.client`.
    w.int(r.seq);
    encodeOp(r.op, this.out);
    if (this.lines !== null) {
      this.line(time, drop, `${this.route(from, to)} Request #${r.seq} ${describeOp(r.op)}`);
    }
  }

  /** An operator command submitted as request `seq` reaching (or dropped on the way to) `to`. */
  operatorRequest(time: number, from: number, to: number, seq: number, command: OperatorCommand,
    drop: string | null): void {
    const kind = Kind.OperatorRequest;
    const w = this.begin(time, drop === null ? kind : kind | Kind.Dropped);
    w.int(from);
    w.int(to);
    if (drop !== null) w.str(drop);
    w.int(seq);
    w.str(command.name);
    w.json(command.args);
    if (this.lines !== null) {
      const text = `Operator #${seq} ${command.name} ${canonicalJson(command.args)}`;
      this.line(time, drop, `${this.route(from, to)} ${text}`);
    }
  }

  /** A node's reply to client `to`. */
  reply(time: number, from: number, to: number, seq: number, outcome: ReplyOutcome,
    drop: string | null): void {
    const w = this.begin(time, drop === null ? Kind.Reply : Kind.Reply | Kind.Dropped);
    w.int(from);
    w.int(to);
    if (drop !== null) w.str(drop);
    w.int(seq);
    this.outcome(outcome);
    if (this.lines !== null) {
      this.line(time, drop, `${this.route(from, to)} Reply #${seq} ${describeOutcome(outcome)}`);
    }
  }

  timer(time: number, node: number, name: string): void {
    this.begin(time, Kind.Timer).int(node);
    this.out.str(name);
    if (this.lines !== null) this.lines.push(`t=${time} ${this.names[node]} timer ${name}`);
  }

  /** Client `client` (endpoint index) starts history operation `opId`. */
  invoke(time: number, client: number, opId: number, op: KvOp): void {
    this.begin(time, Kind.Invoke).int(client);
    this.out.int(opId);
    encodeOp(op, this.out);
    if (this.lines !== null) {
      this.lines.push(`t=${time} ${this.names[client]} invoke #${opId} ${describeOp(op)}`);
    }
  }

  /** Client `client` completes history operation `opId` with a `done` outcome. */
  complete(time: number, client: number, opId: number, outcome: ReplyOutcome): void {
    this.begin(time, Kind.Return).int(client);
    this.out.int(opId);
    this.outcome(outcome);
    if (this.lines !== null) {
      this.lines.push(`t=${time} ${this.names[client]} return #${opId} ` +
        `${describeOutcome(outcome)}`);
    }
  }

  digest(): string {
    return this.out.digest();
  }

  /** Starts an event: its kind, then its time as the step from the previous event's. */
  private begin(time: number, kind: number): TraceWriter {
    this.count++;
    const w = this.out;
    w.int(kind);
    w.int(time - this.lastTime);
    this.lastTime = time;
    return w;
  }

  private line(time: number, drop: string | null, text: string): void {
    this.lines!.push(drop === null ? `t=${time} ${text}` : `t=${time} drop ${text} (${drop})`);
  }

  private route(from: number, to: number): string {
    return `${this.names[from]}->${this.names[to]}`;
  }

  /** What the text shows of an outcome (not a `done`'s discard notices). */
  private outcome(o: ReplyOutcome): void {
    const w = this.out;
    switch (o.type) {
      case 'done':
        w.int(o.result.ok ? 1 : 0);
        return w.json(o.result.value);
      case 'redirect':
        // A redirect naming its configuration has a tag of its own: the others hash as before.
        if (o.config !== undefined) {
          w.int(4);
          w.int(o.config);
        } else {
          w.int(2);
        }
        w.str(o.leader ?? '');
        w.bool(o.leader !== undefined);
        if (o.members === undefined) return w.int(-1);
        w.int(o.members.length);
        for (const m of o.members) w.str(m);
        return;
      case 'reject':
        w.int(3);
        return w.str(o.reason);
    }
  }
}

/** Index of the first line where two traces differ, or -1 when they are identical. */
export function firstDivergence(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
