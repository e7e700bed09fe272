/** Writing output files; failures become one-line UsageErrors (exit 2) naming the path. */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './errors.js';

const reason = (error: unknown): string => (error as NodeJS.ErrnoException).code
  ?? (error as Error).message;

export function writeText(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${reason(error)}`);
  }
}

/**
 * `mkdir -p`, one level at a time from the deepest existing ancestor: Node 20's recursive mkdir
 * spins forever at 100 % CPU under /proc (e.g. `--out /proc/x`), a plain mkdir fails at once.
 */
export function mkdirOrFail(dir: string): void {
  try {
    const missing: string[] = [];
    let at = resolve(dir);
    while (!existsSync(at)) {
      missing.push(at);
      const up = dirname(at);
      if (up === at) break;
      at = up;
    }
    if (existsSync(at) && !statSync(at).isDirectory()) {
      throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    }
    for (const d of missing.reverse()) mkdirSync(d);
  } catch (error) {
    throw new UsageError(`cannot create ${dir}: ${reason(error)}`);
  }
}
