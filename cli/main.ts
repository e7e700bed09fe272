/**
 * The `replisim` command. Every user error (bad flag, unknown name, unreadable or invalid file)
 * ends as one line on stderr and exit code 2; an unexpected internal error as one line and
 * exit code 4, never a stack trace (set REPLISIM_DEBUG=1 to see one).
 */
import { Command, CommanderError, Option } from 'commander';
import { oneLine } from '../properties/formats/json-bounds.js';
import { ScenarioError } from '../scenarios/errors.js';
import { describeError, UsageError } from './errors.js';
import { listCommand } from './cmd-list.js';
import { parseWorkerLimits } from './args.js';
import { runInThread } from './command-thread.js';
import { registerMoreCommands } from './commands-more.js';
import { collect } from './params.js';
import { loadMainPlugins, loadProtocolFile } from './plugins.js';

/** Commands that take a protocol, so accept `--protocol-file FILE` (cli/plugins.ts). */
const TAKES_PROTOCOL = ['list', 'run', 'replay', 'sweep', 'explore', 'check', 'campaign',
  'compare'];

/**
 * `--protocol-file FILE` on every command that takes a protocol: the file is loaded and
 * registered before the command runs; with one file and no `--protocol`, it is the protocol.
 */
function acceptProtocolFiles(p: Command): void {
  for (const command of p.commands.filter((c) => TAKES_PROTOCOL.includes(c.name()))) {
    command.option('--protocol-file <file>', 'load a protocol from a JavaScript module (its ' +
      'default export, or `protocol`); repeatable', collect);
  }
  p.hook('preAction', async (_program, command) => {
    const given = command.getOptionValue('protocolFile') as string[] | undefined;
    if (given === undefined) return;
    const loaded = [];
    for (const file of given) loaded.push(await loadProtocolFile(file));
    const takesProtocol = command.options.some((o) => o.attributeName() === 'protocol');
    const named = command.getOptionValueSource('protocol') === 'cli';
    if (takesProtocol && loaded.length === 1 && !named) {
      command.setOptionValue('protocol', loaded[0]!.name);
    }
  });
}

const WATCHDOG_HELP = 'watchdog: a run unanswered this long (a protocol step that never ' +
  'returns) is stopped and reported, exit 1';

function program(setExit: (code: number | Promise<number>) => void): Command {
  const p = new Command('replisim')
    .description('Deterministic simulation of replication protocols: run faults, ' +
      'replay any bug from its seed, compare SMART and optimistic primary-backup.')
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      // Commander's own errors (unknown option, missing argument) as one line, like ours.
      // "(Did you mean …?)" comes on a line of its own: folded in, control bytes escaped.
      outputError: (s, write) =>
        write(`replisim: ${oneLine(s.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' '),
          300)} (see --help)\n`),
    });

  p.command('list')
    .description('list scenarios, protocols, mutants, properties and experiments')
    .option('--json', 'print one JSON document')
    .action((opts) => setExit(listCommand(opts)));

  p.command('run')
    .description('one run of SCENARIO (a built-in name or a .json file), ' +
      'checking every property; exit 1 on a violation')
    .argument('<scenario>', 'built-in scenario name, a scenario JSON file, or a saved run, ' +
      'counterexample or regression file (its seed, mutant and protocol unless given)')
    .option('--protocol <name>', 'protocol to run (default: the scenario\'s first)')
    .option('--seed <n>', 'PRNG seed, a non-negative integer (default 1)')
    .option('--mutant <name>', 'run a deliberately broken variant (see `replisim list`)')
    .option('--json', 'print the result as one JSON document')
    .option('--html <file>', 'write a self-contained HTML report')
    .option('--trace <file>', 'write the full trace, one event per line')
    .option('--save <file>', 'write a replayable run file')
    .option('--history <file>', 'write the client history (.edn: Jepsen EDN, else native JSON)')
    .option('--history-format <f>', 'history format: native, edn or porcupine')
    .option('--out <dir>', 'write the run folder (result, history, trace, HTML) into DIR')
    .option('--no-store', 'write no run folder under out/run/')
    .option('--param <p.key=value>', 'override a protocol parameter, e.g. opb.policy=discard ' +
      '(repeatable; a saved run keeps it)', collect)
    .option('--trial-timeout <seconds>', WATCHDOG_HELP, '600')
    .option('--worker-memory <mb>', 'heap budget of the run\'s thread', '1024')
    .action((scenario, opts) => setExit(runInThread({ command: 'run', args: [scenario, opts] },
      parseWorkerLimits(opts, 600), `run ${scenario} --seed ${opts.seed}`)));

  p.command('replay')
    .description('re-run a saved run or counterexample and verify its trace hash; ' +
      'exit 1 if it differs')
    .argument('<file>', 'a file written by `run --save` or `explore`')
    .option('--json', 'print the outcome as one JSON document')
    .option('--html <file>', 'write the self-contained HTML report of the replayed run')
    .option('--trace <file>', 'write the full trace, one event per line')
    .option('--history <file>', 'write the client history (.edn: Jepsen EDN, else native JSON)')
    .option('--history-format <f>', 'history format: native, edn or porcupine')
    .option('--trial-timeout <seconds>', WATCHDOG_HELP, '600')
    .option('--worker-memory <mb>', 'heap budget of the replay\'s thread', '1024')
    .action((file, opts) => setExit(runInThread({ command: 'replay', args: [file, opts] },
      parseWorkerLimits(opts, 600), `replay ${file}`)));

  registerMoreCommands(p, setExit);
  acceptProtocolFiles(p);
  p.addOption(new Option('--no-color', 'disable colours (NO_COLOR is honoured too)').hideHelp());
  return p;
}

export async function main(argv: readonly string[]): Promise<number> {
  let code = 0;
  let pending: Promise<number> | null = null;
  const setExit = (result: number | Promise<number>): void => {
    if (typeof result === 'number') code = result;
    else pending = result;
  };
  if (argv.includes('--no-color')) process.env['NO_COLOR'] = '1';
  if (argv.filter((a) => a !== '--no-color').length === 0) {
    process.stderr.write('replisim: no command given (try `replisim --help`, or ' +
      '`replisim list` for scenarios and protocols)\n');
    return 2;
  }
  try {
    await loadMainPlugins();
    await program(setExit).parseAsync([...argv], { from: 'user' });
    if (pending !== null) code = await pending;
    return code;
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version'
      || error.exitCode === 0) return 0;
    return 2; // Commander already printed its one-line message.
  }
  if (error instanceof UsageError || error instanceof ScenarioError) {
    // Messages may quote input (file names, values): always exactly one safe line.
    process.stderr.write(`replisim: ${oneLine(error.message, 400)}\n`);
    return 2;
  }
  if (process.env['REPLISIM_DEBUG']) process.stderr.write(
    `${(error as Error).stack ?? String(error)}\n`);
  const text = oneLine(describeError(error), 400);
  process.stderr.write(`replisim: internal error: ${text} (please report it; ` +
    `REPLISIM_DEBUG=1 shows the stack)\n`);
  return 4;
}
