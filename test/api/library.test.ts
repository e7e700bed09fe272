/**
 * The library API, imported by its package name as a user's code does (`replisim` resolves to
 * the build, as package.json's `exports` say): each wrapper gives what the matching command
 * gives, and each verdict has a case where it fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  check, defineProtocol, explore, lincheck, protocols, simulate, sweep, type AnyProtocol,
} from 'replisim';
import { cli, root } from '../helpers/cli.js';

const example = join(root, 'examples/single-copy');
const protocolFile = join(example, 'single-copy.js');
const scenario = join(example, 'scenario.json');
const mutant = 'single-copy:volatile';
const singleCopy = ((await import(protocolFile)) as { default: AnyProtocol }).default;

describe('defineProtocol', () => {
  it('returns a valid protocol as it is, and names the field that is wrong otherwise', () => {
    expect(defineProtocol(singleCopy)).toBe(singleCopy);
    const { defaults: _d, ...noDefaults } = singleCopy;
    expect(() => defineProtocol(noDefaults as typeof singleCopy))
      .toThrow('single-copy: defaults must be an object of parameters');
    expect(() => defineProtocol({ ...singleCopy, mutants: [{ name: 'bug', description: '' }] }))
      .toThrow('mutant "bug" must be named "single-copy:<bug>"');
    expect(() => defineProtocol({ ...singleCopy, client: { target: 'first' } as never }))
      .toThrow('client must be');
  });
});

describe('simulate, sweep, explore: the commands\' results, in process', () => {
  it('simulate gives the trace hash `replisim run` prints for the same seed', () => {
    const run = simulate({ scenario, protocol: singleCopy, seed: 3 });
    expect(run.ok).toBe(true);
    expect(protocols().map((p) => p.name)).toContain('single-copy');
    const r = cli(['run', scenario, '--protocol-file', protocolFile, '--seed', '3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { traceHash: string }).traceHash)
      .toBe(run.record.traceHash);
  });
  it('simulate reports the mutant\'s lost writes as a linearizability violation', () => {
    const run = simulate({ scenario, protocol: 'single-copy', seed: 3, mutant });
    expect(run.ok).toBe(false);
    expect(run.violations.map((v) => v.property)).toContain('linearizability');
  });
  it('sweep: every seed passes unmutated; the mutant fails where the CLI says', () => {
    expect(sweep({ scenario, protocol: singleCopy, seeds: 3 }).failedSeeds).toEqual([]);
    const broken = sweep({ scenario, protocol: singleCopy, seeds: 3, mutant });
    expect(broken.ok).toBe(false);
    const r = cli(['sweep', scenario, '--protocol-file', protocolFile, '--seeds', '3',
      '--mutant', mutant, '--json']);
    expect(r.code).toBe(1);
    expect(broken.failedSeeds).toEqual((JSON.parse(r.stdout) as { failedSeeds: number[] })
      .failedSeeds);
  });
  it('explore: no violation unmutated; the mutant gives a shrunk, replayable counterexample',
    () => {
      expect(explore({ scenario, protocol: singleCopy, trials: 3 }).ok).toBe(true);
      const found = explore({ scenario, protocol: singleCopy, trials: 10, mutant });
      expect(found.ok).toBe(false);
      const cx = found.counterexample!;
      expect(cx.schema).toBe('replisim/counterexample@1');
      const again = simulate({ scenario: cx.scenario, protocol: cx.protocol, seed: cx.seed,
        mutant: cx.mutant });
      expect(again.record.traceHash).toBe(cx.traceHash);
      expect(again.ok).toBe(false);
    });
});

describe('check and lincheck', () => {
  it('check explores the whole bounded space of the correct protocol and finds the bug', () => {
    const ok = check(singleCopy, { replicas: 2, clients: 2, ops: 1, crashes: 1 });
    expect(ok.verdict).toBe('ok');
    expect(ok.complete).toBe(true);
    const bad = check(singleCopy, { replicas: 2, clients: 2, ops: 1, crashes: 1, mutant });
    expect(bad.verdict).not.toBe('ok');
    expect(bad.counterexample?.actions.join('\n')).toContain('crash n1');
    const dfs = check(singleCopy, { replicas: 2, clients: 2, ops: 1, crashes: 1, order: 'dfs',
      symmetry: true });
    expect([dfs.order, dfs.symmetry, dfs.complete]).toEqual(['dfs', true, true]);
  });
  it('lincheck agrees with Porcupine\'s verdicts on its corpus', () => {
    const text = (f: string): string => readFileSync(
      join(root, 'test/properties/linearizability/porcupine', f), 'utf8');
    expect(lincheck(text('kv/c01-ok.txt')).verdict).toBe('linearizable');
    const bad = lincheck(text('kv/c01-bad.txt'));
    expect(bad.verdict).toBe('not-linearizable');
    expect(bad.explanation).toContain('cannot be linearized');
    expect(lincheck(text('jepsen/etcd_002.log')).verdict).toBe('linearizable');
    expect(lincheck(text('jepsen/etcd_000.log')).verdict).toBe('not-linearizable');
    expect(() => lincheck('', { model: 'nosuch' })).toThrow('unknown model "nosuch"');
  });
});
