/** Terminal colours: chalk, switched off by NO_COLOR (https://no-color.org) or a non-TTY pipe. */
import { Chalk, type ChalkInstance } from 'chalk';

export function makeChalk(stream: NodeJS.WriteStream = process.stdout): ChalkInstance {
  const noColor = process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '';
  if (noColor) return new Chalk({ level: 0 });
  if (process.env['FORCE_COLOR'] !== undefined) return new Chalk();
  return new Chalk({ level: stream.isTTY ? 2 : 0 });
}

export function formatUs(us: number): string {
  if (us >= 1_000_000) return `${(us / 1_000_000).toFixed(2)}s`;
  if (us >= 1_000) return `${(us / 1_000).toFixed(2)}ms`;
  return `${us}us`;
}
