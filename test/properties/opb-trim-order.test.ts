/**
 * opb-trim-order (P2.10 #4): the trim after a merge drops dead members first, then the last
 * whose removal keeps the placement valid; a member the primary heard within T_fd is alive.
 */
import { describe, expect, it } from 'vitest';
import { opbTrimOrder, trimOrderProblems } from '../../properties/opb-trim-order.js';
import type { NodeEvent, RunRecord } from '../../simulator/run-record.js';
import { recordedRun } from '../helpers/record.js';

type Judged = { problems: string[]; judged: number };

describe('opb-trim-order', () => {
  // Three partitions heal in stages; n5 wins twice and trims its union back to k = 3.
  const run = recordedRun('opb-three-way-discard', 'opb', 0);
  const mutated = recordedRun('opb-three-way-discard', 'opb', 0, 'opb:trim-live-first');
  const trims = (r: RunRecord) => r.observations.filter((o) => o.label === 'opb.move'
    && (o.data as { phase: string }).phase === 'trim');

  it('holds on the run as recorded, and judges its trims', () => {
    const r = trimOrderProblems(run) as Judged;
    expect(r.problems).toEqual([]);
    expect(r.judged).toBe(trims(run).length);
    expect(r.judged).toBeGreaterThan(0);
  });

  it('fails under opb:trim-live-first (Stryker #4205 of the seed-51 sample)', () => {
    expect(opbTrimOrder.check(mutated)).toMatchObject({ status: 'fail',
      message: expect.stringMatching(new RegExp("^s0: n5's trim at t=2500000us dropped n9, " +
        'which it had heard at t=\\d+us \\(within T_fd: alive\\), from \\[n5,n9,n7,n11\\]; ' +
        'the placement rule named n11')) });
  });

  it('excuses a drop the primary could not have heard within T_fd', () => {
    // Without n9's sightings before the trim, n9 may have been dead to n5: dead first.
    const trim = trims(mutated).find((o) => o.node === 'n5')!;
    const unheard: RunRecord = { ...mutated, messages: mutated.messages!.filter((m) =>
      !(m.from === 'n9' && m.to === 'n5' && m.at > trim.at - 200_000 && m.at <= trim.at)) };
    const r = trimOrderProblems(unheard) as Judged;
    expect(r.problems.filter((p) => p.startsWith("s0: n5's trim at t=2500000us"))).toEqual([]);
  });

  it('is not judged across a pause of the primary since the sighting', () => {
    const trim = trims(mutated).find((o) => o.node === 'n5')!;
    const pause: NodeEvent[] = [{ at: trim.at - 10, seq: -1, node: 'n5', kind: 'paused' },
      { at: trim.at - 5, seq: -1, node: 'n5', kind: 'resumed' }];
    const paused: RunRecord = { ...mutated, nodeEvents: [...mutated.nodeEvents, ...pause] };
    const r = trimOrderProblems(paused) as Judged;
    expect(r.problems.filter((p) => p.startsWith("s0: n5's trim at t=2500000us"))).toEqual([]);
  });

  it('is not judged without the record or with reorganization off', () => {
    const { messages: _m, ...bare } = run;
    expect(trimOrderProblems(bare)).toBe('the run kept no message record');
    expect(trimOrderProblems({ ...run, params: { ...run.params, reorg: false } }))
      .toBe('reorganization off');
  });
});
