/** Captures what a test's in-process CLI call writes to stdout (restored after each test). */
import { afterEach, beforeEach, vi } from 'vitest';

export function captureStdout(): { readonly lines: () => string[]; readonly text: () => string;
  readonly clear: () => void } {
  let out: string[] = [];
  beforeEach(() => {
    out = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return { lines: () => out, text: () => out.join(''), clear: () => { out = []; } };
}
