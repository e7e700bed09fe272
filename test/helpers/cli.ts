/** Runs the built CLI (dist/, built by `npm test` before vitest) in a separate process. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** Run folders (out/<command>/<time>/) of the CLI under test go here, not into the checkout. */
export const storeDir = mkdtempSync(join(tmpdir(), 'replisim-store-'));

export function cli(args: string[], env: Record<string, string> = {}): { code: number;
  stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/replisim.js', ...args], {
    cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1',
      REPLISIM_STORE: storeDir, ...env }, timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * `cli` without blocking this process, at most CLI_SLOTS processes at once: vitest runs one test
 * file at a time on a 2-core CI (maxWorkers = cores - 1), so a file that waits on one child at a
 * time leaves a core idle. Same arguments, environment and answer as `cli`.
 */
const CLI_SLOTS = 2;
let running = 0;
const waiting: (() => void)[] = [];

export async function cliAsync(args: string[], env: Record<string, string> = {}): Promise<{
  code: number; stdout: string; stderr: string }> {
  if (running >= CLI_SLOTS) await new Promise<void>((go) => waiting.push(go));
  running++;
  try {
    return await new Promise((done, fail) => {
      const child = spawn(process.execPath, ['bin/replisim.js', ...args], {
        cwd: root, env: { ...process.env, NO_COLOR: '1', REPLISIM_STORE: storeDir, ...env },
        // No stdin, as spawnSync gives none: a child waiting on an open pipe never ends.
        stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
      child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
      child.on('error', fail);
      child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
    });
  } finally {
    running--;
    waiting.shift()?.();
  }
}
