/**
 * smart-incremental-transfer (properties/smart-incremental.ts): a machine close behind whose
 * gap the responder holds gets the decided slots, not a full copy. One real run of smart-lossy
 * (followers that lost DECIDEDs ask the leader for a few slots), then the same record tampered
 * the way mutant #5916 answers (a full copy beside the range) or with the range cut short.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fullCopiesToClose, smartIncremental } from '../../properties/smart-incremental.js';
import type { MessageFact, NodeEvent, RunRecord } from '../../simulator/run-record.js';
import { recordedRun } from '../helpers/record.js';

let run: RunRecord;
let messages: readonly MessageFact[];

beforeAll(() => {
  run = recordedRun('smart-lossy', 'smart', 0);
  messages = run.messages!;
});

const isRange = (m: MessageFact): boolean => m.label.startsWith('DecidedRange ');

/** The record with a full copy sent beside every DECIDED-RANGE (what #5916 sends). */
function withCopies(): MessageFact[] {
  return messages.flatMap((m) => (isRange(m)
    ? [{ ...m, label: 'StateCopy c=1 index=1 h=0' }, m] : [m]));
}

const failure =
  /^(n\d) answered (n\d)'s STATE-REQUEST \(c=1, have=(\d+)\) at t=(\d+)us with a full copy/;

describe('smart-incremental-transfer', () => {
  it('passes the real run, judging requests of close machines that got decided slots', () => {
    expect(messages.some(isRange)).toBe(true);
    const v = smartIncremental.check(run);
    expect(v.status, v.message).toBe('pass');
    const { judged } = fullCopiesToClose(run, messages);
    expect(judged).toBeGreaterThan(10);
    expect(v.message).toContain(`${judged} state request(s)`);
  });

  it('fails a close machine answered with a full copy (the #5916 mutant)', () => {
    const v = smartIncremental.check({ ...run, messages: withCopies() });
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(failure);
    expect(v.message).toMatch(/executed up to slot \d+, at most incrementalSlots=64 ahead/);
  });

  it('fails a close machine whose range starts above its gap or is missing', () => {
    const late = messages.map((m) => {
      const hit = /^DecidedRange c=1 s=(\d+)\.\.(\d+) n=(\d+)$/.exec(m.label);
      if (hit === null) return m;
      return { ...m, label: `DecidedRange c=1 s=${Number(hit[1]) + 1}..${hit[2]} n=${hit[3]}` };
    });
    const v = smartIncremental.check({ ...run, messages: late });
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/with slots \d+\.\.\d+ \(n=\d+\), not the slots \d+\.\.\d+ it held/);
    const none = fullCopiesToClose(run, messages.filter((m) => !isRange(m)));
    expect(none.problem).toMatch(/with no DECIDED-RANGE/);
  });

  it('accepts a range cut short as a run of consecutive slots, not one with holes', () => {
    const cut = (count: (n: number) => number): MessageFact[] => messages.map((m) => {
      const hit = /^DecidedRange c=1 s=(\d+)\.\.\d+ n=(\d+)$/.exec(m.label);
      return hit === null ? m
        : { ...m, label: `DecidedRange c=1 s=${hit[1]}..${hit[1]} n=${count(Number(hit[2]))}` };
    });
    expect(fullCopiesToClose(run, cut(() => 1)).problem).toBeNull();
    const holes = fullCopiesToClose(run, cut((n) => n));
    expect(holes.problem).toMatch(/with slots (\d+)\.\.\1 \(n=([2-9]|\d\d+)\), not the slots/);
  });

  it('does not judge a responder that rebooted or was corrupted, nor a far requester', () => {
    const copies = withCopies();
    const first = failure.exec(fullCopiesToClose(run, copies).problem!)!;
    const [responder, t] = [first[1]!, Number(first[4])];
    // A boot just before empties the responder's record of executed slots: a copy is allowed.
    const boot: NodeEvent = { at: t - 1, seq: 1e9, node: responder, kind: 'up' };
    const rebooted = fullCopiesToClose({ ...run, nodeEvents: [...run.nodeEvents, boot] }, copies);
    expect(rebooted.problem ?? '').not.toContain(`at t=${t}us`);
    const scrambled: NodeEvent = { at: 0, seq: 1e9, node: responder, kind: 'corrupted' };
    const corrupt = fullCopiesToClose({ ...run, nodeEvents: [...run.nodeEvents, scrambled] },
      copies);
    expect(corrupt.problem ?? '').not.toMatch(new RegExp(`^${responder} answered`));
    // With incrementalSlots 0 only a requester level with the responder is close, and none of
    // those gets a range, so no copy added beside one is judged.
    const none = { ...run, params: { ...run.params, incrementalSlots: 0 }, messages: copies };
    expect(smartIncremental.check(none).status).toBe('pass');
  });

  it('skips runs without a message record and runs with the cost model', () => {
    const { messages: _dropped, ...bare } = run;
    expect(smartIncremental.check(bare).status).toBe('skip');
    const costs = { ...run, metrics: { ...run.metrics, costs: { nodes: [] } } };
    expect(smartIncremental.check(costs).status).toBe('skip');
  });
});
