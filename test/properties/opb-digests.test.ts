/**
 * opb-digests: a replica's last reported state digest is the FNV-1a of the canonical text of
 * the state its history gives. Real runs pass (re-executed orphans, transfers, checkpoints);
 * the same runs with their digests computed as mutants #1281 (numbers hashed by the digits of
 * n * unit) and #1231 (a dedup range listed twice) compute them fail, as does an execution that
 * contradicts its client's request; unknown entries and corrupted nodes are skipped, not judged.
 */
import { describe, expect, it } from 'vitest';
import { lastDigests, opbDigests } from '../../properties/opb-digests.js';
import { fnv1aHex } from '../../properties/opb-state-text.js';
import type { Observation, RunRecord } from '../../simulator/run-record.js';
import { runOpb } from '../protocol/optimistic/helpers.js';

const cache = new Map<string, RunRecord>();
function run(name: string, seed = 0): RunRecord {
  const key = `${name}:${seed}`;
  if (!cache.has(key)) cache.set(key, runOpb(name, seed).record);
  return cache.get(key)!;
}

interface DigestData { readonly service: number; readonly state: string }
interface ExecData { readonly service: number; readonly epoch: string; readonly index: number;
  readonly value: string }

/**
 * The run with each replica's last digest replaced by the digest of `forge(text)`, `text` the
 * canonical text of the state its history gives.
 */
function forged(record: RunRecord, forge: (text: string) => string): RunRecord {
  const state = new Map<string, string>();
  for (const { digest: d, rebuilt: r } of lastDigests(record).judged) {
    expect(r.kind).toBe('state');
    if (r.kind === 'state') state.set(`${d.node}|${d.svc}`, fnv1aHex(forge(r.text)));
  }
  const keyOf = (o: Observation): string =>
    `${o.node}|${(o.data as unknown as DigestData).service}`;
  const last = new Map<string, number>();
  record.observations.forEach((o, i) => {
    if (o.label === 'opb.digest') last.set(keyOf(o), i);
  });
  const observations = record.observations.map((o, i): Observation => {
    const key = keyOf(o);
    if (o.label !== 'opb.digest' || last.get(key) !== i || !state.has(key)) return o;
    return { ...o, data: { ...(o.data as object), state: state.get(key)! } as Observation['data'] };
  });
  return { ...record, observations };
}

/** The dedup part of a canonical text with each number hashed as mutant #1281 hashes it. */
function mutantDigits(text: string): string {
  const cut = text.lastIndexOf('|');
  // n * unit: every digit but the last comes out as 0 (12 and 22 both read "02").
  const dedup = text.slice(cut + 1).replace(/([#:+-])(\d+)/g,
    (_, sep: string, n: string) => `${sep}${'0'.repeat(n.length - 1)}${n[n.length - 1]!}`);
  return `${text.slice(0, cut + 1)}${dedup}`;
}

/** The dedup part with the first client's first range listed again at its end (#1231). */
function rangeTwice(text: string): string {
  const cut = text.lastIndexOf('|');
  const dedup = text.slice(cut + 1);
  const entries = dedup.split(',');
  const first = entries[0]!;
  const range = first.slice(first.indexOf(':') + 1).split('+')[0]!;
  entries[0] = `${first}+${range}`;
  return `${text.slice(0, cut + 1)}${entries.join(',')}`;
}

/** The run with every execution at the name of its first one changed by `edit` (or dropped). */
function editedExecs(record: RunRecord, edit: (d: ExecData) => ExecData | null): RunRecord {
  const first = record.observations.find((o) => o.label === 'opb.exec')!;
  const f = first.data as unknown as ExecData;
  const observations = record.observations.flatMap((o): Observation[] => {
    const d = o.data as unknown as ExecData;
    if (o.label !== 'opb.exec' || d.service !== f.service || d.epoch !== f.epoch
      || d.index !== f.index) return [o];
    const e = edit(d);
    return e === null ? [] : [{ ...o, data: e as unknown as Observation['data'] }];
  });
  return { ...record, observations };
}

describe('opb-digests', () => {
  it('passes real runs: re-executed orphans, a fork under discard, checkpoints', () => {
    for (const name of ['opb-three-way', 'opb-three-way-discard', 'opb-failover-truncate']) {
      const v = opbDigests.check(run(name));
      expect(`${name} ${v.status} ${v.message}`).toMatch(new RegExp(`^${name} pass `));
      expect(v.measures?.['digestsJudged']).toBeGreaterThanOrEqual(4);
      expect(v.measures?.['skippedUnknown']).toBe(0);
    }
  });

  it('fails when digests hash numbers as mutant #1281 does (12 and 22 collide)', () => {
    expect(fnv1aHex(mutantDigits('|c0#12:1-12'))).toBe(fnv1aHex(mutantDigits('|c0#22:1-22')));
    const v = opbDigests.check(forged(run('opb-three-way'), mutantDigits));
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(new RegExp('^s0: n\\d+ at t=\\d+us, history \\[\\S+\\], ' +
      'reports state [0-9a-f]{8}; that history gives [0-9a-f]{8} \\("k0='));
  });

  it('fails when a dedup range is listed twice, as mutant #1231 lists it', () => {
    const v = opbDigests.check(forged(run('opb-three-way'), rangeTwice));
    expect(v.status).toBe('fail');
    expect(v.message).toContain('reports state');
  });

  it('passes the same run with the digests of the canonical text (the forging is neutral)', () => {
    expect(opbDigests.check(forged(run('opb-three-way'), (t) => t)).status).toBe('pass');
  });

  it('fails when an execution names a request whose client wrote another value', () => {
    const v = opbDigests.check(editedExecs(run('opb-three-way'),
      (d) => ({ ...d, value: 'forged' })));
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/executed c\d+#\d+ with value forged, but the client's request/);
  });

  it('skips histories holding an entry no execution names, and corrupted nodes', () => {
    const v = opbDigests.check(editedExecs(run('opb-three-way'), () => null));
    expect(v.status).toBe('pass');
    expect(v.measures?.['digestsJudged']).toBe(0);
    expect(v.measures?.['skippedUnknown']).toBeGreaterThan(0);
    const c = opbDigests.check(run('opb-corruption'));
    expect(c.status).toBe('pass');
    expect(c.measures?.['skippedCorrupted']).toBeGreaterThan(0);
    expect(c.message).toContain('not judged');
  });
});
