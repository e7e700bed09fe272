/**
 * opb-awake: with power saving off no node sleeps, judged from the gossip each node sends. On
 * opb-primary-crash seed 0 the empty spares stay on; under opb:sleep-without-power (Stryker #64
 * of the seed-47 sample) they announce sleep after 500 ms idle and the check fails, except for
 * a node a corruption may have put to sleep, and never with power saving on. With power saving on
 * (opb-diurnal seed 0) a sleeping node repeats that it sleeps only every fourth gossip round;
 * under opb:asleep-gossips-every-round (Stryker #84 of the seed-50 sample) it says so every round.
 */
import { describe, expect, it } from 'vitest';
import { asleepProblems, awakeProblems, opbAwake } from '../../properties/opb-awake.js';
import { recordedOnce } from '../helpers/record.js';

const crashRun = (mutant: string | null) => recordedOnce('opb-primary-crash', 'opb', 0, mutant);
const nightRun = (mutant: string | null) => recordedOnce('opb-diurnal', 'opb', 0, mutant);

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

  it('passes sleeping nodes that say so every fourth round', () => {
    const v = opbAwake.check(nightRun(null));
    expect(v.status).toBe('pass');
    expect(v.message).toMatch(/^\d+ gossip rounds of sleeping nodes/);
  });

  it('fails a sleeping node that says so every round', () => {
    const v = opbAwake.check(nightRun('opb:asleep-gossips-every-round'));
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/n11, asleep, gossiped at t=1000001us and again at t=1250001us/);
  });

  it('starts a sleeping node\'s rounds again at its boot', () => {
    const run = nightRun('opb:asleep-gossips-every-round');
    const boot = { at: 1_100_000, seq: -1, node: 'n11', kind: 'up' as const };
    const v = asleepProblems({ ...run, nodeEvents: [boot, ...run.nodeEvents] });
    expect(v).not.toBeTypeOf('string');
    if (typeof v === 'string') return;
    expect(v.problems.join('\n')).not.toMatch(/n11, asleep, gossiped at t=1000001us /);
    expect(v.problems.join('\n')).toMatch(/n11, asleep, gossiped at t=1250001us /);
  });

  it('does not judge the sleeping side with power saving off', () => {
    const run = nightRun('opb:asleep-gossips-every-round');
    expect(asleepProblems({ ...run, params: { ...run.params, power: false } }))
      .toBe('power saving off');
  });
});
