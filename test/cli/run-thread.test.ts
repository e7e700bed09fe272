/**
 * Issue 13 item 8 for `run` and `replay`: they execute in a thread under a watchdog and a heap
 * budget, so a protocol step that never returns, calls `process.exit` or exhausts memory is a
 * one-line finding naming the run (exit 1); bad input stays a one-line usage error (exit 2) and
 * a good run prints exactly what it printed before, with its trace hash.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, root } from '../helpers/cli.js';

const hostile = { REPLISIM_PROTOCOLS: 'test/helpers/hostile-protocol.mjs' };
const scenario = 'test/helpers/hostile.json';
const limits = ['--trial-timeout', '8', '--worker-memory', '64'];

describe('run and replay in a watched thread', () => {
  it.each([
    ['loop', 'gave no answer within 8 s (watchdog'],
    ['exit', 'exited its thread with code 3 before finishing'],
    ['oom', 'ran out of memory (heap budget 64 MB'],
  ])('a step that %s ends as one line naming the run, exit 1', (mode, why) => {
    const r = cli(['run', scenario, '--seed', '4', '--param', `hostile.mode=${mode}`, ...limits],
      hostile);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`replisim: ✗ run ${scenario} --seed 4 ${why}`);
  });

  it('a good run, its saved file and its replay print the same hash; bad input is exit 2', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'run-thread-')), 'r.json');
    const run = cli(['run', 'opb-steady', '--seed', '2', '--save', file]);
    expect(run.code, run.stderr).toBe(0);
    const hash = /trace-hash: ([0-9a-f]{64})/.exec(run.stdout)![1];
    const replay = cli(['replay', file, '--json']);
    expect(replay.code, replay.stderr).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ same: true, traceHash: hash });
    const bad = cli(['run', 'no-such-scenario']);
    expect([bad.code, bad.stderr.trim().split('\n').length]).toEqual([2, 1]);
    expect(cli(['run', 'opb-steady', '--trial-timeout', '0']).stderr.trim())
      .toBe('replisim: --trial-timeout must be a positive number, got "0"');
  });
});

describe('a reader that closes the pipe early', () => {
  it('ends the command quietly with its own exit code, no stack trace', async () => {
    const child = spawn(process.execPath, ['bin/replisim.js', 'list'], { cwd: root });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    // Like `| head -0`: the reader is gone before the first line is written.
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('--record keeps the message record without a run folder; without it those checks skip', () => {
    const args = ['run', 'smart-migrate-disjoint', '--seed', '0', '--mutant',
      'smart:ballots-without-index', '--no-store', '--json'];
    const bare = cli(args);
    expect(bare.code, bare.stderr).toBe(0);
    const skipped = (JSON.parse(bare.stdout) as { verdicts: { property: string;
      status: string }[] }).verdicts.find((v) => v.property === 'smart-ballot-owner');
    expect(skipped).toMatchObject({ status: 'skip', message: 'the run kept no message record' });
    const recorded = cli([...args, '--record']);
    expect(recorded.code).toBe(1);
    expect((JSON.parse(recorded.stdout) as { violations: { property: string }[] }).violations
      .map((v) => v.property)).toContain('smart-ballot-owner');
  });
});
