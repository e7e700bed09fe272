/** The lines `replisim worker` prints, and the progress bar's format, rendered in reports/. */
import { describe, expect, it } from 'vitest';
import { progressFormat } from '../../reports/progress.js';
import {
  renderBatchDone, renderBatchStarted, renderWorkerRedisError, renderWorkerStarted,
  renderWorkerStopped,
} from '../../reports/worker.js';

describe('worker lines', () => {
  it('start, batches, errors, stop', () => {
    expect(renderWorkerStarted('redis://h:1', 2, 30)).toBe('worker on redis://h:1: 2 thread(s), ' +
      'lock 30 s');
    expect(renderBatchStarted('r1', [3, 4])).toBe('batch started: run r1 seeds 3,4');
    expect(renderBatchDone('r1', [3, 4], 1)).toBe('batch done: run r1 seeds 3,4: 1 not ok');
    expect(renderWorkerRedisError('ECONNRESET')).toBe('worker: redis error: ECONNRESET');
    expect(renderWorkerStopped(5)).toBe('worker: 5 batch(es) done');
  });

  it('the progress bar names the command and the unit', () => {
    expect(progressFormat('sweep', 'seeds'))
      .toBe('sweep [{bar}] {percentage}% | {value}/{total} seeds | eta {eta_formatted}');
  });
});
