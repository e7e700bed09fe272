/** Writing output files; failures become one-line UsageErrors (exit 2) naming the path. */
import { mkdirSync, writeFileSync } from 'node:fs';
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

export function mkdirOrFail(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new UsageError(`cannot create ${dir}: ${reason(error)}`);
  }
}
