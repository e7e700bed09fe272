/**
 * Every `replisim` command, in `--help` order: name, summary, operand, options and handler.
 * This table is the only place a command is declared; program.ts builds dispatch and help from
 * it. To add a command: write its handler in cli/cmd-NAME.ts (rendering in reports/), then add
 * its row here.
 */
import { parsePositiveNumber, parseWorkerLimits } from './args.js';
import { CHECK_DEFAULTS } from './check-defaults.js';
import type { CampaignOptions } from './cmd-campaign.js';
import type { CheckCommandOptions } from './cmd-check.js';
import type { CompareOptions } from './cmd-compare.js';
import type { ExperimentOptions } from './cmd-experiment.js';
import type { ExploreOptions } from './cmd-explore.js';
import type { ReplayOptions } from './cmd-replay.js';
import type { RunOptions } from './cmd-run.js';
import type { SweepOptions } from './cmd-sweep.js';
import type { WorkerOptions } from './cmd-worker.js';
import type { CommandSpec, OptionSpec } from './command-spec.js';

// Each handler imports its command's module when it runs, so starting `replisim` loads only
// the command table: a command (or a bad-input error) does not pay for loading every other
// command's modules (about 0.35 CPU-s of the 0.45 the eager imports cost).

/** A command run in a thread of its own (command-thread.ts), its module loaded when it runs. */
const runInThread: typeof import('./command-thread.js').runInThread = async (...args) =>
  (await import('./command-thread.js')).runInThread(...args);

const WATCHDOG_HELP = 'watchdog: a run unanswered this long (a protocol step that never ' +
  'returns) is stopped and reported, exit 1';
const TRIAL_WATCHDOG_HELP = 'watchdog: a trial unanswered this long is stopped and reported';
const STATE_COVERAGE = { flags: '--state-coverage', help: 'count the distinct protocol states ' +
  'the runs visited and how fast the count saturates (64-bit fingerprints; costs CPU)' };

const RECORD = { flags: '--record', help: 'keep every run\'s message record, so the checks ' +
  'judged from it run too (they skip otherwise; about 2x the CPU on smart, 1.2x on opb)' };

/** The options of a command run in a thread of its own (command-thread.ts). */
type InThread<O> = O & { trialTimeout?: string; workerMemory?: string };

const json = (help: string): OptionSpec => ({ flags: '--json', help });
const memory = (whose: string): OptionSpec =>
  ({ flags: '--worker-memory <mb>', help: `heap budget of ${whose}`, default: '1024' });

