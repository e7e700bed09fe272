/**
 * Trace format 2: the hash is taken over binary tokens, the text lines are built only when kept.
 * The tokens must tell apart exactly what the text tells apart (else two different traces could
 * share a hash, or equal traces differ), the hash must not depend on whether lines are kept, and
 * a run saved by format 1 must replay with a clear word about the format, never a divergence.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProtocol } from '../../protocol/registry.js';
import type { AnyProtocol } from '../../protocol/types.js';
import { loadScenario } from '../../scenarios/load.js';
import { packTrace, unpackTrace } from '../../scenarios/run-file.js';
import { simulate } from '../../simulator/sim.js';
import { TRACE_FORMAT } from '../../simulator/trace.js';
import { encodedBytes, type TraceWriter } from '../../simulator/trace-writer.js';
import { cli } from '../helpers/cli.js';

const hex = (write: (w: TraceWriter) => void): string => encodedBytes(write).toString('hex');

describe('trace tokens', () => {
  it('numbers: small, large, negative, fractional and -0 (as 0, like the text)', () => {
    const values = [0, 1, 63, 64, 127, 128, -1, -64, 2 ** 31, 2 ** 40, -(2 ** 45), 2 ** 51,
      2 ** 60, 0.5, -0.5, 1e-9, Number.NaN, Infinity, -Infinity];
    const seen = new Set(values.map((v) => hex((w) => w.int(v))));
    expect(seen.size).toBe(values.length);
    expect(hex((w) => w.int(-0))).toBe(hex((w) => w.int(0)));
  });

  it('integers are zigzag LEB128 varints, exactly, on both sides of 2^31 and 2^32', () => {
    // The reference encoding in BigInt: the writer's shift path (below 2^31) and its division
    // path (above) must give these bytes, or every trace hash changes.
    const leb = (n: number): string => {
      let v = n >= 0 ? BigInt(n) * 2n : BigInt(-n) * 2n - 1n;
      const out: number[] = [];
      while (v >= 0x80n) {
        out.push(Number(v % 0x80n) | 0x80);
        v /= 0x80n;
      }
      out.push(Number(v));
      return Buffer.from(out).toString('hex');
    };
    for (const n of [64, 300, 2 ** 30 - 1, 2 ** 30, -(2 ** 30), -(2 ** 30) - 1, 2 ** 31 - 1,
      2 ** 31, 2 ** 32, -(2 ** 32), 2 ** 50 + 3, -(2 ** 50) - 3]) {
      expect(hex((w) => w.int(n)), String(n)).toBe(leb(n));
    }
  });

  it('strings are self-delimiting, ASCII or not', () => {
    const pairs: [string, string][] = [['ab', ''], ['a', 'b'], ['', 'ab'], ['é', ''],
      ['\u00e9', 'x'], ['\u0169', 'x'], ['\ud83d\ude00', '']];
    const seen = new Set(pairs.map(([a, b]) => hex((w) => {
      w.str(a);
      w.str(b);
    })));
    expect(seen.size).toBe(pairs.length);
  });

  it('a string longer than a chunk hashes like the same bytes written in pieces', () => {
    const long = 'é'.repeat(40_000) + 'x'.repeat(70_000);
    expect(encodedBytes((w) => w.str(long)).length).toBe(3 + 3 * 40_000 + 70_000);
  });

  it('JSON values keep their type', () => {
    const values = [undefined, null, false, true, 0, '0', [], {}, [0], { a: 0 }, { a: '0' }];
    const seen = new Set(values.map((v) => hex((w) => w.json(v))));
    expect(seen.size).toBe(values.length);
  });
});

/** Every message `protocol` sends in the given runs, by its text, with its tokens. */
function messages(protocol: AnyProtocol, runs: [string, number][],
  encode = protocol.encodeMessage!): { text: string; tokens: string }[] {
  const seen: { text: string; tokens: string }[] = [];
  const spy: AnyProtocol = {
    ...protocol,
    describeMessage(m) {
      const text = protocol.describeMessage(m);
      seen.push({ text, tokens: hex((w) => encode(m, w)) });
      return text;
    },
  };
  for (const [scenario, seed] of runs) {
    simulate({ scenario: loadScenario(scenario), protocol: spy, seed, keepTrace: true });
  }
  return seen;
}

