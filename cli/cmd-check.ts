/**
 * `replisim check`: exhaustive bounded model checking (DESIGN §5) of a built-in protocol over
 * every interleaving of a small closed system. Exit 0: no violation within the bounds;
 * 1: a violation (printed as a numbered list of actions plus the action-index path that replays
 * it, `--replay PATH`); 2: bad input.
 */
import type { Command } from 'commander';
import { findProtocol, protocols } from '../protocol/registry.js';
import type { AnyProtocol } from '../protocol/types.js';
import { linearizabilityHistoryCheck } from '../properties/linearizable.js';
import {
  checker, MAX_SYMMETRIC_REPLICAS, PathError, replay, soundNetwork,
  type CheckerOptions, type CheckResult, type Counterexample,
} from '../simulator/checker/index.js';
import { parsePositiveInt, parsePositiveNumber, parseSeed } from './args.js';
import { UsageError } from './errors.js';
import { makeOutput, type Output } from './output.js';
import { checkInWorkers } from './check-workers.js';
import { protocolFileArgs } from './plugins.js';

export interface CheckCommandOptions {
  protocol?: string;
  mutant?: string;
  replicas?: string;
  clients?: string;
  ops?: string;
  depth?: string;
  crashes?: string;
  drops?: string;
  retries?: string;
  timers?: string;
  multiset?: boolean;
  maxStates?: string;
  order?: string;
  symmetry?: boolean;
  workers?: string;
  timeout?: string;
  replay?: string;
  json?: boolean;
}

/** Defaults small enough that a bare `replisim check` exhausts its space in seconds. */
const DEFAULTS = {
  protocol: 'example', replicas: '2', clients: '2', ops: '1', depth: '50', crashes: '1',
};

export function registerCheckCommand(
  p: Command, setExit: (code: number | Promise<number>) => void,
): void {
  p.command('check')
    .description('exhaustive bounded model checking (BFS or DFS, state fingerprints) ' +
      'of a small closed system; ' +
      'exit 1 on a violation')
    .option('--protocol <name>', 'protocol to check', DEFAULTS.protocol)
    .option('--mutant <name>', 'check a deliberately broken variant')
    .option('--replicas <r>', 'replicas n1..nR', DEFAULTS.replicas)
    .option('--clients <c>', 'clients, each issuing its ops one at a time', DEFAULTS.clients)
    .option('--ops <k>', 'operations per client (alternating put/get of one key)', DEFAULTS.ops)
    .option('--depth <d>', 'maximum number of actions in a path', DEFAULTS.depth)
    .option('--crashes <n>', 'crashes allowed per path (restarts keep the durable part)',
      DEFAULTS.crashes)
    .option('--drops <n>', 'message losses allowed per path', '0')
    .option('--timers <n>', 'timer firings allowed per path (default: no bound)')
    .option('--retries <n>', 'request resends (client timeouts) allowed per operation', '0')
    .option('--multiset', 'keep identical in-flight copies apart (default: they merge if the ' +
      'protocol survives message loss)')
    .option('--max-states <n>', 'stop after this many unique states')
    .option('--order <bfs|dfs>', 'search order: bfs finds a shortest counterexample, dfs keeps ' +
      'only the current path', 'bfs')
    .option('--symmetry', 'explore states equal up to a renaming of the replicas once (sound ' +
      'only if the protocol treats replica names alike)')
    .option('--workers <n>', 'BFS with the frontier spread over n worker threads (same result ' +
      'as 1)', '1')
    .option('--timeout <seconds>', 'stop after this much wall-clock time')
    .option('--replay <path>', 'replay a comma-separated action-index path instead of searching')
    .option('--json', 'print the result as one JSON document')
    .action((opts: CheckCommandOptions) => setExit(checkCommand(opts)));
}

