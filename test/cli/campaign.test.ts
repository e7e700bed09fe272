import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

describe('replisim campaign', () => {
  it('exits 0 when the campaign finds nothing, printing the CPU time as a measure', () => {
    const r = cli(['campaign', 'example']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/campaign: 12 steps, every property held \([\d.]+ CPU-s\)/);
  });

  it('exits 1 at the first violation with the command that reproduces it; --json', () => {
    const r = cli(['campaign', 'example', '--mutant', 'example:volatile-log', '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ protocol: 'example', mutant: 'example:volatile-log', found: true,
      ran: 9, violation: { step: 8, kind: 'explore', scenario: 'example-partition', seed: 2,
        property: 'retries-answered' } });
    expect(r.stderr).toContain('reproduce: npx replisim explore --protocol example');
  });

  it('a step that never returns is one line naming the step and its reproduce command', () => {
    const r = cli(['campaign', 'hostile', '--scenarios', 'test/helpers/hostile-loop.json',
      '--trial-timeout', '3'], { REPLISIM_PROTOCOLS: 'test/helpers/hostile-protocol.mjs' });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe('replisim: ✗ campaign hostile gave no answer within 3 s at step 1/23 ' +
      '(run test/helpers/hostile-loop.json seed 0; reproduce: npx replisim run ' +
      'test/helpers/hostile-loop.json --protocol hostile --seed 0) (watchdog, --trial-timeout; ' +
      'a protocol step never returns or the run is too slow)');
  });

  it('bad input is one line on stderr and exit 2', () => {
    for (const args of [['campaign', 'nosuch'], ['campaign', 'example', '--mutant', 'bogus'],
      ['campaign']]) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
  });

  it('--help describes it', () => {
    const r = cli(['campaign', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--mutant <name>');
    expect(r.stdout).toMatch(/first\s+violation/);
  });
});
