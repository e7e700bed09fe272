/**
 * DIR/results.jsonl of `replisim explore`: one JSON line per finished trial, appended as trials
 * finish, so an interrupted run keeps everything finished. `--resume` reads it back to skip the
 * seeds already done (for the same protocol and mutant).
 */
import { appendFileSync, existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { UsageError } from './errors.js';

const reason = (error: unknown): string => (error as NodeJS.ErrnoException).code
  ?? (error as Error).message;

/** Starts the file afresh (a new exploration) or, resuming, returns the seeds already done. */
export function openResults(file: string, resume: boolean, protocol: string,
  mutant: string | null): Set<number> {
  const done = new Set<number>();
  try {
    if (!resume || !existsSync(file)) {
      writeFileSync(file, '');
      return done;
    }
    let text = readFileSync(file, 'utf8');
    if (text.length > 0 && !text.endsWith('\n')) {
      // Killed in the middle of a line: drop the torn line so the next one starts cleanly.
      text = text.slice(0, text.lastIndexOf('\n') + 1);
      truncateSync(file, Buffer.byteLength(text));
    }
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      let row: { seed?: unknown; protocol?: unknown; mutant?: unknown };
      try {
        row = JSON.parse(line) as typeof row;
      } catch {
        continue;
      }
      if (typeof row.seed === 'number' && row.protocol === protocol
        && (row.mutant ?? null) === mutant) done.add(row.seed);
    }
  } catch (error) {
    throw new UsageError(`cannot use ${file}: ${reason(error)}`);
  }
  return done;
}

export function appendResult(file: string, row: unknown): void {
  appendFileSync(file, `${JSON.stringify(row)}\n`);
}
