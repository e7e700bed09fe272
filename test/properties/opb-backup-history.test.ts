/**
 * opb-backup-history (P2.4): a backup following P at P's epoch changes its history only to P's.
 * The run: opb-three-way seed 0, where backups follow several primaries through the faults;
 * the same run with one backup's history rewritten mid-run to carry a stray epoch (what a
 * backup applying another primary's update would report) must fail.
 */
import { describe, expect, it } from 'vitest';
import { opbBackupHistory, strayIndex } from '../../properties/opb-backup-history.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { runOpb } from '../protocol/optimistic/helpers.js';

interface DigestData {
  readonly role: string; readonly primary: string | null; readonly epoch: string;
  readonly lineage: string; readonly index: number;
}

let cached: RunRecord | null = null;
function threeWay(): RunRecord {
  cached ??= runOpb('opb-three-way', 0).record;
  return cached;
}

describe('strayIndex', () => {
  it('accepts a prefix of P and entries of E past its tip', () => {
    expect(strayIndex('1.n1:5,2.n3:9', '1.n1:5,2.n3:12', '2.n3')).toBeNull();
    expect(strayIndex('1.n1:5,2.n3:14', '1.n1:5,2.n3:12', '2.n3')).toBeNull();
    expect(strayIndex('', '1.n1:5', '1.n1')).toBeNull();
  });
  it('names the first index where the history is not P\'s', () => {
    expect(strayIndex('1.n1:7,2.n3:9', '1.n1:5,2.n3:12', '2.n3')).toBe(6);
    expect(strayIndex('1.n1:5,1.n2:8', '1.n1:5', '2.n3')).toBe(6);
    expect(strayIndex('1.n2:3', '1.n1:5', '1.n1')).toBe(1);
  });
});

describe('opb-backup-history', () => {
  it('passes the real run and judges history changes in it', () => {
    const v = opbBackupHistory.check(threeWay());
    expect(v.status).toBe('pass');
    expect(v.measures?.['historyChangesJudged']).toBeGreaterThan(0);
  });

  it('fails when a backup following P takes an entry of another epoch', () => {
    const run = threeWay();
    // The last backup digest whose history grew while following the same primary at one
    // epoch: report one more entry, of an epoch nobody led.
    const obs = run.observations;
    let hit = -1;
    for (let i = obs.length - 1; i >= 0 && hit < 0; i--) {
      const o = obs[i]!;
      const d = o.data as unknown as DigestData;
      if (o.label === 'opb.digest' && d.role === 'backup' && d.primary !== null
        && d.lineage !== '') hit = i;
    }
    expect(hit).toBeGreaterThan(0);
    const o = obs[hit]!;
    const d = o.data as unknown as DigestData;
    const grown = { ...d, index: d.index + 1, lineage: `${d.lineage},0.zz:${d.index + 1}` };
    const forged = { ...o, data: grown as unknown as typeof o.data };
    const observations = [...obs.slice(0, hit + 1), forged, ...obs.slice(hit + 1)]
      .map((x, i) => ({ ...x, seq: i }));
    const v = opbBackupHistory.check({ ...run, observations });
    expect(v.status).toBe('fail');
    expect(v.message).toContain('0.zz');
  });
});
