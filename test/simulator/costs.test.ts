/**
 * The cost model (simulator/costs.ts): a busy node queues events, a slow link serializes
 * messages, message sizes come from the protocol, and busy time and queues are measured. Each
 * test compares against the same run without the model, where these effects are absent.
 */
import { describe, expect, it } from 'vitest';
import type { Effect, Protocol } from '../../protocol/types.js';
import { parseScenario } from '../../scenarios/load.js';
import { smartExperimentScenario } from '../../scenarios/experiments/smart-common.js';
import { smartProtocol } from '../../scenarios/experiments/smart-catalog.js';
import { canonicalJson } from '../../simulator/canonical.js';
import type { Scenario } from '../../simulator/config.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

/** n1 sends 1 and 2 to n2 when it boots; n2 notes each and answers m + 100; n1 notes answers. */
const pair: Protocol<string, number, null> = {
  name: 'pair', description: 'test: two messages, two answers', mutants: [],
  client: { target: 'first', onTimeout: 'rotate' }, defaults: {},
  init: (id) => id,
  durable: () => null,
  describeMessage: (m) => `M ${m}`,
  sizeOf: (m) => (m < 100 ? 1000 * m : 10),
  step(state, event) {
    const out: Effect<number>[] = [];
    if (event.kind === 'restart' && state === 'n1') {
      out.push({ kind: 'send', to: 'n2', msg: 1 }, { kind: 'send', to: 'n2', msg: 2 });
    }
    if (event.kind === 'message' && event.msg < 100) {
      out.push({ kind: 'observe', label: 'got', data: event.msg },
        { kind: 'send', to: event.from, msg: event.msg + 100 });
    }
    if (event.kind === 'message' && event.msg >= 100) {
      out.push({ kind: 'observe', label: 'ack', data: event.msg });
    }
    return { state, effects: out };
  },
};

/** `pair`, plus n2 arming 'tick' and 'tock' for t=1000 at boot; message 1 cancels 'tick'. */
const timed: Protocol<string, number, null> = {
  ...pair, name: 'timed',
  step(state, event) {
    const { effects } = pair.step(state, event);
    const out = [...effects];
    if (event.kind === 'restart' && state === 'n2') {
      out.push({ kind: 'setTimer', timer: 'tick', at: 1000 },
        { kind: 'setTimer', timer: 'tock', at: 1000 });
    }
    if (event.kind === 'message' && event.msg === 1) {
      out.push({ kind: 'cancelTimer', timer: 'tick' });
    }
    if (event.kind === 'timer') out.push({ kind: 'observe', label: event.timer, data: null });
    return { state, effects: out };
  },
};

function pairScenario(costs?: Record<string, unknown>, faults: unknown[] = []): Scenario {
  return parseScenario({
    schema: 'replisim/scenario@1', name: 'pair-test', protocols: ['pair'],
    topology: { dcs: [{ name: 'dc1', zone: 'z1' }],
      nodes: [{ id: 'n1', dc: 'dc1' }, { id: 'n2', dc: 'dc1' }], replicas: ['n1', 'n2'] },
    network: { intraDc: { minUs: 500, maxUs: 500 } },
    clients: { count: 0 }, durationUs: 50_000, settleUs: 0, faults,
    ...(costs === undefined ? {} : { costs }),
  }, 'test');
}

/** When each labelled fact happened, as [label data, time]. */
function facts(run: RunRecord): [string, number][] {
  return run.observations.map((o) => [`${o.label} ${String(o.data)}`, o.at]);
}

function got(run: RunRecord): [string, number][] {
  return facts(run).filter(([f]) => f.startsWith('got'));
}

function runPair(costs?: Record<string, unknown>, faults: unknown[] = []): RunRecord {
  return simulate({ scenario: pairScenario(costs, faults), protocol: pair, seed: 1 });
}

