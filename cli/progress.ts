/**
 * Progress on stderr for long runs (cli-progress), shown only on a terminal so that logs and
 * pipes stay clean.
 */
import cliProgress from 'cli-progress';
import { progressFormat } from '../reports/progress.js';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export function makeProgress(label: string, unit: string): Progress {
  if (!process.stderr.isTTY || process.env['CI'] !== undefined) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar({
    format: progressFormat(label, unit),
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: true,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, done);
        started = true;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
