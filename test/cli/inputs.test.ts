/**
 * Issue 13, items 1–4, 9, 10: hostile inputs are one-line rejections (exit 2), never a crash, a
 * stack trace, a hang or gigabytes of memory.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { unpackTrace } from '../../scenarios/run-file.js';
import { withParams } from '../../cli/params.js';
import { ScenarioError } from '../../scenarios/errors.js';
import { loadScenario, parseScenario } from '../../scenarios/load.js';
import { resolveProtocol } from '../../scenarios/runner.js';
import { cli, root } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'reliability-inputs-'));
const steady = (): Record<string, unknown> => JSON.parse(readFileSync(
  join(root, 'scenarios/builtin/example-steady.json'), 'utf8')) as Record<string, unknown>;
const smartMigrate = (): Record<string, unknown> => JSON.parse(readFileSync(
  join(root, 'scenarios/builtin/smart-alpha-boundary.json'), 'utf8')) as Record<string, unknown>;

function file(name: string, content: string | Buffer | object): string {
  const path = join(tmp, name);
  writeFileSync(path, typeof content === 'object' && !Buffer.isBuffer(content)
    ? JSON.stringify(content) : content);
  return path;
}

/** Exactly one line on stderr, exit 2, no stack trace. */
function rejected(args: string[], says: string | RegExp, env: Record<string, string> = {}): void {
  const r = cli(args, env);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
  expect(r.stderr).toMatch(typeof says === 'string' ? new RegExp(says.replace(/[.*+?^${}()|[\]\\]/g,
    '\\$&')) : says);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

describe('1: a gzip bomb in a saved run', () => {
  it('unpackTrace stops at its bound instead of inflating everything', () => {
    const packed = gzipSync(Buffer.alloc(2_000_000, 'a')).toString('base64');
    expect(() => unpackTrace(packed, 100_000)).toThrow(ScenarioError);
    expect(() => unpackTrace(packed, 100_000)).toThrow(/more than 100000 bytes/);
  });
  it('replay refuses a trace far larger than its event count allows', () => {
    const saved = join(tmp, 'run.json');
    expect(cli(['run', 'example-steady', '--seed', '1', '--save', saved]).code).toBe(0);
    const run = JSON.parse(readFileSync(saved, 'utf8')) as Record<string, unknown>;
    const bomb = file('bomb.json', { ...run, events: 10, traceHash: 'f'.repeat(64),
      trace: gzipSync(Buffer.alloc(8_000_000, '\n')).toString('base64') });
    rejected(['replay', bomb], 'unpacks to more than');
  });
});

describe('2: deep nesting', () => {
  it('in scenario params, operator args, --param values and saved runs', () => {
    const deep = JSON.parse(nested(3000)) as unknown;
    rejected(['run', file('deep-params.json', { ...steady(),
      params: { example: { beatUs: deep } } })], 'nested deeper than 100 levels');
    rejected(['run', file('deep-args.json', { ...steady(), faults: [{ at: 1000,
      kind: 'operator', node: 'n1', name: 'x', args: deep }] })], 'nested deeper than 100');
    rejected(['run', 'example-steady', '--param', `example.beatUs=${nested(3000)}`],
      'nested deeper than 100');
  });
  it('in EDN and JSON histories', () => {
    rejected(['lincheck', file('deep.edn', nested(5000))], 'nested deeper than 200');
    rejected(['lincheck', file('deep-hist.json', `{"ops":${nested(5000)}}`)],
      'nested deeper than 100');
    rejected(['lincheck', file('deep-tags.edn', `${'#_'.repeat(5000)}1`)],
      'nested deeper than 200');
  });
});

describe('3: scenarios that name what does not exist', () => {
  it('an unknown node in network.links', () => {
    const s = steady();
    const network = { ...(s['network'] as object),
      links: [{ a: 'n1', b: 'ghost', latency: { minUs: 1, maxUs: 2 } }] };
    rejected(['run', file('links.json', { ...s, network })],
      'network.links.0: unknown node or client "ghost"');
  });
  it('operator args naming unknown members', () => {
    for (const [members, says] of [[['n1', 'ghost'], 'members.1: unknown node "ghost"'],
      [['dc:nope'], 'members.0: unknown node "dc:nope"'],
      [[{ a: 1 }], 'members.0: unknown node {"a":1}'], ['n1', 'expected a list']] as const) {
      const faults = [{ at: 1000, kind: 'operator', node: '*', name: 'migrate',
        args: { id: 'm1', members } }];
      expect(() => parseScenario({ ...smartMigrate(), faults }, 'x.json')).toThrow(says);
    }
    const handoff = [{ at: 1000, kind: 'operator', node: '*', name: 'handoff',
      args: { svc: 0, to: 'ghost' } }];
    expect(() => parseScenario({ ...smartMigrate(), faults: handoff }, 'x.json'))
      .toThrow('faults.0.args.to: unknown node "ghost"');
  });
  it('a protocol that sends to an unknown endpoint, sets a NaN timer or emits an effect of no '
    + 'known kind: a finding', () => {
    const env = { REPLISIM_PROTOCOLS: 'test/helpers/hostile-protocol.mjs' };
    for (const [mode, says] of [['ghost', 'unknown endpoint "ghost"'],
      ['nan', 'deadline NaN is not a number'],
      ['kind', 'an effect of unknown kind "cancelTimr"'],
      ['junk', 'an effect of unknown kind (a string effect)']]) {
      const r = cli(['run', 'test/helpers/hostile.json', '--param', `hostile.mode=${mode}`],
        env);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(says);
    }
  });
});

describe('4: protocol parameters are checked before any run', () => {
  it('periods must be positive integers, keys must be own keys', () => {
    for (const [scenario, param, says] of [
      ['smart-steady', 'smart.heartbeatUs=0', 'heartbeatUs must be a positive integer'],
      ['opb-steady', 'opb.hbUs=0', 'hbUs must be a positive integer'],
      ['example-steady', 'example.beatUs=0', 'beatUs must be a positive integer'],
      ['example-steady', 'example.beatUs=-5', 'beatUs must be a positive integer'],
      ['example-steady', 'example.beatUs=x', 'beatUs must be a positive integer'],
      ['example-steady', 'example.beatUs=1e400', 'beatUs must be a positive integer'],
      ['smart-steady', 'smart.repoNode="ghost"', 'repoNode must be a node id'],
      ['example-steady', 'example.toString=1', 'unknown example parameter(s) toString'],
      ['example-steady', 'example.constructor=1', 'unknown example parameter(s) constructor'],
      ['example-steady', 'example.__proto__=1', 'unknown example parameter(s) __proto__'],
      ['example-steady', 'example.hasOwnProperty=1', 'unknown example parameter(s) hasOwn'],
    ] as const) {
      expect(() => resolveProtocol(withParams(loadScenario(scenario), [param]), undefined, null),
        param).toThrow(says);
    }
    rejected(['run', 'opb-steady', '--param', 'opb.hbUs=0'], 'hbUs must be a positive integer');
  });
  it('also in a scenario file', () => {
    rejected(['run', file('params.json', { ...steady(), params: { example: { beatUs: 0 } } })],
      'beatUs must be a positive integer');
    expect(() => parseScenario(JSON.parse(JSON.stringify(steady()).replace(/}$/,
      ',"params":{"example":{"__proto__":5}}}')), 'p.json'))
      .toThrow('params.example.__proto__: not a parameter name');
  });
});

describe('9, 10: output paths and one-line rejections', () => {
  it('--out under /proc fails at once', () => {
    rejected(['explore', '--protocol', 'example', '--runs', '1', '--out', '/proc/replisim/x'],
      'cannot create /proc/replisim/x');
  });
  it('a BOM is accepted; bad JSON is quoted on one line with control bytes escaped', () => {
    const bom = file('bom.json', `\uFEFF${JSON.stringify(steady())}`);
    expect(cli(['run', bom]).code).toBe(0);
    rejected(['run', file('bad.json', '{"a":\n\u0001\u001b[31m 1}')], /not valid JSON.*\\u0001/);
  });
  it('"did you mean" stays on the same line; bare replisim is a one-line hint', () => {
    rejected(['rnu'], /unknown command 'rnu' \(Did you mean run\?\)/);
    rejected(['run', '--sed', '3', 'x'], /Did you mean --seed\?/);
    rejected([], 'no command given');
  });
});
