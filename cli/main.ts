/**
 * The `replisim` command. Every user error (bad flag, unknown name, unreadable or invalid file)
 * ends as one line on stderr and exit code 2; an unexpected internal error as one line and
 * exit code 4, never a stack trace (set REPLISIM_DEBUG=1 to see one).
 */
import { CommanderError } from 'commander';
import { oneLine } from '../properties/formats/json-bounds.js';
import { ScenarioError } from '../scenarios/errors.js';
import { describeError, UsageError } from './errors.js';
import { loadMainPlugins } from './plugins.js';
import { program } from './program.js';

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
