/**
 * The operator client: submits operator commands the protocol takes as requests
 * (Protocol.operatorRequests, e.g. SMART's MIGRATE) and keeps each one alive until a node
 * answers `done`: a resend on timeout (to every known replica or the next one, as the
 * protocol's ClientPolicy says), redirects followed. It never gives up, because the command
 * exists nowhere else: the machine it first reached may crash with it. Unlike a closed-loop
 * client it may have several requests outstanding (an operator issues migrations as it likes);
 * its requests are not KV operations and stay out of the history.
 */
import type {
  ClientPolicy, NodeId, OperatorCommand, ReplyOutcome,
} from '../protocol/types.js';

/** What the operator client needs from the engine. */
export interface OperatorHost {
  sendCommand(to: NodeId, seq: number, command: OperatorCommand): void;
  timeoutAt(at: number, seq: number, attempt: number): void;
  retryAt(at: number, seq: number, attempt: number): void;
  note(text: string): void;
}

/** Wait before resending after a redirect or reject (as a client's RETRY_BACKOFF_US). */
const RETRY_BACKOFF_US = 1_000;

interface Submission {
  readonly seq: number;
  readonly command: OperatorCommand;
  attempt: number;
}

export class OperatorClient {
  private members: readonly NodeId[];
  private target = 0;
  /** The newest configuration number a redirect spoke for; older redirects are ignored. */
  private config = 0;
  private seq = 0;
  private readonly open = new Map<number, Submission>();

  constructor(
    private readonly policy: ClientPolicy,
    replicas: readonly NodeId[],
    private readonly requestTimeoutUs: number,
    private readonly host: OperatorHost,
  ) {
    this.members = replicas;
  }

  /** Submits `command` to `first` (the node the operator asked); the retries go to replicas. */
  submit(first: NodeId, command: OperatorCommand, now: number): void {
    const sub: Submission = { seq: ++this.seq, command, attempt: 0 };
    this.open.set(sub.seq, sub);
    this.host.note(`operator submits #${sub.seq} ${command.name} via ${first}`);
    this.send(now, sub, [first]);
  }

  onReply(seq: number, outcome: ReplyOutcome, now: number): void {
    const sub = this.open.get(seq);
    if (sub === undefined) return; // Already done: a late or duplicate answer.
    switch (outcome.type) {
      case 'done':
        this.open.delete(seq);
        this.host.note(`operator #${seq} ${sub.command.name} done`);
        return;
      case 'redirect':
        if (outcome.config !== undefined) {
          if (outcome.config < this.config) return; // Older news: the timeout still runs.
          this.config = outcome.config;
        }
        if (outcome.members !== undefined && outcome.members.length > 0) {
          this.members = outcome.members;
        }
        this.target = outcome.leader !== undefined && this.members.includes(outcome.leader)
          ? this.members.indexOf(outcome.leader)
          : (this.target + 1) % this.members.length;
        return this.resend(now + RETRY_BACKOFF_US, sub);
      case 'reject':
        this.target = (this.target + 1) % this.members.length;
        return this.resend(now + RETRY_BACKOFF_US, sub);
    }
  }

  onTimeout(seq: number, attempt: number, now: number): void {
    const sub = this.open.get(seq);
    if (sub === undefined || sub.attempt !== attempt) return;
    sub.attempt++;
    if (this.policy.onTimeout === 'broadcast') return this.send(now, sub, this.members);
    this.target = (this.target + 1) % this.members.length;
    this.send(now, sub, [this.members[this.target]!]);
  }

  onRetry(seq: number, attempt: number, now: number): void {
    const sub = this.open.get(seq);
    if (sub === undefined || sub.attempt !== attempt) return;
    this.send(now, sub, [this.members[this.target]!]);
  }

  /** Operator requests not yet answered `done`. */
  get outstanding(): number {
    return this.open.size;
  }

  private resend(at: number, sub: Submission): void {
    sub.attempt++;
    this.host.retryAt(at, sub.seq, sub.attempt);
  }

  private send(now: number, sub: Submission, targets: readonly NodeId[]): void {
    for (const to of targets) this.host.sendCommand(to, sub.seq, sub.command);
    this.host.timeoutAt(now + this.requestTimeoutUs, sub.seq, sub.attempt);
  }
}
