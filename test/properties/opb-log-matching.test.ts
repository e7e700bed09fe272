/**
 * opb-log-matching: one (epoch, index) names one entry everywhere, and histories holding an
 * epoch's entries agree on what comes before them. Real runs pass; the same run with one forged
 * observation (a second execution at a used name, a history with another past before an epoch,
 * a replica at the same last entry with another state) fails, and a corruption stops judging.
 */
import { describe, expect, it } from 'vitest';
import { opbLogMatching } from '../../properties/opb-log-matching.js';
import type { Observation, RunRecord } from '../../simulator/run-record.js';
import { runOpb } from '../protocol/optimistic/helpers.js';

interface Exec { readonly epoch: string; readonly index: number; readonly client: string;
  readonly seq: number; readonly value: string }
interface DigestData { readonly index: number; readonly lineage: string; readonly state: string }

let cached: RunRecord | null = null;
/** A failover with a reconciliation: several epochs, histories and tips to judge. */
function threeWay(): RunRecord {
  cached ??= runOpb('opb-three-way', 0).record;
  return cached;
}

/** The run with `extra` observed right after observation `after` (sequence renumbered). */
function inserted(run: RunRecord, after: number, extra: Observation): RunRecord {
  const obs = run.observations;
  const observations = [...obs.slice(0, after + 1), extra, ...obs.slice(after + 1)]
    .map((o, i) => ({ ...o, seq: i }));
  return { ...run, observations };
}

const lastIndexOf = (run: RunRecord, ok: (o: Observation) => boolean): number => {
  for (let i = run.observations.length - 1; i >= 0; i--) if (ok(run.observations[i]!)) return i;
  return -1;
};

/** The run with a second execution at the name of the last one, of another request. */
function secondExecution(run: RunRecord): { run: RunRecord; at: number } {
  const hit = lastIndexOf(run, (o) => o.label === 'opb.exec');
  expect(hit).toBeGreaterThan(0);
  const o = run.observations[hit]!;
  const d = o.data as unknown as Exec;
  const other = { ...d, client: 'c9', seq: 999, value: 'c9.999' };
  const forged = { ...o, node: 'n9', data: other as unknown as Observation['data'] };
  return { run: inserted(run, hit, forged), at: o.at };
}

describe('opb-log-matching', () => {
  it('passes a run with failovers and a reconciliation, judging all three kinds of evidence',
    () => {
      const v = opbLogMatching.check(threeWay());
      expect(v.status).toBe('pass');
      for (const m of ['entriesJudged', 'historiesJudged', 'tipsJudged']) {
        expect(v.measures?.[m]).toBeGreaterThan(10);
      }
    });

  it('holds on OPB built-ins with crashes, slow disks, truncation and forks', () => {
    const runs = [['opb-checkpoint-split', 1], ['opb-slow-disk', 2], ['opb-zone-disasters', 3]];
    for (const [name, seed] of runs as [string, number][]) {
      const v = runOpb(name, seed).verdicts.find((x) => x.property === 'opb-log-matching');
      expect(`${name} ${seed} ${v?.status}`).toBe(`${name} ${seed} pass`);
    }
  });

  it('fails when one (epoch, index) names two executed entries (explore seed 7033\'s shape)',
    () => {
      const v = opbLogMatching.check(secondExecution(threeWay()).run);
      expect(v.status).toBe('fail');
      expect(v.message)
        .toMatch(/^s0 \(\S+, \d+\)( era \d+)? names two entries: c\d+#\d+=\S+ executed by/);
      expect(v.message).toContain('c9#999=c9.999 by n9');
    });

  it('fails when a history holds an epoch\'s entries after another past', () => {
    const run = threeWay();
    const hit = lastIndexOf(run, (o) => o.label === 'opb.digest'
      && (o.data as unknown as DigestData).lineage.includes(','));
    expect(hit).toBeGreaterThan(0);
    const o = run.observations[hit]!;
    const d = o.data as unknown as DigestData;
    // The same epochs, but the first one ended one entry earlier: another past before the rest.
    const [first, ...rest] = d.lineage.split(',');
    const cut = first!.lastIndexOf(':');
    const moved = `${first!.slice(0, cut)}:${Number(first!.slice(cut + 1)) - 1}`;
    const forged = { ...o, data: { ...d, lineage: [moved, ...rest].join(',') } };
    const v = opbLogMatching.check(
      inserted(run, hit, forged as unknown as Observation));
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/^s0: entries of \S+ follow \[.+\] at n\d+ \(t=\d+us\) but \[/);
  });

  it('fails when replicas at the same last entry hold different states', () => {
    const run = threeWay();
    const hit = lastIndexOf(run, (o) => o.label === 'opb.digest'
      && (o.data as unknown as DigestData).index > 0);
    const o = run.observations[hit]!;
    const d = o.data as unknown as DigestData;
    const forged = { ...o, node: 'n12', data: { ...d, state: 'deadbeef' } };
    const v = opbLogMatching.check(inserted(run, hit, forged as unknown as Observation));
    expect(v.status).toBe('fail');
    expect(v.message)
      .toMatch(/^replicas at s0 \(\S+, \d+\)( era \d+)? hold different states: \w+ at n\d+/);
    expect(v.message).toContain('deadbeef at n12');
  });

  it('judges nothing observed from the first corruption on, and everything before it', () => {
    const { run, at } = secondExecution(threeWay());
    const corrupted = (t: number): RunRecord => ({ ...run,
      nodeEvents: [...run.nodeEvents, { at: t, seq: -1, node: 'n9', kind: 'corrupted' }] });
    const after = opbLogMatching.check(corrupted(at));
    expect(after.status).toBe('pass');
    expect(after.message).toContain(`up to the first corruption, t=${at}us`);
    expect(opbLogMatching.check(corrupted(at + 1)).status).toBe('fail');
  });
});
