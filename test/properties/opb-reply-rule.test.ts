/**
 * opb-reply-rule (P2.4 #4): a primary answers a write only once min(w, backups it heard within
 * fdUs) members acknowledged it, judged from the message record. opb-primary-crash seed 0 (the
 * campaign's first step with a record): n1 leads s0 with n5 and n9, w = 1; clients retry after
 * 200 ms, before the first writes are acknowledged.
 */
import { describe, expect, it } from 'vitest';
import { opbReplyRule, replyRuleProblems } from '../../properties/opb-reply-rule.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const record = (mutant: string | null, keepTrace = true): RunRecord => simulate({
  scenario: loadScenario('opb-primary-crash'), protocol: findProtocol('opb')!, seed: 0, mutant,
  keepTrace,
});
const result = (r: RunRecord): { problems: string[]; judged: number } =>
  replyRuleProblems(r) as { problems: string[]; judged: number };

describe('opb-reply-rule', () => {
  it('holds on the run, judging its answers', () => {
    const run = record(null);
    const r = result(run);
    expect(r.problems).toEqual([]);
    expect(r.judged).toBeGreaterThan(100);
    expect(opbReplyRule.check(run).status).toBe('pass');
  });

  it('fails a retry answered before any backup acknowledged it (opb:answer-retry-early, '
    + 'mutation #3199 of the seed-41 sample)', () => {
    const r = result(record('opb:answer-retry-early'));
    expect(r.problems.length).toBeGreaterThan(0);
    expect(r.problems[0]).toMatch(new RegExp('^s0: n1 answered c\\d+#\\d+ \\(index \\d+\\) at '
      + 't=\\d+us with acks covering it from \\[\\] only, though w=1 and it heard '
      + '\\[n5,n9\\] within fdUs$'));
  });

  it('asks nothing of a primary that heard no backup within fdUs', () => {
    const run = record('opb:answer-retry-early');
    const deaf: RunRecord = { ...run, messages: run.messages!.filter((m) =>
      !/^(?:Hb|Upd|Xfer) /.test(m.label) || m.to !== 'n1') };
    expect(result(deaf).problems.filter((p) => p.startsWith('s0: n1 '))).toEqual([]);
  });

  it('skips a run without its message record', () => {
    expect(opbReplyRule.check(record(null, false)).status).toBe('skip');
  });
});
