/**
 * Operator commands: one the protocol takes as a request is submitted by the operator client and
 * kept alive until a node answers `done`, whatever happens to the node it was first sent to;
 * any other is a local command, held (as data) while its node is paused.
 */
import { describe, expect, it } from 'vitest';
import type { Protocol } from '../../protocol/types.js';
import { simulate } from '../../simulator/sim.js';
import { probe } from '../helpers/probe.js';
import { probeScenario } from '../helpers/scenario.js';

type Probe = typeof probe;
type ProbeState = Parameters<Probe['step']>[0];

/** The probe, answering `cmd` requests `done` (and observing each one it handles). */
const answering: Protocol<ProbeState, { readonly round: number }, number> = {
  ...probe,
  name: 'probe',
  operatorRequests: ['cmd'],
  step(s, ev) {
    if (ev.kind !== 'operator' || ev.from === undefined) return probe.step(s, ev);
    return { state: s, effects: [
      { kind: 'observe', label: 'operator', data: ev.command.args },
      { kind: 'reply', to: ev.from.client, seq: ev.from.seq,
        outcome: { type: 'done', result: { ok: true } } }] };
  },
};

const cmd = { at: 20_000, kind: 'operator', node: 'n1', name: 'cmd', args: { n: 1 } };

function run(faults: readonly object[], protocol: Protocol<ProbeState, { readonly round: number },
  number> = answering, requestTimeoutUs = 10_000) {
  const scenario = probeScenario({ faults,
    clients: { count: 0, requestTimeoutUs } });
  const r = simulate({ scenario, protocol, seed: 1, keepTrace: true });
  const handled = r.observations.filter((o) => o.label === 'operator');
  return { trace: r.trace!, handled };
}

describe('operator requests', () => {
  it('reach the node the fault names and end at its done', () => {
    const { trace, handled } = run([cmd]);
    expect(handled.map((o) => o.node)).toEqual(['n1']);
    expect(trace.some((l) => /operator #1 cmd done$/.test(l))).toBe(true);
  });

  it('survive the crash of the node they were sent through: resent until answered', () => {
    const { trace, handled } = run([cmd, { at: 20_000, kind: 'crash', node: 'n1' }]);
    expect(trace.some((l) => / drop operator->n1 Operator #1 cmd .*\(down\)$/.test(l))).toBe(true);
    // On timeout the probe's client policy rotates to the next replica.
    expect(handled.map((o) => o.node)).toEqual(['n2']);
    expect(handled[0]!.at).toBeGreaterThanOrEqual(30_000);
    expect(trace.some((l) => /operator #1 cmd done$/.test(l))).toBe(true);
  });

  it('are lost with that node when the client never resends (the timeout is the mechanism)', () => {
    const { trace, handled } = run([cmd, { at: 20_000, kind: 'crash', node: 'n1' }], answering,
      10_000_000);
    expect(handled).toEqual([]);
    expect(trace.some((l) => /operator #1 cmd done$/.test(l))).toBe(false);
  });
});

describe('local operator commands', () => {
  const paused = [{ at: 10_000, kind: 'pause', node: 'n1' }, { ...cmd, name: 'local' },
    { at: 45_000, kind: 'resume', node: 'n1' }];

  it('a paused node holds one like any other event and handles it when it resumes', () => {
    const { handled } = run(paused, probe);
    expect(handled.map((o) => [o.node, o.at])).toEqual([['n1', 45_000]]);
  });

  it('a running node handles it at once, on every node selected', () => {
    const { handled } = run([{ ...cmd, name: 'local', node: '*' }], probe);
    expect(handled.map((o) => [o.node, o.at])).toEqual([['n1', 20_000], ['n2', 20_000],
      ['n3', 20_000]]);
  });
});
