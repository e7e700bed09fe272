/** Runs the built CLI (dist/, built by `npm test` before vitest) in a separate process. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export function cli(args: string[], env: Record<string, string> = {}): { code: number;
  stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/replisim.js', ...args], {
    cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
