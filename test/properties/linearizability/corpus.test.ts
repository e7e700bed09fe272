import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHistory } from '../../../properties/formats/index.js';
import { checkHistory, verdictName } from '../../../properties/linearizability/index.js';
import { getModel } from '../../../properties/models/index.js';
import { porcupineDir } from '../../helpers/lincheck.js';

const dir = porcupineDir();
const rows = readFileSync(path.join(dir, 'EXPECTED.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split('\t'))
  .map(([file = '', model = '', expected = '', ops = '']) => ({
    file,
    model,
    expected,
    ops: Number(ops),
  }));

describe('Porcupine corpus (EXPECTED.tsv)', () => {
  it('lists 6 kv files and 103 etcd files', () => {
    expect(rows.filter((r) => r.model === 'kv')).toHaveLength(6);
    expect(rows.filter((r) => r.model === 'etcd-cas-register')).toHaveLength(103);
  });

  const every = 'gives every file its expected verdict, with the default model for its format';
  it(every, { timeout: 60_000 }, () => {
    const wrong: string[] = [];
    for (const row of rows) {
      const parsed = parseHistory(readFileSync(path.join(dir, row.file), 'utf8'));
      expect(parsed.invocations, row.file).toBe(row.ops);
      const defaultModel = parsed.kind === 'register' ? 'etcd-cas-register' : 'kv';
      if (parsed.kind !== 'empty') expect(defaultModel, row.file).toBe(row.model);
      const model = getModel(row.model);
      if (model === undefined) throw new Error(`no model ${row.model}`);
      const result = checkHistory(parsed.ops, model, { timeoutMs: 20_000 });
      if (verdictName(result.verdict) !== row.expected) {
        wrong.push(`${row.file}: ${result.verdict}`);
      }
      if (result.verdict === 'illegal') {
        expect(result.explanation?.partitions.length, row.file).toBeGreaterThan(0);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('treats the empty etcd_095.log as an empty, linearizable history', () => {
    const parsed = parseHistory(readFileSync(path.join(dir, 'jepsen/etcd_095.log'), 'utf8'));
    expect(parsed.ops).toEqual([]);
    expect(checkHistory(parsed.ops, getModel('etcd-cas-register')!).verdict).toBe('ok');
  });

  const unpartitioned =
    'gets the same kv verdicts without partitioning for the 1- and 10-client files';
  it(unpartitioned, { timeout: 60_000 }, () => {
    for (const row of rows.filter((r) => /c(01|10)-/.test(r.file))) {
      const parsed = parseHistory(readFileSync(path.join(dir, row.file), 'utf8'));
      const result = checkHistory(parsed.ops, getModel('kv')!, {
        partition: false,
        timeoutMs: 20_000,
      });
      expect(verdictName(result.verdict), row.file).toBe(row.expected);
      expect(result.partitions).toBe(1);
    }
  });

  const knossos = 'also accepts the Knossos conventions on the etcd files (same verdicts, README)';
  it(knossos, { timeout: 60_000 }, () => {
    const wrong: string[] = [];
    for (const row of rows.filter((r) => r.model === 'etcd-cas-register')) {
      const parsed = parseHistory(readFileSync(path.join(dir, row.file), 'utf8'));
      // Knossos drops failed operations and treats a nil read as unconstrained.
      const ops = parsed.ops.filter(
        (op) => (op.output as { ok?: boolean } | undefined)?.ok !== false,
      );
      const result = checkHistory(ops, getModel('knossos-cas-register')!, { timeoutMs: 20_000 });
      if (verdictName(result.verdict) !== row.expected) wrong.push(row.file);
    }
    expect(wrong).toEqual([]);
  });
});
