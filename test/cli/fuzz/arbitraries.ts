/**
 * fast-check arbitraries for every input surface of the CLI: scenario JSON, history files in
 * each format, saved runs, counterexamples and command-line arguments. Each produces a `Case`:
 * the arguments and the files they name (written into a scratch folder by the fuzz worker).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';

export interface Case {
  readonly surface: string;
  readonly argv: readonly string[];
  /** File name → content (the worker writes them into `dir`). */
  readonly files: Readonly<Record<string, Buffer>>;
}

type JsonLike = unknown;

/** Every path (list of keys) into a JSON value, the value itself first. */
function paths(v: JsonLike, prefix: (string | number)[] = [], out: (string | number)[][] = [],
  depth = 0): (string | number)[][] {
  out.push(prefix);
  if (depth > 8 || typeof v !== 'object' || v === null) return out;
  for (const [k, x] of Array.isArray(v) ? v.entries() : Object.entries(v)) {
    paths(x, [...prefix, k], out, depth + 1);
  }
  return out;
}

const deep = (depth: number, leaf: JsonLike): JsonLike => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { a: v };
  return v;
};

/** Odd values that break assumptions: extremes, wrong types, deep nesting, selectors. */
const oddValue: fc.Arbitrary<JsonLike> = fc.oneof(
  // Plausible values too, so that some mutated inputs are valid and really run.
  { weight: 3, arbitrary: fc.oneof(fc.integer({ min: 0, max: 2_000_000 }), fc.boolean(),
    fc.constantFrom('n1', 'n2', 'dc1', 'example', 'smart', 'opb', 'crash', 'partition')) },
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(0, -1, -5, 1e300, -1e300, 2 ** 53, 0.5, '', 'x', 'ghost', 'dc:nope', 'zone:',
    '*', 'replicas', '__proto__', 'toString', null, true, [], {}, { a: 1 }, '\u0000\n\u2028'),
  fc.integer({ min: 50, max: 2500 }).map((d) => deep(d, 1)),
);

type Mutation = { op: 'replace' | 'delete' | 'rename'; at: number; value: JsonLike; key: string };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('replace', 'replace', 'delete', 'rename'),
  at: fc.nat(), value: oddValue,
  key: fc.constantFrom('__proto__', 'toString', 'constructor', 'x', 'hasOwnProperty', ''),
});

/** A copy (shared constants must not be changed in place); deep values are left as they are. */
function clone(v: JsonLike): JsonLike {
  try {
    return structuredClone(v);
  } catch {
    return v;
  }
}

function mutate(base: JsonLike, ms: readonly Mutation[]): JsonLike {
  let doc = clone(base);
  for (const m of ms) {
    const all = paths(doc);
    const path = all[m.at % all.length]!;
    if (path.length === 0) {
      if (m.op === 'replace') doc = clone(m.value);
      continue;
    }
    let parent = doc as Record<string | number, JsonLike>;
    for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, JsonLike>;
    const last = path[path.length - 1]!;
    if (m.op === 'replace') parent[last] = clone(m.value);
    else if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else if (m.op === 'delete') delete parent[last];
    else {
      Object.defineProperty(parent, m.key, { value: parent[last], enumerable: true,
        writable: true, configurable: true });
      delete parent[last];
    }
  }
  return doc;
}

/** How the text is damaged on its way to disk. */
const rarely = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, arb);
const damage = fc.record({
  bom: fc.boolean(), cut: rarely(fc.nat()),
  junk: rarely(fc.string({ unit: 'binary', maxLength: 8 })),
});

function serialize(doc: JsonLike, d: { bom: boolean; cut: number | null; junk: string | null }):
  Buffer {
  let text = JSON.stringify(doc) ?? 'undefined';
  if (d.cut !== null) text = text.slice(0, d.cut % (text.length + 1));
  if (d.junk !== null) text = `${text}${d.junk}`;
  return Buffer.from(`${d.bom ? '\uFEFF' : ''}${text}`, 'utf8');
}

const builtin = (root: string, name: string): JsonLike => JSON.parse(readFileSync(
  join(root, 'scenarios/builtin', `${name}.json`), 'utf8'));

