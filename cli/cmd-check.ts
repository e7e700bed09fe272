/**
 * `replisim check`: exhaustive bounded model checking (DESIGN §5) of a built-in protocol over
 * every interleaving of a small closed system. Exit 0: no violation within the bounds;
 * 1: a violation (printed as a numbered list of actions plus the action-index path that replays
 * it, `--replay PATH`); 2: bad input.
 */
import { findProtocol, protocols } from '../protocol/registry.js';
import type { AnyProtocol } from '../protocol/types.js';
import { linearizabilityHistoryCheck } from '../properties/linearizable.js';
import {
  checker, MAX_SYMMETRIC_REPLICAS, PathError, replay, soundNetwork,
  type CheckerOptions, type CheckResult, type Counterexample,
} from '../simulator/checker/index.js';
import {
  checkDocument, checkReplayDocument, renderCheck, renderCheckProgress, renderCheckReplay,
} from '../reports/check.js';
import { parsePositiveInt, parsePositiveNumber, parseSeed } from './args.js';
import { CHECK_DEFAULTS } from './check-defaults.js';
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


export function checkCommand(opts: CheckCommandOptions): number | Promise<number> {
  const protocol = chooseProtocol(opts.protocol ?? CHECK_DEFAULTS.protocol);
  const options = checkerOptions(protocol, opts);
  const out = makeOutput(opts.json === true);
  if (opts.replay !== undefined) return replayPath(protocol, options, parsePath(opts.replay), out);
  return search(protocol, options, opts, out);
}

function search(
  protocol: AnyProtocol, options: CheckerOptions, opts: CheckCommandOptions, out: Output,
): number | Promise<number> {
  const depth = parseSeed(opts.depth ?? CHECK_DEFAULTS.depth, '--depth');
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
      void process.stderr.write(renderCheckProgress(p)));
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
  // Stopped by the wall clock: no answer either way (as lincheck's 'unknown').
  if (result.cutOff === 'time') return 3;
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
    replicas: parsePositiveInt(opts.replicas ?? CHECK_DEFAULTS.replicas, '--replicas'),
    clients: parseSeed(opts.clients ?? CHECK_DEFAULTS.clients, '--clients'),
    ops: parseSeed(opts.ops ?? CHECK_DEFAULTS.ops, '--ops'),
    crashes: parseSeed(opts.crashes ?? CHECK_DEFAULTS.crashes, '--crashes'),
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
  if (out.json) out.document(checkReplayDocument(protocol.name, path, result.actions, cx));
  else out.human(renderCheckReplay(result.actions, cx));
  return cx === null ? 0 : 1;
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