describe('cost model', () => {
  it('without costs both messages are handled on arrival', () => {
    expect(facts(runPair())).toEqual([['got 1', 500], ['got 2', 500], ['ack 101', 1000],
      ['ack 102', 1000]]);
    expect(runPair().metrics.costs).toBeUndefined();
  });

  it('a busy node delays the second message by its processing time; effects leave at the end',
    () => {
      const run = runPair({ stepUs: 1000 });
      // n2: 500–1500 on message 1, 1500–2500 on message 2; answers leave at 1500 and 2500
      // and take n1 another 1000 each.
      expect(facts(run)).toEqual([['got 1', 1500], ['got 2', 2500], ['ack 101', 3000],
        ['ack 102', 4000]]);
      const n2 = run.metrics.costs!.nodes.find((n) => n.node === 'n2')!;
      // Busy 2000 µs of the 50 000 µs run; one event waited 1000 µs: 0.02 events on average.
      expect(n2).toEqual({ node: 'n2', busyUs: 2000, busyPermille: 40, maxQueue: 1,
        meanQueueMilli: 20 });
    });

  it('the per-byte cost uses the protocol’s sizeOf', () => {
    // Message m weighs 1000·m bytes at 1 µs per byte: 1000 µs for message 1, 2000 for 2.
    const run = runPair({ stepNsPerByte: 1000 });
    expect(got(run)).toEqual([['got 1', 1500], ['got 2', 3500]]);
  });

  it('a slow link serializes two messages, each for its size over the bandwidth', () => {
    // 1000 and 2000 bytes at 1 MB/s: out at 1000 and 3000, in 500 µs later.
    const run = runPair({ bandwidthBytesPerS: 1_000_000 });
    expect(got(run)).toEqual([['got 1', 1500], ['got 2', 3500]]);
    // A per-link override: twice the bandwidth halves the serialization.
    const fast = runPair({ bandwidthBytesPerS: 1_000_000,
      links: [{ a: 'n1', b: 'n2', bandwidthBytesPerS: 2_000_000 }] });
    expect(got(fast)).toEqual([['got 1', 1000], ['got 2', 2000]]);
  });

  it('each message sent takes the sender sendUs of CPU, so a broadcast leaves one at a time',
    () => {
      // n1's boot step sends 1 and 2: they leave at 1000 and 2000 and arrive 500 µs later. n2
      // answers 1 at 1500 (out at 2500) and 2 at 2500, when its CPU is free again (out at 3500).
      const run = runPair({ sendUs: 1000 });
      expect(facts(run)).toEqual([['got 1', 1500], ['got 2', 2500], ['ack 101', 3000],
        ['ack 102', 4000]]);
      // Busy with sending only: two messages by n1, two answers by n2.
      expect(run.metrics.costs!.nodes.map((n) => [n.node, n.busyUs, n.maxQueue]))
        .toEqual([['n1', 2000, 0], ['n2', 2000, 0]]);
      // sendUs 0 is the model without it.
      expect(facts(runPair({ sendUs: 0 }))).toEqual(facts(runPair({})));
    });

  it('sends queue behind events already waiting, and later events wait behind sends', () => {
    // n1's boot (no CPU time) sends 0–500 and 500–1000; n2 handles message 1 (arrived 1000)
    // 1000–2000 and message 2 (arrived 1500, queued) 2000–3000. The answer to 1, sent at 2000,
    // waits behind message 2: 3000–3500. n1 handles it 4000–5000; the answer to 2 (3500–4000,
    // in at 4500) waits for that: 5000–6000.
    const run = runPair({ stepUs: 1000, sendUs: 500 });
    expect(facts(run)).toEqual([['got 1', 2000], ['got 2', 3000], ['ack 101', 5000],
      ['ack 102', 6000]]);
    // Without the send cost the answer to 1 leaves at 1500 and n1 handles it 2000–3000.
    expect(facts(runPair({ stepUs: 1000 }))[2]).toEqual(['ack 101', 3000]);
  });

  it('a message a node sends to itself costs it no send time', () => {
    // n1's boot sends 5 to itself, then 1 to n2: only 1 is charged (0–1000).
    const selfish: Protocol<string, number, null> = { ...pair, name: 'selfish',
      step(state, event) {
        if (event.kind !== 'restart' || state !== 'n1') return pair.step(state, event);
        return { state, effects: [{ kind: 'send', to: 'n1', msg: 5 },
          { kind: 'send', to: 'n2', msg: 1 }] };
      } };
    const run = simulate({ scenario: pairScenario({ sendUs: 1000 }), protocol: selfish, seed: 1 });
    const at = (label: string): number | undefined => facts(run).find(([f]) => f === label)?.[1];
    // 5 arrives at once (a node reaches itself without a hop) but waits for the CPU, busy
    // sending 1 until 1000; had 5 been charged too, 1 would leave at 2000.
    expect([at('got 5'), at('got 1')]).toEqual([1000, 1500]);
  });

  it('a sender that crashes before a message’s send time is over never sends it', () => {
    // Message 1 leaves at 1000; n1 crashes at 1500, before message 2 leaves at 2000. (It
    // restarts when the run heals at 50 000 and sends both again.)
    const run = runPair({ sendUs: 1000 }, [{ at: 1500, kind: 'crash', node: 'n1' }]);
    expect(got(run).filter(([, at]) => at < 50_000)).toEqual([['got 1', 1500]]);
  });

  it('a crash loses the events its CPU held', () => {
    // n2 crashes at 2000, while handling message 2 (1500–2500): only message 1 is noted.
    const run = runPair({ stepUs: 1000 }, [{ at: 2000, kind: 'crash', node: 'n2' }]);
    expect(facts(run).map(([f]) => f)).toEqual(['got 1', 'ack 101']);
    expect(run.metrics.costs!.nodes.find((n) => n.node === 'n2')!.busyUs).toBe(1500);
  });

  it('a timer cancelled while its event waits for the CPU does not fire', () => {
    // n2 arms 'tick' and 'tock' for 1000 at boot; message 1 (handled 500–1500) cancels 'tick',
    // which fired at 1000 but still waited for the CPU. Its turn (2500–3500) does nothing;
    // 'tock' runs after it, at 4500.
    const run = simulate({ scenario: pairScenario({ stepUs: 1000 }), protocol: timed, seed: 1 });
    expect(facts(run).filter(([f]) => f.startsWith('t'))).toEqual([['tock null', 4500]]);
    const free = simulate({ scenario: pairScenario(), protocol: timed, seed: 1 });
    expect(facts(free).filter(([f]) => f.startsWith('t'))).toEqual([['tock null', 1000]]);
  });

  it('same seed, same trace hash; the model changes the trace', () => {
    const base = smartExperimentScenario({ name: 'cost-determinism', replicas: 3, clients: 2,
      durationUs: 300_000 });
    const costly: Scenario = { ...base, costs: { stepUs: 150, stepNsPerByte: 10, sendUs: 0,
      messageBytes: 200, bandwidthBytesPerS: 10_000_000, links: [] } };
    const run = (s: Scenario): RunRecord => simulate({ scenario: s, protocol: smartProtocol(),
      seed: 7 });
    const a = run(costly);
    expect(run(costly).traceHash).toBe(a.traceHash);
    expect(a.traceHash).not.toBe(run(base).traceHash);
    expect(a.metrics.opsOk).toBeGreaterThan(10);
    expect(a.metrics.costs!.nodes.find((n) => n.node === 'n1')!.busyUs).toBeGreaterThan(0);
    // The measures are integers, so a saved run's canonical JSON can hold them.
    expect(() => canonicalJson(a.metrics)).not.toThrow();
  });

  it('bad cost fields are one-line errors', () => {
    expect(() => pairScenario({ stepUs: -1 })).toThrow(/^test: invalid scenario at costs\.stepUs:/);
    expect(() => pairScenario({ cpu: 1 })).toThrow(/^test: invalid scenario at costs/);
    expect(() => pairScenario({ sendUs: -5 }))
      .toThrow(/^test: invalid scenario at costs\.sendUs:[^\n]*$/);
    expect(() => pairScenario({ links: [{ a: 'n9', b: 'n1', bandwidthBytesPerS: 5 }] }))
      .toThrow(/^test: invalid scenario at costs\.links\.0: [^\n]*$/);
    expect(() => pairScenario({ links: [{ a: 'n2', b: 'n1', bandwidthBytesPerS: 0 }] }))
      .toThrow(/costs\.links\.0\.bandwidthBytesPerS/);
  });

  it('a message size that is not a positive integer is the sender\'s assertion', () => {
    // Stryker #7242 of the seed-52 sample made a SMART POLL-REPLY shrink with each vote entry.
    for (const size of [0, -2000, 1.5]) {
      const shrunk: Protocol<string, number, null> = { ...pair, name: 'shrunk',
        sizeOf: (m) => (m === 2 ? size : pair.sizeOf!(m)) };
      const run = simulate({ scenario: pairScenario({ sendUs: 1000 }), protocol: shrunk,
        seed: 1 });
      expect(run.failures).toEqual([expect.objectContaining({ kind: 'assertion', node: 'n1',
        message: expect.stringContaining(`a message's size is ${size} bytes, not a positive ` +
          'integer') })]);
      // Without the cost model sizes are never asked for.
      expect(simulate({ scenario: pairScenario(), protocol: shrunk, seed: 1 }).failures)
        .toEqual([]);
    }
    expect(runPair({ sendUs: 1000 }).failures).toEqual([]);
  });
});