export function checkCommand(opts: CheckCommandOptions): number | Promise<number> {
  const protocol = chooseProtocol(opts.protocol ?? DEFAULTS.protocol);
  const options = checkerOptions(protocol, opts);
  const out = makeOutput(opts.json === true);
  if (opts.replay !== undefined) return replayPath(protocol, options, parsePath(opts.replay), out);
  return search(protocol, options, opts, out);
}

function search(
  protocol: AnyProtocol, options: CheckerOptions, opts: CheckCommandOptions, out: Output,
): number | Promise<number> {
  const depth = parseSeed(opts.depth ?? DEFAULTS.depth, '--depth');
  let builder = checker(protocol, options).maxDepth(depth).clock(() => performance.now());
  if (opts.maxStates !== undefined) {
    builder = builder.maxStates(parsePositiveInt(opts.maxStates, '--max-states'));
  }
  if (opts.symmetry === true) {
    const replicas = options.replicas ?? 0;
    if (replicas > MAX_SYMMETRIC_REPLICAS) {
      throw new UsageError(`--symmetry: at most ${MAX_SYMMETRIC_REPLICAS} replicas ` +
        `(${replicas}! renamings per state), got ${replicas}`);
    }
    builder = builder.symmetry();
  }
  if (opts.timeout !== undefined) {
    builder = builder.timeout(parsePositiveNumber(opts.timeout, '--timeout'));
  }
  if (process.stderr.isTTY && !opts.json) {
    builder = builder.onProgress((p) =>
      void process.stderr.write(`\rdepth ${p.depth}: ${p.unique} unique states…`));
  }
  const order = parseOrder(opts.order ?? 'bfs');
  const workers = parsePositiveInt(opts.workers ?? '1', '--workers');
  if (workers > 1) {
    if (order === 'dfs') throw new UsageError('--workers: only the BFS frontier is parallel');
    return checkInWorkers(protocol, options, builder.searchOptions(), workers)
      .then((result) => report(result, opts, out));
  }
  return report(order === 'dfs' ? builder.dfs() : builder.bfs(), opts, out);
}

function report(result: CheckResult, opts: CheckCommandOptions, out: Output): number {
  if (process.stderr.isTTY && !opts.json) process.stderr.write('\r\x1b[K');
  if (out.json) out.document(checkDocument(result));
  else out.human(renderCheck(result, replayCommand(opts, result.counterexample)));
  return result.verdict === 'ok' ? 0 : 1;
}

function parseOrder(text: string): 'bfs' | 'dfs' {
  if (text !== 'bfs' && text !== 'dfs') {
    throw new UsageError(`--order: expected bfs or dfs, got '${text}'`);
  }
  return text;
}

function chooseProtocol(name: string): AnyProtocol {
  const protocol = findProtocol(name);
  if (protocol === undefined) {
    const known = protocols.map((p) => p.name).join(', ');
    throw new UsageError(`unknown protocol '${name}' (known: ${known})`);
  }
  return protocol;
}

function checkerOptions(protocol: AnyProtocol, opts: CheckCommandOptions): CheckerOptions {
  const mutant = opts.mutant ?? null;
  if (mutant !== null && !protocol.mutants.some((m) => m.name === mutant)) {
    const known = protocol.mutants.map((m) => m.name).join(', ') || 'none';
    throw new UsageError(`unknown mutant '${mutant}' for ` +
      `protocol ${protocol.name} (known: ${known})`);
  }
  return {
    replicas: parsePositiveInt(opts.replicas ?? DEFAULTS.replicas, '--replicas'),
    clients: parseSeed(opts.clients ?? DEFAULTS.clients, '--clients'),
    ops: parseSeed(opts.ops ?? DEFAULTS.ops, '--ops'),
    crashes: parseSeed(opts.crashes ?? DEFAULTS.crashes, '--crashes'),
    drops: parseSeed(opts.drops ?? '0', '--drops'),
    retries: parseSeed(opts.retries ?? '0', '--retries'),
    timers: opts.timers === undefined ? null : parseSeed(opts.timers, '--timers'),
    network: opts.multiset === true ? 'multiset' : soundNetwork(protocol),
    mutant,
    history: linearizabilityHistoryCheck,
  };
}

