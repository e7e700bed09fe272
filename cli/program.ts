/**
 * The Commander program built from the command table (commands.ts): one loop declares each
 * command's operand, options and handler, so dispatch and `--help` come from the same rows.
 */
import { Command, Option } from 'commander';
import { oneLine } from '../properties/formats/json-bounds.js';
import type { CommandSpec } from './command-spec.js';
import { commands } from './commands.js';
import { loadProtocolFile } from './plugins.js';

/** Collects a repeatable option (commander's custom processing). */
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Where a handler's exit code goes: a number now, or a promise of one. */
export type SetExit = (code: number | Promise<number>) => void;

const PROTOCOL_FILE_HELP = 'load a protocol from a JavaScript module (its default export, or ' +
  '`protocol`); repeatable';

/** Declares one command of the table on `p`; its handler's exit code goes to `setExit`. */
export function addCommand(p: Command, spec: CommandSpec, setExit: SetExit): Command {
  const command = p.command(spec.name).description(spec.summary);
  if (spec.operand !== undefined) command.argument(spec.operand.syntax, spec.operand.help);
  for (const o of spec.options) {
    if (o.repeatable === true) command.option(o.flags, o.help, collect);
    else if (o.default !== undefined) command.option(o.flags, o.help, o.default);
    else command.option(o.flags, o.help);
  }
  if (spec.takesProtocol === true) command.option('--protocol-file <file>', PROTOCOL_FILE_HELP,
    collect);
  // Commander passes the operand (when declared) before the options.
  command.action((...given: unknown[]) => {
    const opts = given[spec.operand === undefined ? 0 : 1];
    const operand = spec.operand === undefined ? undefined : given[0];
    setExit(spec.handler(opts as never, operand as never));
  });
  return command;
}

/**
 * `--protocol-file FILE`: the files are loaded and registered before the command runs; with one
 * file and no `--protocol`, it is the protocol.
 */
function loadProtocolFilesFirst(p: Command): void {
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

export function program(setExit: SetExit, table: readonly CommandSpec[] = commands): Command {
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
  for (const spec of table) addCommand(p, spec, setExit);
  loadProtocolFilesFirst(p);
  p.addOption(new Option('--no-color', 'disable colours (NO_COLOR is honoured too)').hideHelp());
  return p;
}
