/**
 * The closed-loop client: one operation outstanding at a time, think time between operations,
 * resends with the same request id on timeout (to every replica or to the next one, as the
 * protocol's ClientPolicy says), follows redirects (ignoring one that names an older
 * configuration than one it followed), and gives up after `opTimeoutUs`, leaving the operation
 * indefinite in the history.
 */
import type { KvOp } from '../protocol/kv-types.js';
import type { ClientPolicy, ClientRequest, ReplyOutcome } from '../protocol/types.js';
import type { ClientSpec } from './config.js';
import { scaledThinkUs } from './load-profile.js';
import type { HistoryRecorder } from './history-recorder.js';
import type { Prng } from './prng.js';
import { Workload } from './workload.js';

/** What a client needs from the engine. */
export interface ClientHost {
  sendRequest(client: number, to: string, request: ClientRequest, now: number): void;
  wakeAt(client: number, at: number): void;
  timeoutAt(client: number, at: number, seq: number, attempt: number): void;
  retryAt(client: number, at: number, seq: number, attempt: number): void;
  /** Adds a line to the trace. */
  note(text: string): void;
  /** Records that attempt `attempt` of history operation `opId` waited out its timeout. */
  timedOut(client: number, opId: number, attempt: number): void;
  /** Traces the start of history operation `opId` (cheaper than a note: no text unless kept). */
  noteInvoke(client: number, opId: number, op: KvOp): void;
  /** Traces the completion of history operation `opId` with a `done` outcome. */
  noteReturn(client: number, opId: number, outcome: ReplyOutcome): void;
}

/** Wait before resending after a redirect or reject, so two confused replicas cannot spin. */
const RETRY_BACKOFF_US = 1_000;

interface Outstanding {
  readonly opId: number;
  readonly seq: number;
  readonly op: KvOp;
  readonly startedAt: number;
  attempt: number;
}

export class SimClient {
  private readonly workload: Workload;
  private members: readonly string[];
  private target: number;
  /** The newest configuration number a redirect spoke for; older redirects are ignored. */
  private config = 0;
  private seq = 0;
  private issued = 0;
  private current: Outstanding | null = null;
  /** History op of each request seq, for discard notices about earlier requests. */
  private readonly opOfSeq = new Map<number, number>();

  constructor(
    readonly index: number,
    readonly name: string,
    private readonly spec: ClientSpec,
    private readonly policy: ClientPolicy,
    replicas: readonly string[],
    private readonly prng: Prng,
    private readonly host: ClientHost,
    private readonly history: HistoryRecorder,
    private readonly stopAt: number,
    /** A node to ask when the known replicas keep silent (see ClientPolicy.directoryParam). */
    private readonly directory: string | null,
  ) {
    this.workload = new Workload(spec.workload, spec.load, name, prng.fork());
    this.members = replicas;
    this.target = policy.target === 'spread' ? index % replicas.length : 0;
  }

  /** Starts the next operation unless this client is done. */
  wake(now: number): void {
    if (this.current !== null) return;
    if (now >= this.stopAt) return;
    if (this.spec.opsPerClient > 0 && this.issued >= this.spec.opsPerClient) return;
    const op = this.workload.next(now);
    const opId = this.history.invoke(this.name, op, now);
    this.issued++;
    this.host.noteInvoke(this.index, opId, op);
    this.current = { opId, seq: ++this.seq, op, startedAt: now, attempt: 0 };
    this.opOfSeq.set(this.seq, opId);
    this.send(now, [this.members[this.target]!]);
  }

  onReply(seq: number, outcome: ReplyOutcome, now: number): void {
    // A discard notice holds whatever request its reply answers: the primary forgets it once we
    // send a later request, so a late answer (to a forwarded copy of a request we already have
    // an answer for) may be the only one carrying it (explore seed 711710: c0 was never told).
    if (outcome.type === 'done') {
      for (const s of outcome.discarded ?? []) this.noteDiscarded(s, now);
    }
    const cur = this.current;
    if (cur === null || cur.seq !== seq) return; // A late answer to an earlier attempt.
    switch (outcome.type) {
      case 'done':
        this.history.complete(cur.opId, now, 'ok', outcome.result);
        this.host.noteReturn(this.index, cur.opId, outcome);
        this.workload.observe(cur.op, outcome.result.ok, outcome.result.value);
        this.finishOp(now);
        return;
      case 'redirect':
        if (outcome.config !== undefined) {
          if (outcome.config < this.config) return; // Older news: the timeout still runs.
          this.config = outcome.config;
        }
        if (outcome.members !== undefined && outcome.members.length > 0)
          this.members = outcome.members;
        this.target = outcome.leader !== undefined && this.members.includes(outcome.leader)
          ? this.members.indexOf(outcome.leader)
          : (this.target + 1) % this.members.length;
        this.resend(now + RETRY_BACKOFF_US, cur);
        return;
      case 'reject':
        this.target = (this.target + 1) % this.members.length;
        this.resend(now + RETRY_BACKOFF_US, cur);
        return;
    }
  }

  onTimeout(seq: number, attempt: number, now: number): void {
    const cur = this.current;
    if (cur === null || cur.seq !== seq || cur.attempt !== attempt) return;
    this.host.timedOut(this.index, cur.opId, cur.attempt);
    if (now - cur.startedAt >= this.spec.opTimeoutUs) {
      this.host.note(`${this.name} give up #${cur.opId}`);
      this.finishOp(now); // Stays indefinite: it may still take effect later.
      return;
    }
    cur.attempt++;
    const ask = this.directory !== null && cur.attempt >= 2
      && !this.members.includes(this.directory) ? [this.directory] : [];
    if (this.policy.onTimeout === 'broadcast') {
      this.send(now, [...this.members, ...ask]);
    } else {
      this.target = (this.target + 1) % this.members.length;
      this.send(now, [this.members[this.target]!, ...ask]);
    }
  }

  /** The protocol says an earlier acknowledged request of ours was dropped (P2.5 `discard`). */
  private noteDiscarded(seq: number, now: number): void {
    const opId = this.opOfSeq.get(seq);
    if (opId === undefined || !this.history.notifyDiscarded(opId, now)) return;
    this.host.note(`${this.name} notified #${opId} discarded`);
  }

  /** A new attempt after a backoff; the previous attempt's timeout is then ignored. */
  private resend(at: number, cur: Outstanding): void {
    cur.attempt++;
    this.host.retryAt(this.index, at, cur.seq, cur.attempt);
  }

  onRetry(seq: number, attempt: number, now: number): void {
    const cur = this.current;
    if (cur === null || cur.seq !== seq || cur.attempt !== attempt) return;
    this.send(now, [this.members[this.target]!]);
  }

  private send(now: number, targets: readonly string[]): void {
    const cur = this.current!;
    const request: ClientRequest = { client: this.name, seq: cur.seq, op: cur.op };
    for (const to of targets) this.host.sendRequest(this.index, to, request, now);
    this.host.timeoutAt(this.index, now + this.spec.requestTimeoutUs, cur.seq, cur.attempt);
  }

  private finishOp(now: number): void {
    this.current = null;
    const thinkUs = this.prng.int(this.spec.thinkUs.minUs, this.spec.thinkUs.maxUs);
    this.host.wakeAt(this.index, now + scaledThinkUs(this.spec.load, now, thinkUs));
  }
}