export function scenarioCase(root: string): fc.Arbitrary<Case> {
  const bases = ['example-steady', 'example-partition', 'smart-alpha-boundary', 'opb-steady']
    .map((n) => builtin(root, n));
  return fc.tuple(fc.nat(bases.length - 1), fc.array(mutation, { maxLength: 3 }),
    damage, fc.constantFrom('run', 'sweep', 'explore'))
    .map(([b, ms, d, command]) => ({
      surface: 'scenario',
      argv: command === 'run' ? ['run', '@/s.json', '--seed', '1', '--json']
        : command === 'sweep' ? ['sweep', '@/s.json', '--seeds', '1', '--workers', '1']
          : ['explore', '--scenario', '@/s.json', '--protocol', 'example', '--runs', '1',
            '--workers', '1', '--shrink-runs', '2', '--out', '@/out'],
      files: { 's.json': serialize(mutate(bases[b]!, ms), d) },
    }));
}

const ednText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '(', ')', ':', '"', '\\', '#', '_', ' ',
    '\n', ';', ',', 'a', '1', '-', '.', 'e', 'N', 'M', 'nil', ':type', ':ok', ':invoke',
    ':process', ':f', ':value', ':read', ':write', ':cas'), maxLength: 300 }),
  fc.integer({ min: 100, max: 6000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.integer({ min: 100, max: 6000 }).map((n) => `${'#_'.repeat(n)}1`),
  fc.array(fc.record({ p: fc.nat(5), t: fc.constantFrom(':invoke', ':ok', ':fail', ':info'),
    f: fc.constantFrom(':read', ':write', ':cas', ':get', ':put', ':append'),
    v: fc.oneof(fc.constant('nil'), fc.integer().map(String), fc.constant('[1 2]')) }),
  { maxLength: 40 }).map((ops) => ops.map((o) =>
    `{:process ${o.p}, :type ${o.t}, :f ${o.f}, :key "k", :value ${o.v}}`).join('\n')),
);

const etcdLog: fc.Arbitrary<string> = fc.array(fc.tuple(fc.constantFrom('INFO', 'WARN', 'x'),
  fc.nat(5), fc.constantFrom(':invoke', ':ok', ':fail', ':info', ''),
  fc.constantFrom(':read', ':write', ':cas', ''), fc.oneof(fc.constant('nil'), fc.integer()
    .map(String), fc.constant('[1 2]'), fc.string({ maxLength: 5 }))), { maxLength: 40 })
  .map((ls) => ls.map(([lvl, p, t, f, v]) => `${lvl} [2017] jepsen.util - ${p}\t${t}\t${f}\t${v}`)
    .join('\n'));

const nativeHistory: fc.Arbitrary<JsonLike> = fc.tuple(fc.array(fc.record({
  client: fc.constantFrom('c0', 'c1', 'c2'), op: fc.record({
    type: fc.constantFrom('get', 'put', 'append', 'cas'), key: fc.constantFrom('k0', 'k1'),
    value: fc.string({ maxLength: 3 }) }),
  invokeUs: fc.nat(1000), returnUs: fc.option(fc.nat(2000)),
  result: fc.option(fc.record({ ok: fc.boolean(), value: fc.string({ maxLength: 3 }) })),
}), { maxLength: 30 }), fc.array(mutation, { maxLength: 2 }))
  .map(([ops, ms]) => mutate({ schema: 'replisim/history@1', ops }, ms));

export function historyCase(): fc.Arbitrary<Case> {
  return fc.tuple(fc.oneof(
    fc.tuple(fc.constant('edn'), ednText.map((t) => Buffer.from(t))),
    fc.tuple(fc.constant('jepsen-etcd'), etcdLog.map((t) => Buffer.from(t))),
    fc.tuple(fc.constant('native'), fc.tuple(nativeHistory, damage).map(([h, d]) => serialize(h,
      d))),
    fc.tuple(fc.constant('porcupine-kv'), ednText.map((t) => Buffer.from(t))),
  ), fc.boolean(), fc.constantFrom('kv', 'register', 'nope'))
    .map(([[format, content], forced, model]) => ({
      surface: 'history',
      argv: ['lincheck', '@/h.txt', ...(forced ? ['--format', format] : []),
        ...(model === 'nope' ? ['--model', 'nope'] : []), '--timeout', '5'],
      files: { 'h.txt': content },
    }));
}

const traceField: fc.Arbitrary<string | null> = fc.oneof(
  fc.constant(null),
  fc.base64String({ maxLength: 40 }),
  fc.string({ maxLength: 20 }),
  fc.integer({ min: 1, max: 4 }).map((mb) => gzipSync(Buffer.alloc(mb * 1024 * 1024, '\n'))
    .toString('base64')),
  fc.array(fc.string({ maxLength: 30 }), { maxLength: 20 })
    .map((ls) => gzipSync(Buffer.from(ls.join('\n'))).toString('base64')),
);

export function savedRunCase(saved: JsonLike, counterexample: boolean): fc.Arbitrary<Case> {
  const base = counterexample ? { ...(saved as object), schema: 'replisim/counterexample@1',
    property: 'linearizability', knobs: { kinds: 'crash', maxEpisodes: 2 } } : saved;
  return fc.tuple(fc.array(mutation, { maxLength: 3 }), traceField, fc.boolean(), damage,
    fc.boolean())
    .map(([ms, trace, wrongHash, d, json]) => {
      let doc = mutate(base, ms) as Record<string, JsonLike>;
      if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) {
        doc = { ...doc, trace, ...(wrongHash ? { traceHash: 'a'.repeat(64) } : {}) };
      }
      return { surface: counterexample ? 'counterexample' : 'saved-run',
        argv: ['replay', '@/r.json', ...(json ? ['--json'] : [])],
        files: { 'r.json': serialize(doc, d) } };
    });
}

