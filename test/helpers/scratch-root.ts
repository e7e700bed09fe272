/**
 * Vitest global setup: every temporary folder the tests make (os.tmpdir(), also in the CLI
 * processes they spawn) goes under one folder per `npm test`, removed when the run ends, so
 * repeated runs do not fill the machine's /tmp (≈ 40 folders per run before).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'replisim-test-'));
  process.env['TMPDIR'] = root;
  return () => rmSync(root, { recursive: true, force: true });
}
