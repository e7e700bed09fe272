import type { KvOp, KvResult } from '../protocol/kv-types.js';
import type { Operation } from '../properties/models/types.js';

/** Park–Miller PRNG: deterministic test data without Math.random. */
function prng(seed: number): () => number {
  let s = seed % 2147483647 || 1;
  return () => (s = (s * 48271) % 2147483647) / 2147483647;
}

/**
 * A linearizable single-key history like the ones runs produce: `clients` closed-loop clients,
 * overlapping operations (put, append, get), each taking effect at a random point of its
 * interval, so the search has real concurrency to resolve but no illegal read.
 */
export function linearizableKeyHistory(ops: number, clients = 4, seed = 1):
  Operation<KvOp, KvResult>[] {
  const rnd = prng(seed);
  const free = Array.from({ length: clients }, () => Math.floor(rnd() * 10));
  const planned: { op: Operation<KvOp, KvResult>; at: number }[] = [];
  for (let i = 0; i < ops; i++) {
    let c = 0;
    for (let k = 1; k < clients; k++) if (free[k]! < free[c]!) c = k;
    const call = free[c]!;
    const ret = call + 1 + Math.floor(rnd() * 40);
    free[c] = ret + 1 + Math.floor(rnd() * 5);
    const r = rnd();
    const input: KvOp = r < 0.3 ? { type: 'put', key: 'k', value: `v${i}` }
      : r < 0.6 ? { type: 'append', key: 'k', value: `+a${i}` } : { type: 'get', key: 'k' };
    planned.push({ op: { id: i, client: `c${c}`, input, output: undefined, call, return: ret },
      at: call + rnd() * (ret - call) });
  }
  let value = '';
  const outputs = new Map<number, KvResult>();
  for (const { op, at: _ } of [...planned].sort((a, b) => a.at - b.at)) {
    const input = op.input;
    if (input.type === 'put') value = input.value;
    else if (input.type === 'append') value += input.value;
    outputs.set(op.id, input.type === 'get' ? { ok: true, value } : { ok: true });
  }
  return planned.map(({ op }) => ({ ...op, output: outputs.get(op.id) }));
}
