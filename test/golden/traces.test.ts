/**
 * Golden traces, in the data-driven format of etcd's raft tests: each file under traces/ holds
 * stanzas of a header line (`run scenario=NAME protocol=NAME seed=N duration=US settle=US`), a
 * line `----`, then the full text trace of that short run and its hash, ending at a blank line.
 * A diff shows WHICH event changed, where a pinned hash (trace-hashes.json) only says that one
 * did. A deliberate change rewrites the files with REPLISIM_UPDATE_GOLDEN=1; say why in the
 * commit. Runs are cut short (duration/settle override the scenario's) to keep files small.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import { simulate } from '../../simulator/sim.js';

const DIR = new URL('./traces/', import.meta.url);
const update = process.env.REPLISIM_UPDATE_GOLDEN === '1';
/** A golden file stays readable in review: a stanza longer than this is a run to cut shorter. */
const MAX_LINES = 300;

interface Stanza {
  readonly header: string;
  readonly expected: string[];
}

/** Splits a golden file into stanzas; lines starting with `#` before a header are comments. */
export function parseGolden(text: string, file: string): { comments: string[];
  stanzas: Stanza[] } {
  const lines = text.split('\n');
  const comments: string[] = [];
  const stanzas: Stanza[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line === '' || line.startsWith('#')) {
      if (stanzas.length === 0 && line.startsWith('#')) comments.push(line);
      i++;
      continue;
    }
    if (lines[i + 1] !== '----') throw new Error(`${file}:${i + 2}: expected ---- after header`);
    const expected: string[] = [];
    i += 2;
    while (i < lines.length && lines[i] !== '') expected.push(lines[i++]!);
    stanzas.push({ header: line, expected });
  }
  return { comments, stanzas };
}

/** Runs the stanza's header and renders its trace lines, then its hash. */
export function renderRun(header: string): string[] {
  const fields = new Map(header.split(' ').slice(1).map((kv) => {
    const [k, v] = kv.split('=');
    return [k!, v!] as const;
  }));
  const need = (k: string): string => {
    const v = fields.get(k);
    if (v === undefined || !header.startsWith('run ')) throw new Error(`bad header: ${header}`);
    return v;
  };
  const scenario = { ...loadScenario(need('scenario')), durationUs: Number(need('duration')),
    settleUs: Number(need('settle')) };
  const protocol = findProtocol(need('protocol'));
  if (protocol === undefined) throw new Error(`unknown protocol in ${header}`);
  const run = simulate({ scenario, protocol, seed: Number(need('seed')), keepTrace: true });
  return [...run.trace!, `hash ${run.traceHash}`];
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.txt')).sort();

describe('golden traces (test/golden/traces/*.txt)', () => {
  it('there is one for each protocol: smart, opb, example', () => {
    const protocols = files.flatMap((f) => parseGolden(readFileSync(new URL(f, DIR), 'utf8'), f)
      .stanzas.map((s) => /protocol=(\S+)/.exec(s.header)?.[1]));
    expect([...new Set(protocols)].sort()).toEqual(['example', 'opb', 'smart']);
  });

  for (const file of files) {
    it(file, () => {
      const url = new URL(file, DIR);
      const { comments, stanzas } = parseGolden(readFileSync(url, 'utf8'), file);
      const fresh = stanzas.map((s) => ({ header: s.header, expected: renderRun(s.header) }));
      for (const [i, s] of fresh.entries()) {
        expect(s.expected.length, `${s.header}: cut the run shorter`).toBeLessThanOrEqual(
          MAX_LINES);
        if (!update) expect(s.expected.join('\n')).toBe(stanzas[i]!.expected.join('\n'));
      }
      if (update) {
        const body = fresh.map((s) => [s.header, '----', ...s.expected, ''].join('\n'));
        writeFileSync(url, [...comments, ...(comments.length > 0 ? [''] : []), ...body]
          .join('\n'));
      }
    });
  }

  it('a changed event fails the comparison, naming the line', () => {
    const { stanzas } = parseGolden('run scenario=example-steady protocol=example seed=1 ' +
      'duration=5000 settle=1000\n----\nt=0 nothing\n', 'inline');
    const got = renderRun(stanzas[0]!.header);
    expect(got.join('\n')).not.toBe(stanzas[0]!.expected.join('\n'));
    expect(() => parseGolden('run scenario=x\nt=0\n', 'bad')).toThrow(/bad:2: expected ----/);
  });
});