export const commands: readonly CommandSpec[] = [
  {
    name: 'list',
    summary: 'list scenarios, protocols, mutants, properties and experiments',
    options: [json('print one JSON document')],
    takesProtocol: true,
    handler: async (opts: { json?: boolean }) => (await import('./cmd-list.js')).listCommand(opts),
  },
  {
    name: 'run',
    summary: 'one run of SCENARIO (a built-in name or a .json file), ' +
      'checking every property; exit 1 on a violation',
    operand: { syntax: '<scenario>', help: 'built-in scenario name, a scenario JSON file, or a ' +
      'saved run, counterexample or regression file (its seed, mutant and protocol unless ' +
      'given)' },
    options: [
      { flags: '--protocol <name>', help: 'protocol to run (default: the scenario\'s first)' },
      { flags: '--seed <n>', help: 'PRNG seed, a non-negative integer (default 1)' },
      { flags: '--mutant <name>', help: 'run a deliberately broken variant (see `replisim list`)' },
      json('print the result as one JSON document'),
      { flags: '--html <file>', help: 'write a self-contained HTML report' },
      { flags: '--trace <file>', help: 'write the full trace, one event per line' },
      { flags: '--save <file>', help: 'write a replayable run file' },
      { flags: '--history <file>',
        help: 'write the client history (.edn: Jepsen EDN, else native JSON)' },
      { flags: '--history-format <f>', help: 'history format: native, edn or porcupine' },
      { flags: '--out <dir>',
        help: 'write the run folder (result, history, trace, HTML) into DIR' },
      { flags: '--no-store', help: 'write no run folder under out/run/' },
      { flags: '--record', help: 'keep the message record, so the checks judged from it run ' +
        '(kept anyway with a run folder, --save, --trace or --html; they skip otherwise)' },
      { flags: '--param <p.key=value>', help: 'override a protocol parameter, e.g. ' +
        'opb.policy=discard (repeatable; a saved run keeps it)', repeatable: true },
      { flags: '--trial-timeout <seconds>', help: WATCHDOG_HELP, default: '600' },
      memory('the run\'s thread'),
    ],
    takesProtocol: true,
    // In a thread of its own: a step that never returns or exhausts memory is a finding.
    handler: (opts: InThread<RunOptions>, scenario: string) => runInThread(
      { command: 'run', args: [scenario, opts] }, parseWorkerLimits(opts, 600),
      `run ${scenario} --seed ${opts.seed}`),
  },
  {
    name: 'replay',
    summary: 're-run a saved run or counterexample and verify its trace hash; ' +
      'exit 1 if it differs',
    operand: { syntax: '<file>', help: 'a file written by `run --save` or `explore`' },
    options: [
      json('print the outcome as one JSON document'),
      { flags: '--html <file>', help: 'write the self-contained HTML report of the replayed run' },
      { flags: '--trace <file>', help: 'write the full trace, one event per line' },
      { flags: '--history <file>',
        help: 'write the client history (.edn: Jepsen EDN, else native JSON)' },
      { flags: '--history-format <f>', help: 'history format: native, edn or porcupine' },
      { flags: '--trial-timeout <seconds>', help: WATCHDOG_HELP, default: '600' },
      memory('the replay\'s thread'),
    ],
    takesProtocol: true,
    handler: (opts: InThread<ReplayOptions>, file: string) => runInThread(
      { command: 'replay', args: [file, opts] }, parseWorkerLimits(opts, 600), `replay ${file}`),
  },
  {
    name: 'explore',
    summary: 'random fault schedules (swarm testing); shrink and save each violation; ' +
      'exit 1 if one is found',
    options: [
      { flags: '--protocol <name>',
        help: 'protocol to explore (default: smart if built in, else the first)' },
      { flags: '--scenario <name>',
        help: 'explore one scenario (default: every built-in scenario of the protocol, by seed)' },
      { flags: '--mutant <name>', help: 'explore a deliberately broken variant' },
      { flags: '--runs <n>', help: 'number of trials (default 100)' },
      { flags: '--time <seconds>', help: 'run trials until this much wall-clock time has passed' },
      { flags: '--workers <k>', help: 'worker threads (default: min(2, cores))' },
      { flags: '--shard <i/n>',
        help: 'run only trials t with t mod n = i (split the seed space across machines)' },
      { flags: '--seed <n>', help: 'first seed; trial t uses seed+t', default: '0' },
      { flags: '--out <dir>', help: 'where results.jsonl and counterexamples go ' +
        '(default: a new run folder out/explore/<time>/)' },
      { flags: '--shrink-runs <n>', help: 'at most this many runs to shrink one violation',
        default: '100' },
      { flags: '--keep-going', help: 'keep running after the first violation (without it, ' +
        'the summary stops at the first failing seed)' },
      { flags: '--resume', help: 'skip the seeds already in DIR/results.jsonl (without --out: ' +
        'the newest run folder); default: start afresh' },
      { flags: '--trial-timeout <seconds>', help: TRIAL_WATCHDOG_HELP, default: '600' },
      memory('each worker thread'),
      { flags: '--queue <redis-url>', help: 'run the trials on `replisim worker` processes ' +
        'through a BullMQ queue on this Redis, e.g. redis://127.0.0.1:6379 (needs --runs)' },
      { flags: '--batch <n>', help: 'seeds per queued batch, with --queue (default 10)' },
      STATE_COVERAGE,
      RECORD,
      json('print a JSON summary on stdout'),
    ],
    takesProtocol: true,
    handler: async (opts: ExploreOptions) =>
      (await import('./cmd-explore.js')).exploreCommand(opts),
  },
  {
    name: 'worker',
    summary: 'run explore batches from a Redis queue (see `explore --queue`) until ' +
      'stopped; start any number, on any machines',
    options: [
      { flags: '--queue <redis-url>', help: 'the Redis the coordinator uses',
        default: 'redis://127.0.0.1:6379' },
      { flags: '--threads <k>',
        help: 'worker threads for a batch\'s trials (default: min(2, cores))' },
      { flags: '--lock-seconds <s>', help: 'a batch whose worker is silent this long is re-run ' +
        'elsewhere', default: '30' },
      { flags: '--exit-when-idle <seconds>',
        help: 'leave once the queue has been empty this long' },
      { flags: '--trial-timeout <seconds>', help: TRIAL_WATCHDOG_HELP, default: '600' },
      memory('each worker thread'),
    ],
    // BullMQ and ioredis load with the command that needs them, not with every command.
    handler: async (opts: WorkerOptions) =>
      (await import('./cmd-worker.js')).workerCommand(opts),
  },
  {
    name: 'campaign',
    summary: 'the protocol\'s fixed campaign (scenarios × seeds, then a fixed number of ' +
      'explore trials), stopped at the first violation; exit 1 if one is found',
    operand: { syntax: '[protocol]', help: 'protocol name (see `replisim list`; default: the ' +
      'one of --protocol-file)' },
    options: [
      { flags: '--mutant <name>', help: 'run the campaign on a deliberately broken variant' },
      { flags: '--scenarios <list>', help: 'comma-separated scenario names or files for a ' +
        'protocol without a listed campaign (default: every built-in scenario it runs on)' },
      json('print the outcome as one JSON document'),
      { flags: '--trial-timeout <seconds>', help: 'watchdog: a step unanswered this long (a ' +
        'protocol step that never returns) is stopped and reported with its reproduce command, ' +
        'exit 1', default: '600' },
      memory('the campaign\'s thread'),
    ],
    takesProtocol: true,
    // In a thread of its own, like `run`: a step that never returns is a finding, not a hang.
    handler: (opts: InThread<CampaignOptions>, protocol: string | undefined) => runInThread(
      { command: 'campaign', args: [protocol, opts] }, parseWorkerLimits(opts, 600),
      ['campaign', protocol, opts.mutant === undefined ? undefined : `--mutant ${opts.mutant}`]
        .filter((w) => w !== undefined).join(' ')),
  },
  {
    name: 'sweep',
    summary: 'one scenario over many seeds, every property checked on each; per-property ' +
      'counts and a reproduce command per failing seed; exit 1 if one fails',
    operand: { syntax: '<scenario>',
      help: 'built-in scenario name or path to a scenario JSON file' },
    options: [
      { flags: '--protocol <name>', help: 'protocol to run (default: the scenario\'s first)' },
      { flags: '--mutant <name>', help: 'sweep a deliberately broken variant' },
      { flags: '--seeds <n>', help: 'how many seeds', default: '100' },
      { flags: '--seed <n>', help: 'first seed', default: '0' },
      { flags: '--workers <k>', help: 'worker threads (default: min(2, cores))' },
      { flags: '--param <p.key=value>', help: 'override a protocol parameter, e.g. ' +
        'opb.logKeep=4 (repeatable)', repeatable: true },
      { flags: '--trial-timeout <seconds>',
        help: 'watchdog: a seed unanswered this long is stopped and reported', default: '300' },
      memory('each worker thread'),
      { flags: '--out <dir>', help: 'write the run folder (results.json, seed-N/ with report, ' +
        'history, trace) into DIR' },
      { flags: '--no-store', help: 'write no run folder under out/sweep/' },
      STATE_COVERAGE,
      RECORD,
      json('print a JSON summary on stdout'),
    ],
    takesProtocol: true,
    handler: async (opts: SweepOptions, scenario: string) =>
      (await import('./cmd-sweep.js')).sweepCommand(scenario, opts),
  },
  {
    name: 'experiment',
    summary: 'reproduce a paper\'s result: tables of our figures beside the paper\'s, ' +
      'with shape checks; exit 1 if a shape check fails',
    operand: { syntax: '<name>', help: 'experiment name (see `replisim list`)' },
    options: [
      { flags: '--seeds <n>',
        help: 'seeds per measured point (default: the experiment\'s, else 3)' },
      { flags: '--ablate <mechanism>', help: 'switch a mechanism off in every arm (see ' +
        '`replisim list`); the checks it explains should then fail' },
      { flags: '--out <dir>', help: 'write NAME.json and a self-contained NAME.html there ' +
        '(default: a new run folder out/experiment/<time>/)' },
      { flags: '--no-store', help: 'write no run folder' },
      json('print the result as one JSON document'),
    ],
    handler: async (opts: ExperimentOptions, name: string) =>
      (await import('./cmd-experiment.js')).experimentCommand(name, opts),
  },
  {
    name: 'check',
    summary: 'exhaustive bounded model checking (BFS or DFS, state fingerprints) of a small ' +
      'closed system; exit 1 on a violation',
    options: [
      { flags: '--protocol <name>', help: 'protocol to check', default: CHECK_DEFAULTS.protocol },
      { flags: '--mutant <name>', help: 'check a deliberately broken variant' },
      { flags: '--replicas <r>', help: 'replicas n1..nR', default: CHECK_DEFAULTS.replicas },
      { flags: '--clients <c>', help: 'clients, each issuing its ops one at a time',
        default: CHECK_DEFAULTS.clients },
      { flags: '--ops <k>', help: 'operations per client (alternating put/get of one key)',
        default: CHECK_DEFAULTS.ops },
      { flags: '--depth <d>', help: 'maximum number of actions in a path',
        default: CHECK_DEFAULTS.depth },
      { flags: '--crashes <n>', help: 'crashes allowed per path (restarts keep the durable part)',
        default: CHECK_DEFAULTS.crashes },
      { flags: '--drops <n>', help: 'message losses allowed per path', default: '0' },
      { flags: '--timers <n>', help: 'timer firings allowed per path (default: no bound)' },
      { flags: '--retries <n>', help: 'request resends (client timeouts) allowed per operation',
        default: '0' },
      { flags: '--multiset', help: 'keep identical in-flight copies apart (default: they merge ' +
        'if the protocol survives message loss)' },
      { flags: '--max-states <n>', help: 'stop after this many unique states' },
      { flags: '--order <bfs|dfs>', help: 'search order: bfs finds a shortest counterexample, ' +
        'dfs keeps only the current path', default: 'bfs' },
      { flags: '--symmetry', help: 'explore states equal up to a renaming of the replicas once ' +
        '(sound only if the protocol treats replica names alike)' },
      { flags: '--workers <n>', help: 'BFS with the frontier spread over n worker threads ' +
        '(same result as 1)', default: '1' },
      { flags: '--timeout <seconds>', help: 'stop after this much wall-clock time (reported ' +
        'as stopped, not as an answer; --max-states ends the same way on every machine)' },
      { flags: '--replay <path>',
        help: 'replay a comma-separated action-index path instead of searching' },
      json('print the result as one JSON document'),
    ],
    takesProtocol: true,
    handler: async (opts: CheckCommandOptions) =>
      (await import('./cmd-check.js')).checkCommand(opts),
  },
  {
    name: 'compare',
    summary: 'two protocols (default SMART and optimistic primary-backup) on the same ' +
      'faults and seeds: availability, latency, anomalies, convergence',
    options: [
      { flags: '--protocols <a,b>', help: 'the two protocols to compare', default: 'smart,opb' },
      { flags: '--scenarios <list>', help: 'comma-separated scenario names or files (default: ' +
        'every built-in scenario both run on)' },
      { flags: '--seeds <n>', help: 'seeds per scenario and protocol', default: '3' },
      { flags: '--out <dir>', help: 'write compare.json and a self-contained compare.html there ' +
        '(default: a new run folder out/compare/<time>/)' },
      { flags: '--no-store', help: 'write no run folder' },
      json('print the rows as one JSON document'),
    ],
    takesProtocol: true,
    handler: async (opts: CompareOptions) =>
      (await import('./cmd-compare.js')).compareCommand(opts),
  },
  {
    name: 'lincheck',
    summary: 'linearizability of history files (native JSON, Porcupine kv logs, ' +
      'Jepsen etcd logs, Jepsen EDN)',
    operand: { syntax: '<files...>', help: 'history files' },
    options: [
      { flags: '--format <f>', help: 'input format (default: detected from the content)' },
      { flags: '--model <m>', help: 'sequential model: kv, etcd-cas-register or ' +
        'knossos-cas-register (default: by format); a register may start at a value: ' +
        'knossos-cas-register:0 or "(cas-register 0)"' },
      { flags: '--timeout <seconds>',
        help: 'budget per file; past it the verdict is unknown (exit 3)' },
      json('print one JSON array with one result per file'),
    ],
    handler: ({ timeout, ...opts }: { format?: string; model?: string; timeout?: string;
      json?: boolean }, files: string[]) => import('./cmd-lincheck.js').then((m) =>
      m.lincheckCommand(files, { ...opts,
        ...(timeout === undefined ? {} : { timeout: parsePositiveNumber(timeout, '--timeout') }),
      })),
  },
  {
    name: 'start',
    summary: 'the main job on built-in defaults (what `npm start` runs)',
    options: [],
    handler: async () => (await import('./cmd-start.js')).startCommand(),
  },
  {
    name: 'bench',
    summary: 'performance figures (simulated events/s, checker timings) as JSON',
    options: [json('print only the JSON document (progress goes to stderr either way)')],
    handler: async () => (await import('../bench/main.js')).runBenchmarks().then((doc) => {
      process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      return 0;
    }),
  },
];