const words = ['list', 'run', 'replay', 'sweep', 'explore', 'check', 'lincheck', 'help',
  '--json', '--seed', '--seeds', '--runs', '--workers', '--protocol', '--scenario', '--mutant',
  '--param', '--out', '--shard', '--time', '--shrink-runs', '--resume', '--keep-going',
  '--depth', '--replicas', '--clients', '--ops', '--crashes', '--format', '--model',
  '--timeout', '--html', '--trace', '--save', '--trial-timeout', '--worker-memory',
  '--no-color', '--help', '-h', 'example-steady', 'example', 'smart', 'opb', 'ghost',
  'example:volatile-log', 'example.beatUs=0', 'example.beatUs=5', 'opb.hbUs=x',
  'example.toString=1', '0', '1', '2', '-1', '1/2', '2/1', 'x', '', '1e9', '0.001',
  '/proc/x', '@/f', '@/out', '\u0000', '--\n', 'a\nb'];

export function argsCase(): fc.Arbitrary<Case> {
  const word = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...words) },
    fc.string({ maxLength: 6 }));
  return fc.tuple(fc.constantFrom('run', 'replay', 'sweep', 'explore', 'check', 'lincheck',
    'list', 'nope', '--seed'), fc.array(word, { maxLength: 7 }))
    .map(([command, rest]) => {
      const argv = [command, ...rest];
      // Keep heavy work small: a bounded number of seeds, trials, operations.
      const bounded = argv.flatMap((a, i) => (['--seeds', '--runs', '--ops', '--depth']
        .includes(argv[i - 1] ?? '') && /^\d+$/.test(a) && Number(a) > 2 ? ['2'] : [a]));
      if (command === 'explore' && !bounded.includes('--runs')) bounded.push('--runs', '1');
      if (command === 'sweep' && !bounded.includes('--seeds')) bounded.push('--seeds', '1');
      if (command === 'explore' || command === 'sweep') bounded.push('--workers', '1');
      if (command === 'explore') bounded.push('--shrink-runs', '2', '--out', '@/out');
      if (command === 'check') bounded.push('--depth', '3');
      return { surface: 'cli-args', argv: bounded, files: { f: Buffer.from('{}') } };
    });
}