function parsePath(text: string): number[] {
  if (text.trim() === '') return [];
  return text.split(',').map((part) => parseSeed(part.trim(), '--replay (each path step)'));
}

function replayPath(
  protocol: AnyProtocol, options: CheckerOptions, path: number[], out: Output,
): number {
  let result;
  try {
    result = replay(protocol, options, path);
  } catch (error) {
    if (error instanceof PathError) throw new UsageError(`--replay: ${error.message}`);
    throw error;
  }
  const cx = result.counterexample;
  if (out.json) {
    out.document({
      schema: 'replisim/check-replay@1', protocol: protocol.name, path, actions: result.actions,
      verdict: cx === null ? 'ok' : 'violation', violation: cx?.violation ?? null,
    });
  } else {
    const verdict = cx === null ? 'verdict: no violation along this path' : violationLine(cx);
    out.human([...numbered(result.actions), verdict].join('\n'));
  }
  return cx === null ? 0 : 1;
}

/** `replisim/check@1`: the result with states/s added. */
function checkDocument(r: CheckResult): unknown {
  return { schema: 'replisim/check@1', ...r, ms: Math.round(r.ms), statesPerSecond: rate(r) };
}

function rate(r: CheckResult): number {
  return r.ms > 0 ? Math.round((r.states * 1000) / r.ms) : 0;
}

function renderCheck(r: CheckResult, replayWith: string): string {
  const c = r.config;
  const lines = [
    `check ${r.protocol}${c.mutant === null ? '' : ` (mutant ${c.mutant})`}: ` +
      `${c.replicas} replicas, ` +
      `${c.clients} clients × ${c.ops} ops, crashes ≤ ${c.crashes}, drops ≤ ${c.drops}, ` +
      `timers ≤ ${c.timers ?? '∞'}, retries ≤ ${c.retries}, network ${c.network}, ` +
      `depth ≤ ${r.maxDepth}, ${r.order}${r.symmetry ? ', symmetry over replica names' : ''}`,
    `states explored: ${r.states}  unique: ${r.unique}  max depth: ${r.depth}`,
    `time: ${(r.ms / 1000).toFixed(2)} s  (${rate(r)} states/s)`,
  ];
  if (r.unknownHistories > 0) {
    lines.push(`histories the linearizability check gave up on: ${r.unknownHistories}`);
  }
  if (r.counterexample === null) {
    lines.push(r.complete ? 'verdict: no violation (the whole bounded space was explored)'
      : 'verdict: no violation found (search cut off by the depth, state or time bound)');
    return lines.join('\n');
  }
  const cx = r.counterexample;
  lines.push(violationLine(cx), `counterexample (${cx.actions.length} actions):`,
    ...numbered(cx.actions), `path: ${cx.path.join(',')}`, `replay with: ${replayWith}`);
  return lines.join('\n');
}

function violationLine(cx: Counterexample): string {
  const where = cx.violation.node === null ? '' : ` at ${cx.violation.node}`;
  return `verdict: VIOLATION (${cx.violation.kind}${where}): ${cx.violation.message}`;
}

function numbered(actions: readonly string[]): string[] {
  const width = String(actions.length).length;
  return actions.map((a, i) => `  ${String(i + 1).padStart(width)}. ${a}`);
}

function replayCommand(opts: CheckCommandOptions, cx: Counterexample | null): string {
  const names = [
    'protocol', 'mutant', 'replicas', 'clients', 'ops', 'crashes', 'drops', 'timers', 'retries',
  ] as const;
  // --order and --symmetry only choose how the space is searched: a path replays without them.
  const flags = names
    .flatMap((k) => (opts[k] === undefined ? [] : [`--${k} ${opts[k]}`]));
  if (opts.multiset === true) flags.push('--multiset');
  return `npx replisim check ${flags.join(' ')}${protocolFileArgs()} ` +
    `--replay ${cx?.path.join(',') ?? ''}`;
}
