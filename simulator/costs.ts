/**
 * The cost model (a scenario's `costs`): a node's CPU handles one event at a time, each for
 * `stepUs` plus `stepNsPerByte` per byte of the message it handles, others wait in FIFO order and
 * a step's effects leave when it ends; a link sends one message at a time, each for its size
 * over the link's bandwidth. Without `costs` the simulator builds none of this, so a run costs
 * what it did before the model existed. Busy time and queue lengths per node become measures.
 * Sending costs the sender too: each message or reply a step sends to another endpoint takes
 * `sendUs` of its CPU, queued like any other work, and leaves when that is done, so a step that
 * broadcasts to n machines sends its last copy n·`sendUs` after its first.
 */
import type { CostSpec } from './config.js';
import type { CostMeasures } from './run-record.js';
import type { Endpoints } from './topology.js';

export class CostModel {
  private readonly nodeCount: number;
  private readonly size: number;
  /** When each node's CPU is done with everything admitted so far. */
  private readonly cpuFreeAt: Float64Array;
  /** Events admitted and not yet finished (the one in service plus those waiting). */
  private readonly inSystem: Int32Array;
  private readonly busyUs: Float64Array;
  private readonly maxQueue: Int32Array;
  /** Integral of the waiting count over time, up to `lastAt`. */
  private readonly queueArea: Float64Array;
  private readonly lastAt: Float64Array;
  /** Bytes per second per directed link; 0 is unlimited. */
  private readonly bandwidth: Float64Array;
  /** When each directed link has finished sending what it was given so far. */
  private readonly linkFreeAt: Float64Array;

  constructor(private readonly spec: CostSpec, endpoints: Endpoints) {
    const n = endpoints.names.length;
    this.nodeCount = endpoints.nodeCount;
    this.size = n;
    this.cpuFreeAt = new Float64Array(this.nodeCount);
    this.inSystem = new Int32Array(this.nodeCount);
    this.busyUs = new Float64Array(this.nodeCount);
    this.maxQueue = new Int32Array(this.nodeCount);
    this.queueArea = new Float64Array(this.nodeCount);
    this.lastAt = new Float64Array(this.nodeCount);
    this.bandwidth = new Float64Array(n * n).fill(spec.bandwidthBytesPerS);
    this.linkFreeAt = new Float64Array(n * n);
    for (const link of spec.links) {
      for (const a of endpoints.select(link.a)) {
        for (const b of endpoints.select(link.b)) {
          this.bandwidth[a * n + b] = link.bandwidthBytesPerS;
          this.bandwidth[b * n + a] = link.bandwidthBytesPerS;
        }
      }
    }
  }

  get messageBytes(): number {
    return this.spec.messageBytes;
  }

  /**
   * An event of `bytes` reaches `node` at `now`: returns when its step ends (the step runs then
   * and its effects leave then). The caller reports the end with `finished`.
   */
  admit(node: number, now: number, bytes: number): number {
    return this.admitWork(node, now, this.spec.stepUs + byteCostUs(bytes, this.spec.stepNsPerByte));
  }

  /**
   * `node` sends one message at `now` (from a step that just ended): its `sendUs` joins the
   * CPU's queue behind the work already admitted (a step's sends go out one after another);
   * returns when it is done and the message may leave. No `sendUs`: `now`, and nothing changes.
   */
  send(node: number, now: number): number {
    const costUs = this.spec.sendUs;
    if (costUs === 0) return now;
    this.account(node, now);
    const done = Math.max(now, this.cpuFreeAt[node]!) + costUs;
    this.cpuFreeAt[node] = done;
    this.busyUs[node]! += costUs;
    return done;
  }

  /** `costUs` of CPU work (a stream's chunk) joins the node's queue at `now`: as `admit`. */
  admitWork(node: number, now: number, costUs: number): number {
    this.account(node, now);
    // Everything admitted before waits ahead of this event: one in service, the rest queued.
    const ahead = this.inSystem[node]!;
    if (ahead > this.maxQueue[node]!) this.maxQueue[node] = ahead;
    this.inSystem[node] = ahead + 1;
    const done = Math.max(now, this.cpuFreeAt[node]!) + costUs;
    this.cpuFreeAt[node] = done;
    this.busyUs[node]! += costUs;
    return done;
  }

  finished(node: number, now: number): void {
    this.account(node, now);
    this.inSystem[node]!--;
  }

  /** A crash loses the events in service and waiting; a new life starts with an idle CPU. */
  crashed(node: number, now: number): void {
    this.account(node, now);
    // The lost events' unserved time was never spent.
    if (this.cpuFreeAt[node]! > now) this.busyUs[node]! -= this.cpuFreeAt[node]! - now;
    this.inSystem[node] = 0;
    this.cpuFreeAt[node] = 0;
  }

  /** When a message of `bytes` handed to the link `from`→`to` at `at` has been sent out. */
  depart(from: number, to: number, at: number, bytes: number): number {
    const k = from * this.size + to;
    const bw = this.bandwidth[k]!;
    if (bw === 0 || from === to) return at;
    const done = Math.max(at, this.linkFreeAt[k]!) + Math.ceil((bytes * 1_000_000) / bw);
    this.linkFreeAt[k] = done;
    return done;
  }

  private account(node: number, now: number): void {
    const waiting = Math.max(0, this.inSystem[node]! - 1);
    this.queueArea[node]! += waiting * (now - this.lastAt[node]!);
    this.lastAt[node] = now;
  }

  /** Per node: CPU busy time and share of the run, longest and time-averaged queue (integers,
   * as canonical JSON wants). */
  measures(names: readonly string[], endUs: number): CostMeasures {
    const nodes = [];
    for (let i = 0; i < this.nodeCount; i++) {
      this.account(i, Math.max(endUs, this.lastAt[i]!));
      // Work admitted but not done by the end of the run was not spent within it.
      const busyUs = this.busyUs[i]! - Math.max(0, this.cpuFreeAt[i]! - endUs);
      nodes.push({
        node: names[i]!, busyUs,
        busyPermille: endUs > 0 ? Math.round((busyUs * 1000) / endUs) : 0,
        maxQueue: this.maxQueue[i]!,
        meanQueueMilli: endUs > 0 ? Math.round((this.queueArea[i]! * 1000) / endUs) : 0,
      });
    }
    return { nodes };
  }
}

/** CPU time of handling `bytes` at `nsPerByte`, in whole microseconds (rounded up). */
export function byteCostUs(bytes: number, nsPerByte: number): number {
  return Math.ceil((bytes * nsPerByte) / 1000);
}
