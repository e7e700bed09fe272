/**
 * The event loop's promises (simulator/event-loop.ts): nothing is scheduled in the past, every
 * event names endpoints that exist, and a broken promise is the run's 'assertion' failure (a
 * finding with its seed), never an exception thrown at the caller.
 */
import { describe, expect, it } from 'vitest';
import { EventLoop, type LoopHost } from '../../simulator/event-loop.js';
import type { SimEvent } from '../../simulator/sim-events.js';
import { simulate } from '../../simulator/sim.js';
import { probe } from '../helpers/probe.js';
import { probeScenario } from '../helpers/scenario.js';

/** A host that records what reaches it; `onEvent` lets a test misbehave from inside a step. */
function host(onEvent: (e: SimEvent) => void = () => {}): LoopHost & { seen: string[];
  failures: string[] } {
  const seen: string[] = [];
  const failures: string[] = [];
  return {
    seen, failures,
    dispatch: (e) => { seen.push(e.k); onEvent(e); },
    fail: (kind, message) => { failures.push(`${kind}: ${message}`); },
    failed: () => failures.length > 0,
  };
}

const limits = { endUs: 1_000, maxEvents: 100, nodes: 2, clients: 1 };

describe('event loop assertions', () => {
  it('runs every event due by the end, in time order, and nothing after it', () => {
    const loop = new EventLoop(limits);
    const h = host();
    loop.run(h, () => {
      loop.schedule(500, { k: 'settle' });
      loop.schedule(10, { k: 'wake', client: 0 });
      loop.schedule(2_000, { k: 'wake', client: 0 });
    });
    expect(h.seen).toEqual(['wake', 'settle']);
    expect(h.failures).toEqual([]);
    expect(loop.now).toBe(500);
  });

  it('an event scheduled in the past is a failure of the run', () => {
    const loop = new EventLoop(limits);
    const h = host(() => loop.schedule(5, { k: 'settle' }));
    loop.run(h, () => loop.schedule(10, { k: 'wake', client: 0 }));
    expect(h.failures).toEqual(
      ['assertion: simulator: event loop: settle scheduled at t=5us, before now']);
  });

  it('an event naming an endpoint that does not exist is a failure, not dispatched', () => {
    const loop = new EventLoop(limits);
    const h = host();
    loop.run(h, () => {
      loop.schedule(10, { k: 'timer', node: 0, name: 'ok', gen: 1 });
      loop.schedule(20, { k: 'timer', node: 2, name: 'nobody', gen: 1 });
      loop.schedule(30, { k: 'wake', client: 0 });
    });
    expect(h.seen).toEqual(['timer']);
    expect(h.failures).toEqual(['assertion: simulator: event loop: timer event at t=20us ' +
      'names an endpoint that does not exist']);
  });

  it('the event budget stops the run', () => {
    const loop = new EventLoop({ ...limits, maxEvents: 2 });
    const h = host();
    loop.run(h, () => {
      for (let t = 0; t < 5; t++) loop.schedule(t, { k: 'settle' });
    });
    expect(h.seen).toEqual(['settle', 'settle']);
    expect(h.failures).toEqual(['budget: event budget of 2 exhausted at t=1us']);
  });

  it('time standing still is a livelock: the run stops at the per-instant budget', () => {
    const loop = new EventLoop({ ...limits, maxEvents: 1_000, maxEventsPerInstant: 50 });
    // A timer that re-arms itself at the same instant, as a deadline in the past does.
    const h = host((e) => { if (e.k === 'timer') loop.schedule(loop.now, e); });
    loop.run(h, () => {
      loop.schedule(0, { k: 'wake', client: 0 });
      loop.schedule(7, { k: 'timer', node: 0, name: 'loop', gen: 1 });
    });
    expect(h.seen).toHaveLength(51); // the wake at 0, then 50 at t=7
    expect(h.failures).toEqual(['budget: livelock: 50 events at t=7us and time stood still ' +
      '(last: timer)']);
  });

  it('many events in one instant below the bound are not a livelock', () => {
    const loop = new EventLoop({ ...limits, maxEventsPerInstant: 50 });
    const h = host();
    loop.run(h, () => {
      for (let i = 0; i < 49; i++) loop.schedule(3, { k: 'settle' });
      for (let i = 0; i < 49; i++) loop.schedule(4, { k: 'settle' });
    });
    expect(h.seen).toHaveLength(98);
    expect(h.failures).toEqual([]);
  });

  it('an error that is not an assertion is a harness bug and propagates', () => {
    const loop = new EventLoop(limits);
    const h = host(() => { throw new TypeError('broken'); });
    expect(() => loop.run(h, () => loop.schedule(0, { k: 'settle' }))).toThrow('broken');
  });

  it('a protocol sending a node message to a client gets a finding with its seed', () => {
    const toClient: typeof probe = {
      ...probe,
      step: (s, ev) => ev.kind === 'timer'
        ? { state: s, effects: [{ kind: 'send', to: 'c0', msg: { round: 0 } }] }
        : probe.step(s, ev),
    };
    const run = simulate({ scenario: probeScenario({ clients: { count: 1 } }),
      protocol: toClient, seed: 42 });
    expect(run.seed).toBe(42);
    expect(run.failures).toHaveLength(1);
    expect(run.failures[0]).toMatchObject({ kind: 'assertion', node: null });
    expect(run.failures[0]!.message).toMatch(/^simulator: event loop: msg event at t=\d+us names/);
  });
});
