/** The OPB world reads enumerated observation fields only with the values OPB declared. */
import { describe, expect, it } from 'vitest';
import { findProtocol } from '../../protocol/registry.js';
import { opbPolicy } from '../../properties/opb-policy.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const run = simulate({ scenario: loadScenario('opb-steady'), protocol: findProtocol('opb')!,
  seed: 0 });

/** The run with the first `opb.role` observation's `field` set to `value`. */
function withRole(field: 'role' | 'reason', value: string): RunRecord {
  const i = run.observations.findIndex((o) => o.label === 'opb.role');
  const o = run.observations[i]!;
  const observations = [...run.observations];
  observations[i] = { ...o, data: { ...(o.data as object), [field]: value } };
  return { ...run, observations };
}

/** A run with a refused JOIN; `withMovePhase` rewrites every move observation of one phase. */
const moveRun = simulate({ scenario: loadScenario('opb-join-refused'),
  protocol: findProtocol('opb')!, seed: 0 });

function withMovePhase(from: string, to: string): RunRecord {
  const observations = moveRun.observations.map((o) => o.label === 'opb.move'
    && (o.data as { phase: string }).phase === from
    ? { ...o, data: { ...(o.data as object), phase: to } } : o);
  return { ...moveRun, observations };
}

// A reason outside the contract would silently change what C6 excuses (it counts some as losses).
describe('OPB observation contract: enumerated fields', () => {
  it('a run with only declared roles and reasons is read', () => {
    expect(opbPolicy.check(run).status).toBe('pass');
  });

  it('an undeclared role-change reason is malformed', () => {
    expect(() => opbPolicy.check(withRole('reason', ''))).toThrow(/reason "" is not declared/);
  });

  it('an undeclared role is malformed', () => {
    expect(() => opbPolicy.check(withRole('role', 'leader'))).toThrow(/role "leader"/);
  });

  it('an undeclared move phase is malformed (#3195: a refused JOIN observed as "")', () => {
    expect(moveRun.observations.some((o) => o.label === 'opb.move'
      && (o.data as { phase: string }).phase === 'refused')).toBe(true);
    expect(opbPolicy.check(moveRun).status).toBe('pass');
    expect(() => opbPolicy.check(withMovePhase('refused', ''))).toThrow(
      /move phase "" is not declared/);
  });

  it('an undeclared move kind is malformed (#2464 of seed 31: an operator handoff as "")', () => {
    const observations = moveRun.observations.map((o) => o.label === 'opb.move'
      ? { ...o, data: { ...(o.data as object), kind: '' } } : o);
    expect(() => opbPolicy.check({ ...moveRun, observations })).toThrow(
      /move kind "" is not declared/);
  });
});

// `opb.epoch-reset` is a non-vacuity event (sometimes.ts): a scenario asking for it must not
// pass on a fact that is not one (mutation #3653 of the seed-23 sample: one on every claim).
describe('OPB observation contract: epoch resets', () => {
  const resets = simulate({ scenario: loadScenario('opb-corruption'),
    protocol: findProtocol('opb')!, seed: 1 });

  it('a real reset (a new generation, counter 1) is read', () => {
    expect(resets.observations.some((o) => o.label === 'opb.epoch-reset')).toBe(true);
    expect(opbPolicy.check(resets).status).toBe('pass');
  });

  it('a reset reported on a claim within its generation is malformed', () => {
    const epochs = resets.observations.filter((o) => o.label === 'opb.epoch');
    const data = (o: (typeof epochs)[number]) =>
      o.data as { service: number; generation: number; counter: number };
    const later = epochs.find((o) => data(o).counter > 1
      && epochs.some((e) => e.node === o.node && e.seq < o.seq
        && data(e).service === data(o).service && data(e).generation === data(o).generation))!;
    const forged = { ...later, label: 'opb.epoch-reset', seq: later.seq - 0.5,
      data: { service: data(later).service, generation: data(later).generation } };
    const observations = [...resets.observations, forged].sort((a, b) => a.seq - b.seq);
    expect(() => opbPolicy.check({ ...resets, observations })).toThrow(new RegExp(
      `^malformed opb.epoch-reset observation of ${later.node} at t=${later.at}us: generation ` +
      `${data(later).generation} of service ${data(later).service}, but its epoch before was ` +
      `generation ${data(later).generation} counter \\d+ and after generation ` +
      `${data(later).generation} counter ${data(later).counter}$`));
  });

  it('a reset whose new epoch a crash lost is judged only up to the crash (explore 921603)', () => {
    const reset = resets.observations.find((o) => o.label === 'opb.epoch-reset')!;
    const svc = (reset.data as { service: number }).service;
    const next = resets.observations.find((o) => o.label === 'opb.epoch' && o.node === reset.node
      && o.seq > reset.seq && (o.data as { service: number }).service === svc)!;
    // After the restart the node's facts show another life's epoch (here: the old generation).
    const observations = resets.observations.map((o) => o === next
      ? { ...o, data: { ...(o.data as object), generation: 0, counter: 2 } } : o);
    const forged = { ...resets, observations };
    expect(() => opbPolicy.check(forged)).toThrow(/^malformed opb.epoch-reset/);
    const down = { at: (reset.at + next.at) / 2, node: reset.node, kind: 'down' as const,
      seq: (reset.seq + next.seq) / 2 };
    const nodeEvents = [...resets.nodeEvents, down].sort((a, b) => a.at - b.at);
    expect(() => opbPolicy.check({ ...forged, nodeEvents })).not.toThrow();
  });
});
