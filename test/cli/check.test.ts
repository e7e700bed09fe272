/**
 * `replisim check` in-process: exit codes (0 none · 1 violation · 2 bad input, as a UsageError
 * the CLI prints as one line), one JSON document with --json, and --replay of a printed path.
 * The registry is stubbed to the example protocol so these tests do not depend on others.
 */
import { Command } from 'commander';
import { describe, expect, test, vi } from 'vitest';
import { captureStdout } from '../helpers/capture.js';
import { commands } from '../../cli/commands.js';
import { addCommand } from '../../cli/program.js';
import { UsageError } from '../../cli/errors.js';

vi.mock('../../protocol/registry.js', async () => {
  const { primaryCopy } = await import('../../protocol/example/primary-copy.js');
  return { protocols: [primaryCopy],
    findProtocol: (name: string) => (name === 'example' ? primaryCopy : undefined) };
});

const stdout = captureStdout();

async function check(...args: string[]): Promise<number> {
  let code = -1;
  const program = new Command('replisim').exitOverride();
  addCommand(program, commands.find((c) => c.name === 'check')!,
    (c) => { code = c as number; });
  await program.parseAsync(['check', ...args], { from: 'user' });
  return code;
}

const mutant = ['--mutant', 'example:volatile-log', '--clients', '1', '--ops', '2'];

describe('replisim check', () => {
  test('defaults: the whole space of the example protocol, exit 0, one JSON document', async () => {
    expect(await check('--json')).toBe(0);
    expect(stdout.lines()).toHaveLength(1);
    const doc = JSON.parse(stdout.lines()[0]!) as Record<string, unknown>;
    expect(doc).toMatchObject({ schema: 'replisim/check@1', protocol: 'example', verdict: 'ok',
      unique: 11536, complete: true });
    expect(doc['statesPerSecond']).toBeGreaterThan(0);
  });

  test('stopped by --timeout: exit 3 and cutOff time, not a verdict; --max-states: exit 0',
    async () => {
      // The whole space takes ~11,500 unique states: far more than 1 ms on any machine.
      expect(await check('--timeout', '0.001', '--json')).toBe(3);
      const doc = JSON.parse(stdout.lines()[0]!) as Record<string, unknown>;
      expect(doc).toMatchObject({ verdict: 'ok', complete: false, cutOff: 'time' });
      expect(await check('--max-states', '100')).toBe(0);
      expect(stdout.text()).toContain('cut off by the states bound');
    });

  test('a mutant: exit 1, numbered counterexample, a path that --replay reproduces', async () => {
    expect(await check(...mutant)).toBe(1);
    const text = stdout.text();
    expect(text).toMatch(/states\/s/);
    expect(text).toContain('verdict: VIOLATION (linearizability)');
    expect(text).toContain('   1. c0 invoke #0 put k0=c0.1');
    const path = /^path: ([\d,]+)$/m.exec(text)![1]!;
    stdout.clear();
    expect(await check(...mutant, '--replay', path, '--json')).toBe(1);
    const doc = JSON.parse(stdout.text()) as { violation: { kind: string }; actions: string[] };
    expect(doc.violation.kind).toBe('linearizability');
    expect(doc.actions).toHaveLength(path.split(',').length);
    stdout.clear();
    // Correct protocol.
    expect(await check('--clients', '1', '--ops', '2', '--replay', path)).toBe(0);
  });

  test('bad input is a UsageError (exit 2)', async () => {
    await expect(check('--protocol', 'nope')).rejects.toThrow(UsageError);
    await expect(check('--mutant', 'example:nope')).rejects.toThrow(/unknown mutant/);
    await expect(check('--replicas', '0')).rejects.toThrow(/--replicas/);
    await expect(check('--depth', '-1')).rejects.toThrow(/--depth/);
    await expect(check('--replay', '0,99')).rejects.toThrow(/not enabled/);
  });
});

describe('replisim check --order and --symmetry', () => {
  test('dfs explores the same whole space; symmetry is reported; bad values are one line',
    async () => {
      expect(await check('--order', 'dfs', '--symmetry', '--clients', '1', '--ops', '2',
        '--json')).toBe(0);
      const doc = JSON.parse(stdout.lines()[0]!) as Record<string, unknown>;
      expect(doc).toMatchObject({ order: 'dfs', symmetry: true, unique: 1040, complete: true });
      await expect(check('--order', 'sideways')).rejects.toThrow(/--order: expected bfs or dfs/);
      await expect(check('--symmetry', '--replicas', '6')).rejects.toThrow(/at most 5/);
    });
});
