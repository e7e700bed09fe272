import { describe, expect, it } from 'vitest';
import { parseHistory } from '../../../properties/formats/index.js';
import {
  jepsenEdnText, nativeHistoryText, porcupineKvText, UnwritableHistoryError,
} from '../../../properties/formats/writers.js';
import { checkHistory } from '../../../properties/linearizability/index.js';
import { kvModel } from '../../../properties/models/index.js';
import type { Operation } from '../../../properties/models/types.js';
import { fromNativeHistory } from '../../../properties/formats/native.js';
import { loadScenario } from '../../../scenarios/load.js';
import { runChecked } from '../../../scenarios/runner.js';
import type { History, HistoryOp } from '../../../simulator/history.js';

/**
 * Real-time order: which op returned before which other was called. A client's next op called
 * in the instant its previous one returned follows it (one client, one op at a time).
 */
function precedence(ops: readonly Operation[]): string[] {
  const pairs: string[] = [];
  for (const a of ops) {
    for (const b of ops) {
      if (a.return < b.call || (a !== b && a.client === b.client && a.return === b.call)) {
        pairs.push(`${a.id}<${b.id}`);
      }
    }
  }
  return pairs.sort();
}

const shape = (ops: readonly Operation[]) => ops.map((o) => ({ id: o.id, input: o.input,
  output: o.output, indefinite: o.return === Infinity }));

function roundTrip(history: History, text: string): void {
  const direct = fromNativeHistory(history);
  // A failed CAS is Jepsen's :fail ("did not happen"): EDN drops it, by that format's rules.
  const kept = direct.filter((o) => !(o.input.type === 'cas' && o.output?.ok === false));
  const read = parseHistory(text).ops;
  expect(shape(read)).toEqual(shape(kept));
  expect(precedence(read)).toEqual(precedence(kept));
  expect(checkHistory(read, kvModel).verdict).toBe(checkHistory(kept, kvModel).verdict);
}

const op = (id: number, client: string, input: HistoryOp['input'], call: number,
  rest: Partial<HistoryOp>): HistoryOp => ({ id, client, input, call, status: 'ok', ...rest });

/**
 * Hand-made: a quote and a backslash in values, an indefinite op, touching intervals, a client
 * (c0) that invokes again in the instant its op returns while another op (5) is called then.
 */
const handMade: History = { schema: 'replisim/history@1', ops: [
  op(0, 'c0', { type: 'put', key: 'k"1', value: 'a\\b' }, 0, { return: 10, output: { ok: true } }),
  op(1, 'c1', { type: 'get', key: 'k"1' }, 10, { return: 20, output: { ok: true,
    value: 'a\\b' } }),
  op(2, 'c0', { type: 'append', key: 'k2', value: 'x' }, 11, { status: 'info' }),
  op(3, 'c1', { type: 'put', key: 'k2', value: 'y' }, 25, { status: 'fail', return: 28 }),
  op(4, 'c0', { type: 'get', key: 'k2' }, 30, { return: 40, output: { ok: true, value: '' } }),
  // Readers number ops in invocation order: c2's invocation is written before c0's.
  op(5, 'c2', { type: 'get', key: 'k3' }, 40, { return: 50, output: { ok: true, value: '' } }),
  op(6, 'c0', { type: 'get', key: 'k4' }, 40, { return: 50, output: { ok: true, value: '' } }),
] };

describe('history writers round-trip through the readers', () => {
  it('native JSON reads back to the same operations', () => {
    const parsed = parseHistory(nativeHistoryText(handMade));
    expect(parsed.format).toBe('native');
    expect(parsed.ops).toEqual(fromNativeHistory(handMade));
  });

  it('Jepsen EDN and Porcupine kv keep ops, outputs, real-time order and the verdict', () => {
    roundTrip(handMade, jepsenEdnText(handMade));
    const porcupine = porcupineKvText(handMade);
    expect(parseHistory(porcupine).format).toBe('porcupine-kv');
    roundTrip(handMade, porcupine);
    // Overlapping intervals that only touch (op 0 returns when op 1 is called) stay concurrent.
    expect(precedence(parseHistory(porcupine).ops)).not.toContain('0<1');
  });

  it('an indefinite op ends :info and its client goes on as a fresh process', () => {
    const lines = jepsenEdnText(handMade).trim().split('\n');
    expect(lines.filter((l) => l.includes(':type :info'))).toHaveLength(1);
    expect(lines.at(-1)).toContain(':type :info');
    expect(lines.find((l) => l.includes(':f :get, :key "k2"'))).toMatch(/^\{:process 3,/);
  });

  it('a simulated run with faults and a CAS workload round-trips through EDN', () => {
    const run = runChecked({ scenario: loadScenario('example-partition'), seed: 7 });
    const history = run.record.history;
    expect(history.ops.some((o) => o.input.type === 'cas')).toBe(true);
    roundTrip(history, jepsenEdnText(history));
    expect(() => porcupineKvText(history)).toThrow(UnwritableHistoryError);
  });

  it('a stale read stays not linearizable in EDN and Porcupine (the check can fail)', () => {
    const stale: History = { schema: 'replisim/history@1', ops: [
      op(0, 'c0', { type: 'put', key: 'a', value: '1' }, 0, { return: 10,
        output: { ok: true } }),
      op(1, 'c1', { type: 'get', key: 'a' }, 20, { return: 30, output: { ok: true, value: '' } }),
    ] };
    expect(checkHistory(fromNativeHistory(stale), kvModel).verdict).toBe('illegal');
    for (const text of [jepsenEdnText(stale), porcupineKvText(stale)]) {
      expect(checkHistory(parseHistory(text).ops, kvModel).verdict).toBe('illegal');
    }
  });
});
