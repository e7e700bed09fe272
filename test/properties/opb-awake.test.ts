/**
 * opb-awake: with power saving off no node sleeps, judged from the gossip each node sends. On
 * opb-primary-crash seed 0 the empty spares stay on; under opb:sleep-without-power (Stryker #64
 * of the seed-47 sample) they announce sleep after 500 ms idle and the check fails, except for
 * a node a corruption may have put to sleep, and never with power saving on.
 */
import { describe, expect, it } from 'vitest';
import { awakeProblems, opbAwake } from '../../properties/opb-awake.js';
import { recordedOnce } from '../helpers/record.js';

const crashRun = (mutant: string | null) => recordedOnce('opb-primary-crash', 'opb', 0, mutant);

describe('opb-awake', () => {
  it('passes the protocol: every gossip says its node is on', () => {
    const v = opbAwake.check(crashRun(null));
    expect(v.status).toBe('pass');
    expect(v.message).toMatch(/^\d+ gossips/);
  });

  it('fails spares that sleep with power saving off', () => {
    const v = opbAwake.check(crashRun('opb:sleep-without-power'));
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/n8 told n7 at t=750000us that it sleeps/);
  });

  it('does not judge a node from its first corruption on', () => {
    const run = crashRun('opb:sleep-without-power');
    const nodeEvents = [...run.nodeEvents, ...run.endpoints.filter((e) => !e.client)
      .map((e, i) => ({ at: 0, seq: -1 - i, node: e.name, kind: 'corrupted' as const }))];
    const v = awakeProblems({ ...run, nodeEvents });
    expect(v).toEqual({ problems: [], judged: 0 });
  });

  it('does not judge runs with power saving on', () => {
    const run = crashRun('opb:sleep-without-power');
    expect(awakeProblems({ ...run, params: { ...run.params, power: true } }))
      .toBe('power saving on');
  });
});
