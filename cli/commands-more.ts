/** Commands beyond list/run/replay, registered on the same program. */
import type { Command } from 'commander';
import { parsePositiveNumber } from './args.js';
import { findProtocol } from '../protocol/registry.js';
import { builtinScenarios } from '../scenarios/load.js';
import { registerCheckCommand } from './cmd-check.js';
import { campaignCommand } from './cmd-campaign.js';
import { compareCommand, compared } from './cmd-compare.js';
import { experimentCommand } from './cmd-experiment.js';
import { exploreCommand } from './cmd-explore.js';
import { workerCommand } from './cmd-worker.js';
import { lincheckCommand } from './lincheck.js';
import { runCommand } from './cmd-run.js';
import { sweepCommand } from './cmd-sweep.js';
import { collect } from './params.js';
import { runBenchmarks } from '../bench/main.js';

export function registerMoreCommands(p: Command,
  setExit: (code: number | Promise<number>) => void): void {
  p.command('explore')
    .description('random fault schedules (swarm testing); shrink and save each violation; ' +
      'exit 1 if one is found')
    .option('--protocol <name>', 'protocol to explore (default: smart if built in, else the first)')
    .option('--scenario <name>',
      'explore one scenario (default: every built-in scenario of the protocol, by seed)')
    .option('--mutant <name>', 'explore a deliberately broken variant')
    .option('--runs <n>', 'number of trials (default 100)')
    .option('--time <seconds>', 'run trials until this much wall-clock time has passed')
    .option('--workers <k>', 'worker threads (default: min(2, cores))')
    .option('--shard <i/n>',
      'run only trials t with t mod n = i (split the seed space across machines)')
    .option('--seed <n>', 'first seed; trial t uses seed+t', '0')
    .option('--out <dir>', 'where results.jsonl and counterexamples go ' +
      '(default: a new run folder out/explore/<time>/)')
    .option('--shrink-runs <n>', 'at most this many runs to shrink one violation', '100')
    .option('--keep-going', 'keep running after the first violation')
    .option('--resume', 'skip the seeds already in DIR/results.jsonl (without --out: the ' +
      'newest run folder); default: start afresh')
    .option('--trial-timeout <seconds>',
      'watchdog: a trial unanswered this long is stopped and reported', '600')
    .option('--worker-memory <mb>', 'heap budget of each worker thread', '1024')
    .option('--queue <redis-url>', 'run the trials on `replisim worker` processes through a ' +
      'BullMQ queue on this Redis, e.g. redis://127.0.0.1:6379 (needs --runs)')
    .option('--batch <n>', 'seeds per queued batch, with --queue (default 10)')
    .option('--json', 'print a JSON summary on stdout')
    .action((opts) => setExit(exploreCommand(opts)));

  p.command('worker')
    .description('run explore batches from a Redis queue (see `explore --queue`) until ' +
      'stopped; start any number, on any machines')
    .option('--queue <redis-url>', 'the Redis the coordinator uses', 'redis://127.0.0.1:6379')
    .option('--threads <k>', 'worker threads for a batch\'s trials (default: min(2, cores))')
    .option('--lock-seconds <s>', 'a batch whose worker is silent this long is re-run ' +
      'elsewhere', '30')
    .option('--exit-when-idle <seconds>', 'leave once the queue has been empty this long')
    .option('--trial-timeout <seconds>',
      'watchdog: a trial unanswered this long is stopped and reported', '600')
    .option('--worker-memory <mb>', 'heap budget of each worker thread', '1024')
    .action((opts) => setExit(workerCommand(opts)));

  p.command('campaign')
    .description('the protocol\'s fixed campaign (scenarios × seeds, then a fixed number of ' +
      'explore trials), stopped at the first violation; exit 1 if one is found')
    .argument('[protocol]', 'protocol name (see `replisim list`; default: the one of ' +
      '--protocol-file)')
    .option('--mutant <name>', 'run the campaign on a deliberately broken variant')
    .option('--scenarios <list>', 'comma-separated scenario names or files for a protocol ' +
      'without a listed campaign (default: every built-in scenario it runs on)')
    .option('--json', 'print the outcome as one JSON document')
    .action((protocol, opts) => setExit(campaignCommand(protocol, opts)));

  p.command('sweep')
    .description('one scenario over many seeds, every property checked on each; per-property ' +
      'counts and a reproduce command per failing seed; exit 1 if one fails')
    .argument('<scenario>', 'built-in scenario name or path to a scenario JSON file')
    .option('--protocol <name>', 'protocol to run (default: the scenario\'s first)')
    .option('--mutant <name>', 'sweep a deliberately broken variant')
    .option('--seeds <n>', 'how many seeds', '100')
    .option('--seed <n>', 'first seed', '0')
    .option('--workers <k>', 'worker threads (default: min(2, cores))')
    .option('--param <p.key=value>', 'override a protocol parameter, e.g. opb.logKeep=4 ' +
      '(repeatable)', collect)
    .option('--trial-timeout <seconds>',
      'watchdog: a seed unanswered this long is stopped and reported', '300')
    .option('--worker-memory <mb>', 'heap budget of each worker thread', '1024')
    .option('--out <dir>', 'write the run folder (results.json, seed-N/ with report, history, ' +
      'trace) into DIR')
    .option('--no-store', 'write no run folder under out/sweep/')
    .option('--json', 'print a JSON summary on stdout')
    .action((name, opts) => setExit(sweepCommand(name, opts)));

  p.command('experiment')
    .description('reproduce a paper\'s result: tables of our figures beside the paper\'s, ' +
      'with shape checks; exit 1 if a shape check fails')
    .argument('<name>', 'experiment name (see `replisim list`)')
    .option('--seeds <n>', 'seeds per measured point (default: the experiment\'s, else 3)')
    .option('--ablate <mechanism>', 'switch a mechanism off in every arm (see `replisim list`); ' +
      'the checks it explains should then fail')
    .option('--out <dir>', 'write NAME.json and a self-contained NAME.html there ' +
      '(default: a new run folder out/experiment/<time>/)')
    .option('--no-store', 'write no run folder')
    .option('--json', 'print the result as one JSON document')
    .action((name, opts) => setExit(experimentCommand(name, opts)));

  registerCheckCommand(p, setExit);

  p.command('compare')
    .description('two protocols (default SMART and optimistic primary-backup) on the same ' +
      'faults and seeds: availability, latency, anomalies, convergence')
    .option('--protocols <a,b>', 'the two protocols to compare', 'smart,opb')
    .option('--scenarios <list>',
      'comma-separated scenario names or files (default: every built-in scenario both run on)')
    .option('--seeds <n>', 'seeds per scenario and protocol', '3')
    .option('--out <dir>', 'write compare.json and a self-contained compare.html there ' +
      '(default: a new run folder out/compare/<time>/)')
    .option('--no-store', 'write no run folder')
    .option('--json', 'print the rows as one JSON document')
    .action((opts) => setExit(compareCommand(opts)));

  p.command('lincheck')
    .description('linearizability of history files (native JSON, Porcupine kv logs, ' +
      'Jepsen etcd logs, Jepsen EDN)')
    .argument('<files...>', 'history files')
    .option('--format <f>', 'input format (default: detected from the content)')
    .option('--model <m>', 'sequential model: kv, etcd-cas-register or knossos-cas-register ' +
      '(default: by format); a register may start at a value: knossos-cas-register:0 or ' +
      '"(cas-register 0)"')
    .option('--timeout <seconds>', 'budget per file; past it the verdict is unknown (exit 3)')
    .option('--json', 'print one JSON array with one result per file')
    .action((files, opts) => setExit(lincheckCommand(files, {
      ...opts, ...(opts.timeout === undefined ? {} : { timeout: parsePositiveNumber(opts.timeout,
        '--timeout') }),
    })));

  p.command('start')
    .description('the main job on built-in defaults (what `npm start` runs)')
    .action(() => setExit(startCommand()));

  p.command('bench')
    .description('performance figures (simulated events/s, checker timings) as JSON')
    .option('--json', 'print only the JSON document (progress goes to stderr either way)')
    .action(() => setExit(runBenchmarks().then((doc) => {
      process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      return 0;
    })));
}

/**
 * The main job on built-in defaults: SMART vs OPB on every scenario both run on (2 seeds each);
 * without both protocols, one built-in run with its summary.
 */
function startCommand(): number {
  const both = compared.every((p) => findProtocol(p) !== undefined) &&
    builtinScenarios().some((s) => compared.every((p) => s.protocols.includes(p)));
  if (both) {
    process.stdout.write('replisim: SMART vs optimistic primary-backup on the same faults (2 ' +
      'seeds per scenario);\n' +
      '  details: `replisim compare --seeds 5 --out out/compare`,\n' +
      '  one run: `replisim run SCENARIO`, help: `replisim --help`\n\n');
    return compareCommand({ seeds: '2' });
  }
  process.stdout.write('replisim: running the built-in scenario example-partition (seed 1); ' +
    'see `replisim --help`\n\n');
  return runCommand('example-partition', { seed: '1' });
}