/** Pairs that break "equal text iff equal tokens", at most a few. */
function disagreements(seen: readonly { text: string; tokens: string }[]): string[] {
  const byText = new Map<string, string>();
  const byTokens = new Map<string, string>();
  const bad: string[] = [];
  for (const { text, tokens } of seen) {
    const t = byText.get(text) ?? tokens;
    const x = byTokens.get(tokens) ?? text;
    if (t !== tokens || x !== text) bad.push(`${text} / ${x}`);
    byText.set(text, tokens);
    byTokens.set(tokens, text);
  }
  return bad.slice(0, 3);
}

const runsOf: Record<string, [string, number][]> = {
  example: [['example-partition', 1]],
  smart: [['smart-leader-churn', 1], ['smart-migrate-disjoint', 0]],
  opb: [['opb-partition-halves', 1], ['opb-corruption', 3]],
};

describe('encodeMessage tells apart exactly what describeMessage does', () => {
  for (const [name, runs] of Object.entries(runsOf)) {
    it(name, () => {
      const seen = messages(findProtocol(name)!, runs);
      expect(new Set(seen.map((s) => s.text)).size).toBeGreaterThan(100);
      expect(disagreements(seen)).toEqual([]);
    });
  }

  it('the check catches an encoder that leaves a field out', () => {
    const smart = findProtocol('smart')!;
    const lossy: NonNullable<AnyProtocol['encodeMessage']> = (m, out) =>
      smart.encodeMessage!(m.t === 'logged' ? { ...m, slot: 0 } : m, out);
    expect(disagreements(messages(smart, [['smart-steady', 1]], lossy))).not.toEqual([]);
  });
});

describe('the trace hash', () => {
  it('is the same whether or not the run keeps its lines', () => {
    for (const [scenario, p] of [['smart-leader-churn', 'smart'], ['opb-corruption', 'opb']]) {
      const run = (keepTrace: boolean) => simulate({ scenario: loadScenario(scenario!),
        protocol: findProtocol(p!)!, seed: 2, keepTrace });
      expect(run(true).traceHash).toBe(run(false).traceHash);
    }
  });
});

describe('replay of a run saved by trace format 1', () => {
  const file = 'test/simulator/data/trace-format-1/example-short-3.json';
  const tmp = mkdtempSync(join(tmpdir(), 'replisim-trace-format-'));
  const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const variant = (name: string, change: Record<string, unknown>): string => {
    const path = join(tmp, name);
    writeFileSync(path, JSON.stringify({ ...saved, ...change }));
    return path;
  };

  it('is verified line by line and says which format it was saved with', () => {
    expect(TRACE_FORMAT).not.toBe(1);
    const r = cli(['replay', file]);
    expect(r.stdout).toContain(`saved with trace format 1; this replisim hashes trace format ` +
      `${TRACE_FORMAT}`);
    expect(r.stdout).toContain('identical trace, line for line');
    expect(r.code).toBe(0);
    const doc = JSON.parse(cli(['replay', '--json', file]).stdout) as Record<string, unknown>;
    expect([doc['same'], doc['comparedBy'], doc['savedTraceFormat']]).toEqual([true, 'lines', 1]);
  });

  it('without its lines, cannot be verified and says so (no divergence reported)', () => {
    const r = cli(['replay', variant('no-trace.json', { trace: null })]);
    expect(r.stdout).toContain('cannot be compared');
    expect(r.stdout).toContain('cannot be verified');
    expect(r.stdout).not.toContain('hash differs');
    expect(r.code).toBe(1);
  });

  it('with a changed line, names the divergence', () => {
    const lines = unpackTrace(saved['trace'] as string);
    lines[10] = `${lines[10]} changed`;
    const r = cli(['replay', variant('changed.json', { trace: packTrace(lines) })]);
    expect(r.stdout).toContain('first divergence at event 10');
    expect(r.code).toBe(1);
  });

  it('a run saved now carries the current format and replays by hash', () => {
    const path = join(tmp, 'now.json');
    cli(['run', 'example-steady', '--seed', '3', '--save', path]);
    expect(JSON.parse(readFileSync(path, 'utf8')).traceFormat).toBe(TRACE_FORMAT);
    const doc = JSON.parse(cli(['replay', '--json', path]).stdout) as Record<string, unknown>;
    expect([doc['same'], doc['comparedBy']]).toEqual([true, 'hash']);
  });
});
