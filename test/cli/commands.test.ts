/**
 * The command table drives both dispatch and `--help`: every row is a command with its summary,
 * operand and every option in its help, `--protocol-file` exactly where the row says it takes a
 * protocol, and a parsed command line reaches the row's handler with its options and operand.
 */
import { describe, expect, it } from 'vitest';
import type { CommandSpec } from '../../cli/command-spec.js';
import { commands } from '../../cli/commands.js';
import { program } from '../../cli/program.js';

const noExit = (): void => {};

describe('the command table', () => {
  it('names each command once, each with a summary', () => {
    const names = commands.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const c of commands) expect(c.summary.length).toBeGreaterThan(10);
  });

  it('is what --help lists, in the same order', () => {
    const built = program(noExit).commands.map((c) => c.name());
    expect(built).toEqual(commands.map((c) => c.name));
    const help = program(noExit).helpInformation();
    for (const c of commands) expect(help).toContain(c.name);
  });

  it('every option, default and operand of a row appears in its command\'s --help', () => {
    const built = program(noExit);
    for (const spec of commands) {
      // Commander wraps long help lines: compare with the whitespace folded.
      const help = built.commands.find((c) => c.name() === spec.name)!.helpInformation()
        .replace(/\s+/g, ' ');
      for (const o of spec.options) {
        expect({ command: spec.name, has: help.includes(o.flags) })
          .toEqual({ command: spec.name, has: true });
        if (o.default !== undefined) expect(help).toContain(`(default: "${o.default}")`);
      }
      if (spec.operand !== undefined) expect(help).toContain(spec.operand.help);
      expect(help.includes('--protocol-file')).toBe(spec.takesProtocol === true);
    }
  });

  it('dispatches to the row\'s handler with its options and operand', async () => {
    const seen: unknown[] = [];
    const probe: CommandSpec = {
      name: 'probe', summary: 'a command for this test only', options: [
        { flags: '--seeds <n>', help: 'how many', default: '3' },
        { flags: '--param <p>', help: 'repeatable', repeatable: true },
        { flags: '--no-store', help: 'no folder' },
      ],
      operand: { syntax: '<scenario>', help: 'a scenario' },
      handler: (opts: Record<string, unknown>, scenario: string) => {
        seen.push(scenario, opts);
        return 7;
      },
    };
    let code: number | Promise<number> = -1;
    await program((c) => { code = c; }, [probe])
      .parseAsync(['probe', 'x', '--param', 'a=1', '--param', 'b=2', '--no-store'],
        { from: 'user' });
    expect(code).toBe(7);
    expect(seen).toEqual(['x', { seeds: '3', param: ['a=1', 'b=2'], store: false }]);
  });
});
