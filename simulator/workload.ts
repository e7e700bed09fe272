/**
 * Generates client operations. Written values are unique per client and operation: puts and
 * CAS write `c3.17`, appends add `+c3.17`, so any value read parses as a base written by one put
 * followed by the appended tokens. That keeps histories easy to read and anomalies exact.
 */
import type { KvOp } from '../protocol/kv-types.js';
import type { LoadSpec, WorkloadSpec } from './config.js';
import { inSpike } from './load-profile.js';
import type { Prng } from './prng.js';

export class Workload {
  private readonly lastSeen = new Map<string, string>();
  private counter = 0;

  constructor(
    private readonly spec: WorkloadSpec,
    private readonly load: LoadSpec,
    private readonly client: string,
    private readonly prng: Prng,
  ) {}

  next(now: number): KvOp {
    const p = this.prng;
    const { mix } = this.spec;
    const total = mix.get + mix.put + mix.append + mix.cas;
    let roll = p.int(0, total - 1);
    const key = this.key(now);
    const value = `${this.client}.${++this.counter}`;
    if ((roll -= mix.get) < 0) return { type: 'get', key };
    if ((roll -= mix.put) < 0) return { type: 'put', key, value };
    if ((roll -= mix.append) < 0) return { type: 'append', key, value: `+${value}` };
    return { type: 'cas', key, expected: this.lastSeen.get(key) ?? '', value };
  }

  /** Remembers what this client last saw of a key, so CAS operations sometimes succeed. */
  observe(op: KvOp, ok: boolean, value: string | undefined): void {
    if (op.type === 'get' && value !== undefined) this.lastSeen.set(op.key, value);
    if (op.type === 'put' || (op.type === 'cas' && ok)) this.lastSeen.set(op.key, op.value);
  }

  private key(now: number): string {
    const { keys, distribution, hotPct, services } = this.spec;
    const k = distribution === 'hot' && this.prng.chance(hotPct,
      100) ? 0 : this.prng.int(0, keys - 1);
    if (services === 1) return `k${k}`;
    return `s${this.service(now)}/k${k}`;
  }

  /** Uniform over services, except that a spiking service has `factor` times the weight. */
  private service(now: number): number {
    const { services } = this.spec;
    if (!inSpike(this.load, now)) return this.prng.int(0, services - 1);
    const roll = this.prng.int(0, services - 1 + this.load.factor - 1);
    return roll < this.load.factor ? this.load.service
      : (roll - this.load.factor + 1 + this.load.service) % services;
  }
}
