/**
 * The observations crashes dropped: a step listed them after a write the crash lost, so they
 * were never recorded (simulator/observation-queue.ts), and the `writes-lost` fact keeps them.
 * The step still ran, in memory, and what it sent may have outlived it (a reply, a state
 * transfer). Served as a record of their own, so each protocol's typed reader reads and checks
 * them like recorded facts: `at` is the time of the step that observed them, `seq` the crash
 * fact's (the crash's time is that fact's `at`).
 */
import type { Observation, RunRecord } from '../simulator/run-record.js';
import { onceEach } from './memo.js';

export const droppedRecord: (run: RunRecord) => RunRecord = onceEach((run: RunRecord) => {
  const observations: Observation[] = [];
  for (const e of run.nodeEvents) {
    for (const l of e.lost ?? []) {
      observations.push({ at: l.stepAt, seq: e.seq, node: e.node, label: l.label, data: l.data });
    }
  }
  return { ...run, observations };
});
