/**
 * Protocols are pure: the model checker steps one state object with one event after another (a
 * successor per event), and the simulator keeps old states in crash images. A step that changed
 * its input (an in-place update meant for a record the step built itself, say) would hand the
 * next successor a different state. Every step of a short run is done again from the same input
 * here, with another event in between, and must give an identical successor and effects and
 * leave the input as it was.
 */
import { describe, expect, it } from 'vitest';
import { findProtocol } from '../../protocol/registry.js';
import type { AnyProtocol, ProtocolEvent } from '../../protocol/types.js';
import type { State } from '../../protocol/smart/types.js';
import { loadScenario } from '../../scenarios/load.js';
import { serialize } from '../../simulator/checker/fingerprint.js';
import { simulate } from '../../simulator/sim.js';

type Event = ProtocolEvent<unknown, unknown>;

/**
 * Freezes every object reachable from `v` not frozen yet (states share most of their parts),
 * except the backing array of an append-log view (protocol/append-log.ts): appending past the
 * view's length is how that log shares it, invisible to the view; its items are frozen.
 */
function deepFreeze(v: unknown): void {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return;
  Object.freeze(v);
  const view = v as { items?: unknown; length?: unknown };
  if (!Array.isArray(v) && Array.isArray(view.items) && typeof view.length === 'number'
    && Object.keys(v).length === 2) {
    for (let i = 0; i < view.length; i++) deepFreeze(view.items[i]);
  } else if (v instanceof Map) {
    for (const [k, x] of v) {
      deepFreeze(k);
      deepFreeze(x);
    }
  } else if (v instanceof Set) {
    for (const x of v) deepFreeze(x);
  } else {
    for (const x of Object.values(v)) deepFreeze(x);
  }
}

/** Every this-many steps, a step is done twice more and the texts compared. */
const EVERY = 12;

/**
 * What went wrong when the steps of a run were done again from their input (the first few).
 * Every input state is frozen before its step, so a write into any object of it throws (Maps
 * and Sets excepted: those the texts compare); every EVERY-th step is done twice more, with
 * another event in between, and its input, successor and effects compared as canonical text.
 */
function restepFindings(
  protocol: AnyProtocol, scenarioName: string, durationUs: number,
): { steps: number; findings: string[] } {
  const findings: string[] = [];
  let steps = 0;
  let previous: Event | null = null;
  const again: AnyProtocol = {
    ...protocol,
    step(state: unknown, event: Event) {
      steps++;
      deepFreeze(state);
      if (steps % EVERY !== 0) return protocol.step(state, event);
      const before = serialize(state);
      const first = protocol.step(state, event);
      const firstText = serialize(first);
      // Another successor of the same state first, as the checker computes them (an event
      // meant for another node may fail an assertion: a violation there, no harm here).
      try {
        if (previous !== null) protocol.step(state, { ...previous, now: event.now });
      } catch {
        // Only the input and the repeated step matter.
      }
      const second = protocol.step(state, event);
      const what = `step ${steps} (${event.kind})`;
      if (serialize(state) !== before) findings.push(`${what} changed its input`);
      else if (serialize(second) !== firstText) findings.push(`${what} differs done again`);
      previous = event;
      return first;
    },
  };
  const base = loadScenario(scenarioName);
  const scenario = { ...base, durationUs, settleUs: 0 };
  const run = simulate({ scenario, protocol: again, seed: 3 });
  for (const f of run.failures) findings.push(`${f.kind}: ${f.message}`);
  return { steps, findings: findings.slice(0, 3) };
}

/** The findings of a run that must have gone on long enough to mean something. */
function restepped(protocol: AnyProtocol, scenarioName: string, durationUs: number): string[] {
  const { steps, findings } = restepFindings(protocol, scenarioName, durationUs);
  expect(steps).toBeGreaterThan(1000);
  return findings;
}

describe('a step from the same state gives the same successor and leaves its input alone', () => {
  const smart = findProtocol('smart')!;

  it('SMART through elections, decisions, execution and checkpoints', () => {
    expect(restepped(smart, 'smart-leader-churn', 1_000_000)).toEqual([]);
  });

  it('SMART through a migration (joins, state transfer, retirement)', () => {
    expect(restepped(smart, 'smart-migrate-chain', 1_000_000)).toEqual([]);
  });

  it('OPB through a primary crash and restart', () => {
    expect(restepped(findProtocol('opb')!, 'opb-primary-crash', 2_200_000)).toEqual([]);
  });

  it('fails for a step that writes a field of its input state', () => {
    // What an in-place update of a record the step did not build would do: the input's EM moves.
    const leaky: AnyProtocol = {
      ...smart,
      step(state: unknown, event: Event) {
        const result = smart.step(state, event);
        const em = (state as State).em as { lastExec: number };
        if (em.lastExec !== (result.state as State).em.lastExec) em.lastExec++;
        return result;
      },
    };
    const { findings } = restepFindings(leaky, 'smart-leader-churn', 1_000_000);
    expect(findings[0]).toMatch(/^assertion: .*read.only property 'lastExec'/);
  });

  it('fails for a step that adds to a Map of its input state (freezing cannot stop that)', () => {
    let calls = 0;
    const leaky: AnyProtocol = {
      ...smart,
      step(state: unknown, event: Event) {
        const result = smart.step(state, event);
        calls++;
        for (const r of (state as State).replicas.values()) {
          // A cohort entry of a non-member: nothing reads it, only the comparison can tell.
          if (r.role === 'leader') (r.lead.cohort as Map<string, number>).set('leak', calls);
        }
        return result;
      },
    };
    const { findings } = restepFindings(leaky, 'smart-leader-churn', 1_000_000);
    expect(findings[0]).toMatch(/changed its input$/);
  });
});
