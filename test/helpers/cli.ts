/** Runs the built CLI (dist/, built by `npm test` before vitest) in a separate process. */
import { spawnSync } from 'node:child_process';
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
