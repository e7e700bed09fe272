import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEdnHistory } from '../../../properties/formats/jepsen-edn.js';
import { parsePorcupineKv } from '../../../properties/formats/porcupine-kv.js';
import { porcupineDir } from '../../helpers/lincheck.js';

const kvDir = path.join(porcupineDir(), 'kv');
const line = (p: number, type: string, f: string, key: string, value: string | null): string =>
  `{:process ${p}, :type :${type}, :f :${f}, :key "${key}", :value ${
    value === null ? 'nil' : `"${value}"`}}`;

describe('Porcupine kv fast reader', () => {
  it.runIf(existsSync(kvDir))('reads every corpus kv file exactly like the EDN reader', () => {
    for (const file of readdirSync(kvDir)) {
      const text = readFileSync(path.join(kvDir, file), 'utf8');
      expect(parsePorcupineKv(text), file).toEqual(parseEdnHistory(text, 'kv'));
    }
  });

  it('same result with fail, info, open ops, blank lines and an ok get of nil', () => {
    const text = [
      line(1, 'invoke', 'put', 'a', 'x'), '', line(2, 'invoke', 'get', 'a', null),
      line(1, 'fail', 'put', 'a', 'x'), line(2, 'ok', 'get', 'a', null),
      line(3, 'invoke', 'append', 'b', 'y'), line(3, 'info', 'append', 'b', 'y'),
      line(4, 'invoke', 'append', 'b', 'z'), line(5, 'invoke', 'get', 'b', null),
      line(5, 'ok', 'get', 'b', 'z'), '',
    ].join('\n');
    const fast = parsePorcupineKv(text);
    expect(fast).toEqual(parseEdnHistory(text, 'kv'));
    expect(fast.ops.map((o) => [o.id, o.return])).toEqual(
      [[1, 3], [2, Infinity], [3, Infinity], [4, 8]]);
  });

  it('hands anything unusual to the EDN reader: same errors, same extras', () => {
    const nemesis = `${line(1, 'invoke', 'get', 'a', null)}\n{:process :nemesis, :type :info}\n`
      + line(1, 'ok', 'get', 'a', 'q');
    expect(parsePorcupineKv(nemesis)).toEqual(parseEdnHistory(nemesis, 'kv'));
    const escaped = `${line(1, 'invoke', 'put', 'a', String.raw`x\"y`)}\n`
      + line(1, 'ok', 'put', 'a', String.raw`x\"y`);
    expect(parsePorcupineKv(escaped).ops[0]?.input)
      .toEqual({ type: 'put', key: 'a', value: 'x"y' });
    expect(parsePorcupineKv(escaped)).toEqual(parseEdnHistory(escaped, 'kv'));
    const unmatched = line(1, 'ok', 'get', 'a', 'q');
    expect(() => parsePorcupineKv(unmatched)).toThrow(/no open invocation/);
    const twice = `${line(1, 'invoke', 'get', 'a', null)}\n${line(1, 'invoke', 'get', 'a', null)}`;
    expect(() => parsePorcupineKv(twice)).toThrow(/invokes again/);
  });
});
