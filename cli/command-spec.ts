/**
 * What a `replisim` command is: a name, a one-line summary, its operand and options, and the
 * handler that runs it. The table in commands.ts holds every command; program.ts turns it into
 * the Commander program that dispatches and prints `--help`, so both always agree.
 */

export interface OptionSpec {
  /** Commander's flags, e.g. `--seed <n>` or `--no-store`. */
  readonly flags: string;
  readonly help: string;
  /** Shown in `--help` and used when the flag is absent. */
  readonly default?: string;
  /** The flag may be given several times; its value is then the list. */
  readonly repeatable?: true;
}

export interface OperandSpec {
  /** Commander's syntax: `<name>` required, `[name]` optional, `<name...>` a list. */
  readonly syntax: string;
  readonly help: string;
}

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly operand?: OperandSpec;
  readonly options: readonly OptionSpec[];
  /** It runs a protocol, so it also takes `--protocol-file FILE` (cli/plugins.ts). */
  readonly takesProtocol?: true;
  /**
   * Runs the command with its parsed options (and operand, if it has one) and answers its exit
   * code. Each handler states its own option and operand types where it is written; `never`
   * here accepts them all, and program.ts is the one place that hands Commander's values over.
   */
  readonly handler: (opts: never, operand: never) => number | Promise<number>;
}
