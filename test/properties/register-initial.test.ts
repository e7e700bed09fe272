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
