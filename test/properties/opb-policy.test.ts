/** opb-c8-policy: orphans are merged or discarded as the run's `policy` says. */
import { describe, expect, it } from 'vitest';
import { opbPolicy } from '../../properties/opb-policy.js';
import type { HistoryOp } from '../../simulator/history.js';
import type { Observation, RunRecord } from '../../simulator/run-record.js';
import { loadScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';
import { fakeRun } from '../helpers/record.js';

const told: HistoryOp = { id: 4, client: 'c1', input: { type: 'put', key: 'k0', value: 'v' },
  call: 10, status: 'ok', return: 20, output: { ok: true }, discardedAt: 900 };
const redo: Observation = { at: 700, seq: 1, node: 'n2', label: 'opb.exec', data: {
  service: 0, epoch: '2.n2', index: 9, client: 'c1', seq: 3, value: 'v', resubmit: true } };

const opbRun = (policy: string, ops: HistoryOp[], observations: Observation[]): RunRecord =>
  ({ ...fakeRun({ ops, observations }), protocol: 'opb', params: { policy } });

describe('opb-c8-policy', () => {
  it('fails a client told of a discard under merge, and a re-executed orphan under discard', () => {
    expect(opbPolicy.check(opbRun('merge', [told], [])).message)
      .toMatch(/policy merge, but c1 was told at t=900us that op #4 was discarded/);
    expect(opbPolicy.check(opbRun('discard', [], [redo])).message)
      .toMatch(/policy discard, but n2 re-executed orphan c1#3/);
    expect(opbPolicy.check(opbRun('discard', [told], [])).status).toBe('pass');
    expect(opbPolicy.check(opbRun('merge', [], [redo])).status).toBe('pass');
  });

  it('passes on real runs under both policies, with orphans handled', () => {
    const cases: [string, string][] = [['opb-partition-halves', 'opb.resubmit'],
      ['opb-recovering-top', 'opb.discard']];
    for (const [s, label] of cases) {
      const run = runChecked({ scenario: loadScenario(s), protocol: 'opb', seed: 0 }).record;
      const v = opbPolicy.check(run);
      expect(v.status, `${s}: ${v.message}`).toBe('pass');
      expect(run.observations.some((o) => o.label === label), s).toBe(true);
    }
  });
});
