/**
 * Issue 14 item 8: a swarm across machines on BullMQ/Redis. A real `redis-server` on 127.0.0.1
 * (Debian's, installed by .ci/run), a coordinator (`explore --queue`) and two `replisim worker`
 * processes; one worker is killed (SIGKILL) in the middle of its first batch. Every seed must
 * appear exactly once in results.jsonl, with the verdict and trace hash a local explore of the
 * same seeds gives, and the killed batch must have been re-run by the other worker.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, root } from '../helpers/cli.js';

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedis) console.warn('queue-swarm: skipped, no redis-server on PATH (.ci/run installs it)');

const RUNS = 12;
const tmp = mkdtempSync(join(tmpdir(), 'queue-swarm-'));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

function start(args: string[]): { child: ChildProcess; log: () => string;
  line: (pattern: RegExp) => Promise<RegExpExecArray> } {
  const child = spawn(process.execPath, ['bin/replisim.js', ...args],
    { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
  let text = '';
  const waiters: { pattern: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  const onData = (chunk: Buffer): void => {
    text += chunk.toString();
    for (const w of [...waiters]) {
      const m = w.pattern.exec(text);
      if (m !== null) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  return {
    child, log: () => text,
    line: (pattern) => new Promise((resolve) => {
      const m = pattern.exec(text);
      if (m !== null) resolve(m);
      else waiters.push({ pattern, resolve });
    }),
  };
}

const exited = (child: ChildProcess): Promise<number> => new Promise((resolve) => {
  if (child.exitCode !== null) resolve(child.exitCode);
  else child.once('exit', (code) => resolve(code ?? -1));
});

interface Row { seed: number; ok?: boolean; traceHash?: string; violations?: unknown }
const rows = (dir: string): Row[] => readFileSync(join(dir, 'results.jsonl'), 'utf8')
  .split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Row);
const verdicts = (list: Row[]): Map<number, string> => new Map(list.map((r) =>
  [r.seed, JSON.stringify([r.ok, r.traceHash, r.violations])]));

describe.skipIf(!hasRedis)('explore --queue with two workers, one killed mid-batch', () => {
  let redis: ChildProcess;
  let url = '';
  beforeAll(async () => {
    const port = await freePort();
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '',
      '--appendonly', 'no']);
    url = `redis://127.0.0.1:${port}`;
    for (let i = 0; i < 50 && spawnSync(process.execPath, ['-e', `require('net')
      .connect(${port}, '127.0.0.1').on('connect', () => process.exit(0))
      .on('error', () => process.exit(1))`]).status !== 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  afterAll(async () => {
    redis.kill('SIGTERM');
    await exited(redis);
  });

  it('runs every seed exactly once, as a local explore does', async () => {
    const local = join(tmp, 'local');
    const l = cli(['explore', '--protocol', 'opb', '--runs', String(RUNS), '--workers', '1',
      '--out', local]);
    expect(l.code, l.stderr).toBe(0);

    const worker = (): ReturnType<typeof start> => start(['worker', '--queue', url,
      '--threads', '1', '--lock-seconds', '2']);
    const a = worker();
    const b = worker();
    await Promise.all([a.line(/worker on /), b.line(/worker on /)]);
    const swarm = join(tmp, 'swarm');
    const coordinator = start(['explore', '--protocol', 'opb', '--runs', String(RUNS),
      '--batch', '2', '--queue', url, '--out', swarm]);
    // Whichever worker starts a batch first is killed in the middle of it.
    const first = await Promise.race([a, b].map((w) =>
      w.line(/batch started: run \S+ seeds (\S+)/).then((m) => ({ w, seeds: m[1]! }))));
    first.w.child.kill('SIGKILL');
    const survivor = first.w === a ? b : a;
    expect(await exited(coordinator.child), coordinator.log()).toBe(0);
    survivor.child.kill('SIGTERM');
    await exited(survivor.child);

    const got = rows(swarm);
    expect(got.map((r) => r.seed).sort((x, y) => x - y)).toEqual([...Array(RUNS).keys()]);
    expect(verdicts(got)).toEqual(verdicts(rows(local)));
    // The killed worker's batch was handed to the survivor by BullMQ's stalled-job check.
    expect(survivor.log()).toContain(`seeds ${first.seeds}: 0 not ok`);
    expect(first.w.log()).not.toContain('batch done');
  }, 240_000);

  it('says in one line when Redis is not there', async () => {
    const port = await freePort();
    const r = cli(['explore', '--protocol', 'opb', '--runs', '2', '--queue',
      `redis://127.0.0.1:${port}`, '--out', join(tmp, 'none')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `replisim: cannot reach Redis at redis://127.0.0.1:${port}/0: ECONNREFUSED`);
    const bad = cli(['worker', '--queue', 'http://x']);
    expect(bad.stderr.trim()).toBe('replisim: --queue must be a redis:// URL, got "http://x"');
  });
});
