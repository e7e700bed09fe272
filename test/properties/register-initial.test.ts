import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHistory } from '../../properties/formats/index.js';
import { checkHistory } from '../../properties/linearizability/index.js';
import { getModel, parseRegValue } from '../../properties/models/index.js';
import { cli } from '../helpers/cli.js';

/** Knossos-style history: a read of 0 before any write, then a CAS from 0. */
const READ_ZERO_FIRST = [
  '{:process 0, :type :invoke, :f :read, :value nil}',
  '{:process 1, :type :invoke, :f :cas, :value [0 5]}',
  '{:process 0, :type :ok, :f :read, :value 0}',
  '{:process 1, :type :ok, :f :cas, :value [0 5]}',
  '{:process 0, :type :invoke, :f :read, :value nil}',
  '{:process 0, :type :ok, :f :read, :value 5}',
].join('\n');

const verdict = (text: string, model: string): string =>
  checkHistory(parseHistory(text, 'edn').ops, getModel(model)!).verdict;

describe('register models with an initial value (Knossos (cas-register 0))', () => {
  it('a read of 0 before any write is linearizable only when the register starts at 0', () => {
    expect(verdict(READ_ZERO_FIRST, 'knossos-cas-register')).toBe('illegal');
    expect(verdict(READ_ZERO_FIRST, 'etcd-cas-register')).toBe('illegal');
    expect(verdict(READ_ZERO_FIRST, 'knossos-cas-register:0')).toBe('ok');
    expect(verdict(READ_ZERO_FIRST, '(cas-register 0)')).toBe('ok');
    expect(verdict(READ_ZERO_FIRST, 'etcd-cas-register:0')).toBe('ok');
    // Starting at 1, neither the read of 0 nor the CAS from 0 can succeed.
    expect(verdict(READ_ZERO_FIRST, 'cas-register:1')).toBe('illegal');
  });
  it('names and parses initial values; rejects what is not a register value', () => {
    expect(getModel('(cas-register 0)')?.name).toBe('knossos-cas-register:0');
    expect(getModel('etcd-cas-register:"a"')?.init()).toBe('a');
    expect(getModel('cas-register')?.name).toBe('knossos-cas-register');
    expect(getModel('knossos-cas-register:nil')?.init()).toBeNull();
    expect(parseRegValue(':idle')).toBe(':idle');
    expect(getModel('kv:0')).toBeUndefined();
    expect(getModel('cas-register:zero')).toBeUndefined();
    // With an initial value, an etcd read of nil is illegal until nil is written.
    const m = getModel('etcd-cas-register:0')!;
    expect(m.step(m.init(), { type: 'read' }, { ok: true, value: null }).ok).toBe(false);
  });
  it('lincheck --model takes the initial value; a bad one is one line, exit 2', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'replisim-reg-'));
    const file = path.join(dir, 'read-zero.edn');
    writeFileSync(file, `${READ_ZERO_FIRST}\n`);
    expect(cli(['lincheck', file, '--model', 'knossos-cas-register']).code).toBe(1);
    const ok = cli(['lincheck', file, '--model', '(cas-register 0)', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject([{ model: 'knossos-cas-register:0',
      verdict: 'linearizable' }]);
    const bad = cli(['lincheck', file, '--model', 'cas-register:zero']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});

/** Knossos multi-register: T1 writes x and y atomically; T2 must not see x new and y old. */
const txnHistory = (t2Read: string): string => [
  '{:process 0, :type :invoke, :f :txn, :value [[:write :x 1] [:write :y 1]]}',
  '{:process 0, :type :ok, :f :txn, :value [[:write :x 1] [:write :y 1]]}',
  '{:process 1, :type :invoke, :f :txn, :value [[:read :x nil] [:read :y nil]]}',
  `{:process 1, :type :ok, :f :txn, :value [${t2Read}]}`,
  '{:process 2, :type :invoke, :f :txn, :value [[:read :z nil]]}',
  '{:process 2, :type :info, :f :txn, :value [[:read :z nil]]}',
].join('\n');

describe('multi-register (:txn) model for Knossos multi-register histories', () => {
  it('parses :txn histories and checks transactions atomically', () => {
    const parsed = parseHistory(txnHistory('[:read :x 1] [:read :y 1]'), 'edn');
    expect(parsed.kind).toBe('txn');
    expect(checkHistory(parsed.ops, getModel('multi-register')!).verdict).toBe('ok');
    // A torn read (x new, y old) after T1 completed: not linearizable.
    expect(verdict(txnHistory('[:read :x 1] [:read :y 0]'), 'multi-register:{:y 0}'))
      .toBe('illegal');
    // Concurrent with T1 it may see all or nothing of it, never half (atomicity).
    const concurrent = (read: string): string => [
      '{:process 0, :type :invoke, :f :txn, :value [[:write :x 1] [:write :y 1]]}',
      '{:process 1, :type :invoke, :f :txn, :value [[:read :x nil] [:read :y nil]]}',
      `{:process 1, :type :ok, :f :txn, :value [${read}]}`,
      '{:process 0, :type :ok, :f :txn, :value [[:write :x 1] [:write :y 1]]}',
    ].join('\n');
    const zeros = '(multi-register {:x 0 :y 0})';
    expect(verdict(concurrent('[:read :x 0] [:read :y 0]'), zeros)).toBe('ok');
    expect(verdict(concurrent('[:read :x 1] [:read :y 1]'), zeros)).toBe('ok');
    expect(verdict(concurrent('[:read :x 1] [:read :y 0]'), zeros)).toBe('illegal');
    // Nil reads are unconstrained (Knossos): reading nothing is always legal.
    expect(verdict(txnHistory('[:read :x nil] [:read :y 1]'), 'multi-register')).toBe('ok');
  });
  it('takes an initial map, as Knossos (multi-register {:x 0 :y 0})', () => {
    const readZeros = [
      '{:process 0, :type :invoke, :f :txn, :value [[:read :x nil] [:read :y nil]]}',
      '{:process 0, :type :ok, :f :txn, :value [[:read :x 0] [:read :y 0]]}',
    ].join('\n');
    expect(verdict(readZeros, 'multi-register')).toBe('illegal');
    expect(verdict(readZeros, '(multi-register {:x 0 :y 0})')).toBe('ok');
    expect(getModel('multi-register:{:x 0, :y 0}')?.name).toBe('multi-register:{:x 0, :y 0}');
    expect(getModel('multi-register:{:x}')).toBeUndefined();
  });
  it('splits independent keys into partitions and explains the failing one', () => {
    const text = [
      '{:process 0, :type :invoke, :f :txn, :value [[:write :a 1]]}',
      '{:process 0, :type :ok, :f :txn, :value [[:write :a 1]]}',
      '{:process 1, :type :invoke, :f :txn, :value [[:write :b 2] [:write :c 2]]}',
      '{:process 1, :type :ok, :f :txn, :value [[:write :b 2] [:write :c 2]]}',
      '{:process 0, :type :invoke, :f :txn, :value [[:read :c nil]]}',
      '{:process 0, :type :ok, :f :txn, :value [[:read :c 3]]}',
    ].join('\n');
    const result = checkHistory(parseHistory(text, 'edn').ops, getModel('multi-register')!);
    expect(result.verdict).toBe('illegal');
    expect(result.partitions).toBe(2);
    expect(result.explanation?.partitions[0]?.label).toBe('keys :b :c');
  });
  it('rejects a malformed :txn in one line (exit 2) and picks the model by itself', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'replisim-txn-'));
    const bad = path.join(dir, 'bad.edn');
    writeFileSync(bad, '{:process 0, :type :invoke, :f :txn, :value [[:read :x]]}\n');
    const r = cli(['lincheck', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const good = path.join(dir, 'good.edn');
    writeFileSync(good, `${txnHistory('[:read :x 1] [:read :y 1]')}\n`);
    const ok = cli(['lincheck', good, '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject([{ model: 'multi-register' }]);
  });
});
