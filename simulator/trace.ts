/**
 * The trace: one fixed-format line per simulator event, e.g. `t=1200 n1->n2 Update i=3 put k=v`.
 * Every line feeds a running SHA-256, so the final digest identifies the run byte for byte; lines
 * are kept only when asked for (saving runs, replay diagnostics, reports).
 */
import { createHash, type Hash } from 'node:crypto';

export class Trace {
  private readonly hash: Hash = createHash('sha256');
  private count = 0;
  /** Lines not yet hashed; hashing in chunks is much cheaper than one native call per line. */
  private pending = '';
  readonly lines: string[] | null;

  constructor(keepLines: boolean) {
    this.lines = keepLines ? [] : null;
  }

  get events(): number {
    return this.count;
  }

  record(time: number, text: string): void {
    this.pending += `t=${time} ${text}\n`;
    if (this.pending.length > 65_536) this.flush();
    this.count++;
    if (this.lines !== null) this.lines.push(`t=${time} ${text}`);
  }

  digest(): string {
    this.flush();
    return this.hash.copy().digest('hex');
  }

  private flush(): void {
    this.hash.update(this.pending);
    this.pending = '';
  }
}

/** Index of the first line where two traces differ, or -1 when they are identical. */
export function firstDivergence(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
