/**
 * Streamed messages (simulator/streams.ts): a large message costs its sender and receiver CPU
 * chunk by chunk, other events interleave with the chunks, and a crash or a cut link mid-way
 * loses it. Each test compares against the same run without streaming or with one big chunk.
 */
import { describe, expect, it } from 'vitest';
import type { Effect, Protocol } from '../../protocol/types.js';
import { parseScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

/**
 * At boot n1 sends BIG (1, 10,000 bytes) to n2, and n2 sends PING (2) to n1; n1 answers PING
 * with PONG (3). Each receiver notes what it got.
 */
const BIG = 1;
const streamer: Protocol<string, number, null> = {
  name: 'streamer', description: 'test: one large message and a ping across it', mutants: [],
  client: { target: 'first', onTimeout: 'rotate' }, defaults: {},
  init: (id) => id,
  durable: () => null,
  describeMessage: (m) => `M ${m}`,
  sizeOf: (m) => (m === BIG ? 10_000 : 10),
  step(state, event) {
    const out: Effect<number>[] = [];
    if (event.kind === 'restart') {
      out.push({ kind: 'send', to: state === 'n1' ? 'n2' : 'n1', msg: state === 'n1' ? BIG : 2 });
    }
    if (event.kind === 'message') {
      out.push({ kind: 'observe', label: `got ${event.msg}`, data: null });
      if (event.msg === 2) out.push({ kind: 'send', to: event.from, msg: 3 });
    }
    return { state, effects: out };
  },
};

/** 10 µs per event; a stream of 1,000-byte chunks at 100 ns/byte sent, 50 received. */
const STREAM = { fromBytes: 1_000, chunkBytes: 1_000, sendNsPerByte: 100, receiveNsPerByte: 50 };

function run(stream: Record<string, number> | null, faults: unknown[] = []): RunRecord {
  const scenario = parseScenario({
    schema: 'replisim/scenario@1', name: 'stream-test', protocols: ['streamer'],
    topology: { dcs: [{ name: 'dc1', zone: 'z1' }],
      nodes: [{ id: 'n1', dc: 'dc1' }, { id: 'n2', dc: 'dc1' }], replicas: ['n1', 'n2'] },
    network: { intraDc: { minUs: 450, maxUs: 450 } },
    clients: { count: 0 }, durationUs: 50_000, settleUs: 0, faults,
    costs: { stepUs: 10, ...(stream === null ? {} : { stream }) },
  }, 'test');
  return simulate({ scenario, protocol: streamer, seed: 1, keepTrace: true });
}

/** When `node` noted `label`, or null if it never did. */
function at(r: RunRecord, node: string, label: string): number | null {
  return r.observations.find((o) => o.node === node && o.label === label)?.at ?? null;
}

describe('streamed messages', () => {
  it('a large message arrives after its chunks have taken both CPUs; small ones as before', () => {
    const whole = run(null);
    const streamed = run(STREAM);
    expect(at(whole, 'n2', 'got 1')).toBe(460); // One hop, one step.
    // Ten sender slices of 100 µs and PING's step between two of them, a hop, the last
    // receiver slice of 50 µs, the step.
    expect(at(streamed, 'n2', 'got 1')).toBe(1000 + 10 + 450 + 50 + 10);
    // PONG (10 bytes) is not streamed: it leaves as soon as n1 has handled PING and at n2
    // waits at most for the receiver's slice of the chunk in progress (50 µs).
    const ping = at(streamed, 'n1', 'got 2')!;
    const pong = at(streamed, 'n2', 'got 3')! - ping;
    expect(pong).toBeGreaterThanOrEqual(at(whole, 'n2', 'got 3')! - at(whole, 'n1', 'got 2')!);
    expect(pong).toBeLessThanOrEqual(450 + 50 + 10);
    // The sender's and receiver's CPU time includes the chunks.
    const busy = (r: RunRecord, n: string): number =>
      r.metrics.costs!.nodes.find((x) => x.node === n)!.busyUs;
    expect(busy(streamed, 'n1') - busy(whole, 'n1')).toBe(1000);
    expect(busy(streamed, 'n2') - busy(whole, 'n2')).toBe(500);
  });

  it('an event reaching the sender mid-stream waits for one chunk, not the whole message', () => {
    // PING reaches n1 at 450 µs, inside the fifth chunk's slice (400–500 µs).
    expect(at(run(STREAM), 'n1', 'got 2')).toBe(500 + 10);
    // One chunk of everything: PING waits for the whole 1,000 µs slice.
    const oneChunk = { ...STREAM, chunkBytes: 10_000 };
    expect(at(run(oneChunk), 'n1', 'got 2')).toBe(1000 + 10);
  });

  it('a sender crash or a cut link mid-stream loses the message', () => {
    const crash = run(STREAM, [{ at: 300, kind: 'crash', node: 'n1' }]);
    expect(at(crash, 'n2', 'got 1')).toBeNull();
    expect(crash.trace!.some((l) => l.includes('M 1') && l.includes('sender crashed'))).toBe(true);
    const cut = run(STREAM, [{ at: 300, kind: 'partition', mode: 'isolate', sides: [['n1']] }]);
    expect(at(cut, 'n2', 'got 1')).toBeNull();
    const receiver = run(STREAM, [{ at: 900, kind: 'crash', node: 'n2' }]);
    expect(at(receiver, 'n2', 'got 1')).toBeNull();
  });

  it('is refused without a chunk size', () => {
    expect(() => run({ fromBytes: 1_000 })).toThrow(/chunkBytes/);
  });
});
