import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { balance, checkUnits, mergeVerdicts, planUnits } from '../../../bench/lincheck.js';
import { parseHistory } from '../../../properties/formats/index.js';
import { checkHistory, verdictName } from '../../../properties/linearizability/index.js';
import { getModel } from '../../../properties/models/index.js';
import { porcupineDir } from '../../helpers/lincheck.js';

const dir = porcupineDir();
const files = readFileSync(path.join(dir, 'EXPECTED.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split('\t'))
  .map(([file = '', model = '', expected = '']) => ({
    file,
    model,
    expected,
    ops: parseHistory(readFileSync(path.join(dir, file), 'utf8')).ops,
  }));

describe('parallel split of the corpus (bench/lincheck two-worker plan)', () => {
  const same = 'gives every file its single-threaded verdict, whatever the bins';
  it(same, { timeout: 120_000 }, () => {
    const single = files.map((f) => {
      const model = getModel(f.model);
      if (model === undefined) throw new Error(`no model ${f.model}`);
      return verdictName(checkHistory(f.ops, model).verdict);
    });
    expect(single).toEqual(files.map((f) => f.expected));
    const units = planUnits(files, single);
    // Linearizable kv files are split by key; illegal ones and etcd files stay whole.
    const c50 = files.findIndex((f) => f.file === 'kv/c50-ok.txt');
    const c50bad = files.findIndex((f) => f.file === 'kv/c50-bad.txt');
    expect(units.filter((u) => u.file === c50).length).toBeGreaterThan(1);
    expect(units.filter((u) => u.file === c50).every((u) => !u.partition)).toBe(true);
    expect(units.filter((u) => u.file === c50bad)).toHaveLength(1);
    expect(units.filter((u) => u.model !== 'kv').length).toBe(103);
    for (const n of [1, 2, 3]) {
      const bins = balance(units, units.map((u) => u.ops.length), n);
      expect(bins.flat()).toHaveLength(units.length);
      const verdicts = bins.flatMap((bin) => checkUnits(bin));
      expect(mergeVerdicts(files.length, bins.flat(), verdicts)).toEqual(single);
    }
  });

  it('balances by cost, longest first, deterministically', () => {
    const bins = balance(['a', 'b', 'c', 'd', 'e'], [5, 4, 3, 3, 1]);
    expect(bins).toEqual([
      ['a', 'd'],
      ['b', 'c', 'e'],
    ]);
  });

  it('merges unit verdicts per file: illegal beats unknown beats ok', () => {
    const unit = (file: number) => ({ file, model: 'kv', ops: [], partition: false });
    const units = [unit(0), unit(0), unit(1), unit(1), unit(2)];
    const verdicts = [
      'linearizable',
      'not-linearizable',
      'unknown',
      'linearizable',
      'linearizable',
    ];
    expect(mergeVerdicts(4, units, verdicts)).toEqual([
      'not-linearizable',
      'unknown',
      'linearizable',
      'linearizable',
    ]);
  });
});
