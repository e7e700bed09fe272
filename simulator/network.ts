/**
 * The network model: per-link latency, loss, duplication, reordering, clogs and partitions. All
 * random draws come from the network's own PRNG stream in a fixed order per message:
 * loss, latency, reorder, duplication (and the duplicate's latency).
 */
import type { NetworkSpec, Ratio } from './config.js';
import type { Endpoints } from './topology.js';
import type { Prng } from './prng.js';

export class Network {
  private readonly size: number;
  private readonly minUs: Int32Array;
  private readonly spanUs: Int32Array;
  private readonly cut: Uint16Array;
  private readonly clogUs: Float64Array;
  readonly arrival = [0, 0];
  dropReason: 'loss' | 'cut' = 'loss';
  loss: Ratio;
  dup: Ratio;
  reorder: Ratio;

  constructor(
    private readonly spec: NetworkSpec,
    endpoints: Endpoints,
    private readonly prng: Prng,
  ) {
    const n = endpoints.names.length;
    this.size = n;
    this.minUs = new Int32Array(n * n);
    this.spanUs = new Int32Array(n * n);
    this.cut = new Uint16Array(n * n);
    this.clogUs = new Float64Array(n * n);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        const lat = endpoints.dcOf[a] === endpoints.dcOf[b] ? spec.intraDc : spec.interDc;
        this.setLatency(a, b, lat.minUs, lat.maxUs);
      }
    }
    for (const link of spec.links) {
      for (const a of endpoints.select(link.a)) {
        for (const b of endpoints.select(link.b)) {
          this.setLatency(a, b, link.latency.minUs, link.latency.maxUs);
          this.setLatency(b, a, link.latency.minUs, link.latency.maxUs);
        }
      }
    }
    this.loss = spec.loss;
    this.dup = spec.dup;
    this.reorder = spec.reorder;
  }

  private setLatency(a: number, b: number, minUs: number, maxUs: number): void {
    this.minUs[a * this.size + b] = minUs;
    this.spanUs[a * this.size + b] = maxUs - minUs;
  }

  isCut(from: number, to: number): boolean {
    return this.cut[from * this.size + to]! > 0;
  }

  /** Adds (+1) or removes (-1) one partition's cut on a directed link. */
  adjustCut(from: number, to: number, delta: 1 | -1): void {
    this.cut[from * this.size + to]! += delta;
  }

  setClog(from: number, to: number, delayUs: number): void {
    this.clogUs[from * this.size + to] = delayUs;
  }

  /** Restores the scenario's base knobs and removes every cut and clog. */
  healAll(): void {
    this.cut.fill(0);
    this.clogUs.fill(0);
  }

  quiet(): void {
    this.loss = [0, 1];
    this.dup = [0, 1];
    this.reorder = [0, 1];
  }

  /**
   * Decides one message's fate: returns how many copies arrive (0, 1 or 2), with their arrival
   * times in `arrival[0..]` and, for 0, the reason in `dropReason`. Fields instead of a returned
   * object keep this hot path free of allocation.
   */
  transmit(from: number, to: number, now: number): 0 | 1 | 2 {
    if (this.isCut(from, to)) {
      this.dropReason = 'cut';
      return 0;
    }
    if (from === to) {
      this.arrival[0] = now;
      return 1;
    }
    const p = this.prng;
    if (p.chance(this.loss[0], this.loss[1])) {
      this.dropReason = 'loss';
      return 0;
    }
    this.arrival[0] = now + this.delay(from, to);
    if (!p.chance(this.dup[0], this.dup[1])) return 1;
    this.arrival[1] = now + this.delay(from, to);
    return 2;
  }

  /** When something put on the link `from`→`to` at `now` arrives, with no loss or copy drawn. */
  arrivalOf(from: number, to: number, now: number): number {
    return from === to ? now : now + this.delay(from, to);
  }

  private delay(from: number, to: number): number {
    const k = from * this.size + to;
    const p = this.prng;
    let us = this.minUs[k]! + p.int(0, this.spanUs[k]!) + this.clogUs[k]!;
    if (p.chance(this.reorder[0], this.reorder[1])) us += p.int(0, this.spec.reorderUs);
    return us;
  }
}
