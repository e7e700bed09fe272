/**
 * Delivery shaping on top of the network model, for node-to-node protocol messages only:
 * targeted message faults (drop or delay one message type on chosen links for a window) and
 * PCT-style delivery priorities. Both are off unless a scenario asks for them, and then the
 * sim consults `fate` once per send; with neither, no draw is made and no trace line changes.
 *
 * PCT (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010) finds bugs of depth d with
 * probability ≥ 1/(n·k^(d-1)) by running the highest-priority thread, with random initial
 * priorities and d-1 random change points that drop the running thread below every other one.
 * In a timed simulation the analogue holds a message back by its sender's rank: a message from
 * the lowest-priority sender waits `holdUs` per node above it, so within a hold window higher
 * priority senders' messages overtake it. At each change point the next node to send drops to
 * the bottom. Priorities and change points come from a fork of the run's one PRNG.
 */
import type { Prng } from './prng.js';

/** A targeted fault in force: which sender→recipient links, which type, until when. */
export interface TargetedRule {
  readonly type: string;
  /** Endpoint indices; null means every node. */
  readonly from: ReadonlySet<number> | null;
  readonly to: ReadonlySet<number> | null;
  /** Extra delay in µs, or 'drop'. */
  readonly effect: number | 'drop';
  readonly untilUs: number;
}

export interface PctSpec {
  /** Bug depth d: d-1 priority change points. */
  readonly depth: number;
  /** Hold per priority rank, in µs. */
  readonly holdUs: number;
}

class Pct {
  /** Higher is served first: initial priorities are depth..depth+n-1, change points go below. */
  private readonly priority: Int32Array;
  private readonly top: number;
  private readonly changeAt: number[];
  private changes = 0;

  constructor(private readonly spec: PctSpec, nodeCount: number, windowUs: number, prng: Prng) {
    const order = prng.shuffle(Array.from({ length: nodeCount }, (_, i) => i));
    this.priority = new Int32Array(nodeCount);
    order.forEach((node, rank) => { this.priority[node] = spec.depth + rank; });
    this.top = spec.depth + nodeCount - 1;
    this.changeAt = Array.from({ length: spec.depth - 1 }, () => prng.int(0, windowUs - 1))
      .sort((a, b) => a - b);
  }

  holdFor(from: number, now: number): number {
    while (this.changes < this.changeAt.length && this.changeAt[this.changes]! <= now) {
      this.changes++;
      this.priority[from] = this.spec.depth - this.changes;
    }
    return (this.top - this.priority[from]!) * this.spec.holdUs;
  }
}

export class Delivery {
  private rules: TargetedRule[] = [];
  private pct: Pct | null;
  /** Whether `fate` can do anything: the sim skips it otherwise. */
  active: boolean;
  /** Longest PCT hold given one message (RunMetrics.longestHoldUs). */
  longestHoldUs = 0;

  constructor(pct: PctSpec | undefined, nodeCount: number, windowUs: number,
    prng: () => Prng) {
    this.pct = pct === undefined ? null : new Pct(pct, nodeCount, windowUs, prng());
    this.active = this.pct !== null;
  }

  target(rule: TargetedRule): void {
    this.rules.push(rule);
    this.active = true;
  }

  /** End of the fault window: every targeted fault ends and priorities stop holding messages. */
  settle(): void {
    this.rules = [];
    this.pct = null;
    this.active = false;
  }

  /** Extra delay for a message from node `from` to node `to`, or 'drop'. */
  fate(from: number, to: number, typeOf: () => string, now: number): number | 'drop' {
    let delay = this.pct === null ? 0 : this.pct.holdFor(from, now);
    this.longestHoldUs = Math.max(this.longestHoldUs, delay);
    if (this.rules.length === 0) return delay;
    this.rules = this.rules.filter((r) => r.untilUs > now);
    const type = typeOf();
    for (const r of this.rules) {
      if (r.type !== type || (r.from !== null && !r.from.has(from))
        || (r.to !== null && !r.to.has(to))) continue;
      if (r.effect === 'drop') return 'drop';
      delay += r.effect;
    }
    return delay;
  }
}
