import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureStdout } from '../helpers/capture.js';
import { UsageError } from '../../cli/errors.js';
import { lincheckCommand } from '../../cli/cmd-lincheck.js';
import { porcupineDir } from '../helpers/lincheck.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'replisim-lincheck-'));
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

const PUT_X_1 = {
  id: 0,
  client: 'a',
  input: { type: 'put', key: 'x', value: '1' },
  call: 0,
  status: 'ok',
  return: 10,
  output: { ok: true },
};
const GET_X = {
  id: 1,
  client: 'b',
  input: { type: 'get', key: 'x' },
  call: 20,
  status: 'ok',
  return: 30,
};
const okNative = file(
  'ok.json',
  JSON.stringify({
    schema: 'replisim/history@1',
    ops: [
      PUT_X_1,
      { ...GET_X, output: { ok: true, value: '1' } },
    ],
  }),
);
const badNative = file(
  'bad.json',
  JSON.stringify({
    schema: 'replisim/history@1',
    ops: [
      PUT_X_1,
      { ...GET_X, output: { ok: true, value: '' } },
    ],
  }),
);
// 40 concurrent indefinite appends and an impossible read: cannot finish within 1 s.
const hardLines: string[] = [];
for (let p = 0; p < 40; p++) {
  hardLines.push(`{:process ${p}, :type :invoke, :f :append, :key "k", :value "<${p}>"}`);
}
hardLines.push('{:process 99, :type :invoke, :f :get, :key "k", :value nil}');
hardLines.push('{:process 99, :type :ok, :f :get, :key "k", :value "nope"}');
const hard = file('hard.edn', `${hardLines.join('\n')}\n`);
const empty = file('empty.log', '');
const broken = file(
  'broken.log',
  'INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:ok\t:read\tbanana\n',
);

const stdout = captureStdout();

describe('replisim lincheck', () => {
  it('exit 0 when every file is linearizable (empty file included)', async () => {
    expect(await lincheckCommand([okNative, empty], {})).toBe(0);
    expect(stdout.text()).toContain('linearizable');
  });

  it('exit 1 with an explanation when a file is not linearizable', async () => {
    process.env['NO_COLOR'] = '1';
    try {
      expect(await lincheckCommand([okNative, badNative], {})).toBe(1);
    } finally {
      delete process.env['NO_COLOR'];
    }
    const text = stdout.text();
    expect(text).toContain(`${badNative}: not-linearizable · 2 ops`);
    expect(text).toContain('op 1');
    expect(text).not.toContain('\u001b[');
  });

  it('--json prints one JSON document with file, verdict, ms, ops and explanation', async () => {
    expect(await lincheckCommand([okNative, badNative], { json: true })).toBe(1);
    expect(stdout.lines()).toHaveLength(1);
    const doc = JSON.parse(stdout.lines()[0] ?? '') as Record<string, unknown>[];
    expect(doc).toHaveLength(2);
    expect(doc[0]).toMatchObject({ file: okNative, verdict: 'linearizable', ops: 2, model: 'kv' });
    expect(doc[1]).toMatchObject({ file: badNative, verdict: 'not-linearizable', ops: 2 });
    expect(typeof doc[1]?.['ms']).toBe('number');
    expect(doc[1]?.['explanation']).toMatchObject({
      partitions: [{ linearized: [0], blocked: { id: 1 } }],
    });
  });

  it('exit 3 when a file times out and none is illegal', async () => {
    const started = performance.now();
    expect(await lincheckCommand([okNative, hard], { timeout: 0.5, json: true })).toBe(3);
    expect(performance.now() - started).toBeLessThan(2500);
    const doc = JSON.parse(stdout.lines()[0] ?? '') as Record<string, unknown>[];
    expect(doc[1]).toMatchObject({ verdict: 'unknown', reason: 'timeout' });
    // An illegal file still makes the exit code 1.
    stdout.clear();
    expect(await lincheckCommand([hard, badNative], { timeout: 0.2, json: true })).toBe(1);
  });

  it('checks the Porcupine files with their default models', async () => {
    const etcd = path.join(porcupineDir(), 'jepsen', 'etcd_002.log');
    const kv = path.join(porcupineDir(), 'kv', 'c10-bad.txt');
    expect(await lincheckCommand([etcd, kv], { json: true })).toBe(1);
    const doc = JSON.parse(stdout.lines()[0] ?? '') as Record<string, unknown>[];
    expect(doc[0]).toMatchObject({
      verdict: 'linearizable',
      model: 'etcd-cas-register',
      format: 'jepsen-etcd',
      ops: 77,
    });
    expect(doc[1]).toMatchObject({
      verdict: 'not-linearizable',
      model: 'kv',
      format: 'porcupine-kv',
      ops: 405,
    });
  });

  const usage =
    'usage errors (exit 2): unreadable file, unknown format or model, malformed history';
  it(usage, async () => {
    const missing = path.join(dir, 'missing.json');
    await expect(lincheckCommand([missing], {})).rejects.toThrow(/missing\.json: cannot read/);
    await expect(lincheckCommand([okNative], { format: 'yaml' })).rejects.toThrow(UsageError);
    await expect(lincheckCommand([okNative], { model: 'queue' })).rejects.toThrow(
      /unknown model 'queue'/,
    );
    await expect(lincheckCommand([okNative], { model: 'etcd-cas-register' })).rejects.toThrow(
      /cannot check a kv history/,
    );
    await expect(lincheckCommand([okNative, broken], {})).rejects.toThrow(
      /broken\.log:2: malformed history/,
    );
    expect(stdout.lines()).toEqual([]);
  });
});
