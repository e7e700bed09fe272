/** SMART's message sizes for the cost model: a state transfer weighs the checkpoint it copies. */
import { describe, expect, it } from 'vitest';
import { checkpointBytes, sizeOf } from '../../../protocol/smart/size.js';
import type { Checkpoint, Msg } from '../../../protocol/smart/types.js';

function checkpoint(keys: number, valueLength: number): Checkpoint {
  const store = new Map(Array.from({ length: keys }, (_, i) => [`k${i}`, 'v'.repeat(valueLength)]));
  return { index: 7, store, table: [{ num: 0, members: ['n1', 'n2', 'n3'], first: 1, last: null }],
    cache: new Map(), migrations: [], digest: 'x' };
}

describe('SMART sizeOf', () => {
  it('a state copy grows with the store it carries; a heartbeat does not', () => {
    const small = { t: 'stateCopy', cfg: 0, ckpt: checkpoint(1, 10), stateBytes: 0 } as const;
    const big = { t: 'stateCopy', cfg: 0, ckpt: checkpoint(1000, 1000), stateBytes: 0 } as const;
    expect(sizeOf(big)).toBeGreaterThan(1_000_000);
    expect(sizeOf(big) - sizeOf(small)).toBe(checkpointBytes(big.ckpt) -
      checkpointBytes(small.ckpt));
    const beat: Msg = { t: 'heartbeat', cfg: 0, ballot: 1, commit: 5, stable: 0 };
    expect(sizeOf(beat)).toBeLessThan(sizeOf(small));
  });

  it('a state copy also weighs the service state beyond its KV entries (params.stateBytes)', () => {
    const plain = { t: 'stateCopy', cfg: 0, ckpt: checkpoint(1, 10), stateBytes: 0 } as const;
    expect(sizeOf({ ...plain, stateBytes: 1_000_000 }) - sizeOf(plain)).toBe(1_000_000);
  });

  it('a proposal weighs its operation', () => {
    const put = (value: string): Msg => ({ t: 'propose', cfg: 0, ballot: 1, slot: 1,
      cmd: { t: 'op', client: 'c0', seq: 1, op: { type: 'put', key: 'k', value } } });
    expect(sizeOf(put('x'.repeat(5000))) - sizeOf(put(''))).toBe(5000);
  });

  it('a proposal weighs its client id too (Stryker #6302 of the seed-37 sample subtracted it)',
    () => {
      const from = (client: string): Msg => ({ t: 'propose', cfg: 0, ballot: 1, slot: 1,
        cmd: { t: 'op', client, seq: 1, op: { type: 'get', key: 'k' } } });
      expect(sizeOf(from('c'.repeat(40))) - sizeOf(from(''))).toBe(40);
    });

  it('a checkpoint weighs the values its reply cache holds (Stryker #6576 of the seed-43 sample ' +
    'subtracted them)', () => {
    const cached = (value?: string): Checkpoint => ({ ...checkpoint(1, 10),
      cache: new Map([['c0', { seq: 3, result: value === undefined ? { ok: true }
        : { ok: true, value } }]]) });
    expect(checkpointBytes(cached('v'.repeat(300))) - checkpointBytes(cached(''))).toBe(300);
    // A write's result has no value: it weighs like an empty read.
    expect(checkpointBytes(cached())).toBe(checkpointBytes(cached('')));
  });

  it('a DECIDED-RANGE weighs each slot it carries: ten in one save nine headers', () => {
    const cmd = { t: 'op', client: 'c0', seq: 1,
      op: { type: 'put', key: 'k', value: 'v'.repeat(100) } } as const;
    const one: Msg = { t: 'decided', cfg: 1, ballot: 1, slot: 1, cmd };
    const range = (n: number): Msg => ({ t: 'decidedRange', cfg: 1,
      slots: Array.from({ length: n }, (_, i) => ({ slot: i + 1, cfg: 1, ballot: 1, cmd })) });
    const perSlot = sizeOf(range(2)) - sizeOf(range(1));
    expect(sizeOf(range(10)) - sizeOf(range(0))).toBe(10 * perSlot);
    expect(perSlot).toBeGreaterThan(100);
    // Ten slots in one message save nine headers over ten DECIDEDs.
    expect(sizeOf(range(10))).toBeLessThan(10 * sizeOf(one));
  });

  it('a POLL-REPLY weighs each entry of its vote (Stryker #7242 of the seed-52 sample '
    + 'subtracted them)', () => {
    const cmd = { t: 'op', client: 'c0', seq: 1,
      op: { type: 'put', key: 'k', value: 'v'.repeat(100) } } as const;
    const reply = (n: number): Msg => ({ t: 'pollReply', cfg: 1, ballot: 2, vote: { trunc: 0,
      exec: 0, ckpt: 0, entries: Array.from({ length: n }, (_, i) =>
        [i + 1, { ballot: 1, cmd, decided: false }] as const) } });
    const perEntry = sizeOf(reply(1)) - sizeOf(reply(0));
    expect(perEntry).toBeGreaterThan(100);
    expect(sizeOf(reply(5)) - sizeOf(reply(0))).toBe(5 * perEntry);
  });

  it('a MIGRATE weighs each member it names (Stryker #6364 of the seed-39 sample divided by ' +
    'their number)', () => {
    const migrate = (members: string[]): Msg => ({ t: 'propose', cfg: 0, ballot: 1, slot: 1,
      cmd: { t: 'migrate', client: 'op', seq: 1, id: 'm1', members } });
    const one = sizeOf(migrate(['n1']));
    const two = sizeOf(migrate(['n1', 'n2']));
    expect(two - one).toBe(16);
    expect(sizeOf(migrate(['n1', 'n2', 'n3'])) - one).toBe(2 * (two - one));
  });

  it('a repository message weighs the configuration it carries in whole bytes (Stryker #6724 of ' +
    'the seed-47 sample divided its entries by ENTRY: 64.25 bytes)', () => {
    const info = { num: 2, members: ['n4', 'n5', 'n6'], first: 21 };
    const beat: Msg = { t: 'heartbeat', cfg: 0, ballot: 1, commit: 5, stable: 0 };
    for (const msg of [{ t: 'repoWrite', info }, { t: 'repoInfo', info }] as Msg[]) {
      expect(Number.isInteger(sizeOf(msg))).toBe(true);
      expect(sizeOf(msg)).toBeGreaterThan(sizeOf(beat));
    }
  });
});
