/**
 * The event loop: simulated time and the (time, seq) queue of scheduled events. It pops events in
 * order until the end of the run, a failure or the event budget, and checks what every step of
 * the loop promises (TigerStyle): time never goes back, nothing is scheduled in the past, every
 * event names endpoints that exist. A broken promise is a simulator bug found by this seed: it
 * is reported as the run's failure, like a protocol's assertion, never thrown at the caller.
 */
import { AssertionFailure } from '../protocol/assert.js';
import { EventQueue } from './event-queue.js';
import { targetsExist, type SimEvent } from './sim-events.js';

export interface LoopLimits {
  /** Events past this time are not processed. */
  readonly endUs: number;
  readonly maxEvents: number;
  /**
   * Events one instant may hold before the run is a livelock (default STILL_EVENTS): a protocol
   * that re-arms a timer in the past or answers each message with one at zero delay keeps time
   * from moving, and the whole-run budget would take ~20 CPU-s and gigabytes of trace to stop it.
   */
  readonly maxEventsPerInstant?: number;
  readonly nodes: number;
  readonly clients: number;
  readonly onProgress?: (nowUs: number, endUs: number) => void;
}

/** What the loop needs from the run: handle an event, report a failure, know if one happened. */
export interface LoopHost {
  dispatch(event: SimEvent): void;
  fail(kind: 'assertion' | 'budget', message: string): void;
  failed(): boolean;
}

/** Far above any instant of a real run (a broadcast of every node to every other is ~10^4). */
export const STILL_EVENTS = 200_000;

export class EventLoop {
  private readonly queue = new EventQueue<SimEvent>();
  /** The current simulated time in µs: the time of the event being handled. */
  now = 0;
  /** Events handled so far. */
  processed = 0;

  constructor(private readonly limits: LoopLimits) {}

  /** Schedules `event` at `at`, which must not be in the past. */
  schedule(at: number, event: SimEvent): void {
    // Not assert(): its message would be built on every call, the hottest path of the engine.
    if (!(at >= this.now)) broken(`${event.k} scheduled at t=${at}us, before now`);
    this.queue.push(at, event);
  }

  /**
   * Runs `start` (the initial events), then every event due by the end until a failure. An
   * assertion failure anywhere in here (the loop's own or the simulator's) ends the run as an
   * 'assertion' failure with node null; other errors are bugs of the harness and propagate.
   */
  run(host: LoopHost, start: () => void): void {
    const { endUs, maxEvents, nodes, clients, onProgress } = this.limits;
    const perInstant = this.limits.maxEventsPerInstant ?? STILL_EVENTS;
    const queue = this.queue;
    let still = 0; // events handled at this.now so far
    try {
      start();
      while (!host.failed()) {
        const event = queue.pop(endUs);
        if (event === undefined) break;
        const at = queue.poppedTime;
        if (!(at >= this.now)) broken(`time went back from t=${this.now}us to t=${at}us`);
        if (!targetsExist(event, nodes, clients)) {
          broken(`${event.k} event at t=${at}us names an endpoint that does not exist`);
        }
        still = at === this.now ? still + 1 : 1;
        this.now = at;
        host.dispatch(event);
        if (++this.processed >= maxEvents) {
          host.fail('budget', `event budget of ${maxEvents} exhausted at t=${this.now}us`);
        } else if (still >= perInstant) {
          host.fail('budget', `livelock: ${perInstant} events at t=${this.now}us and time ` +
            `stood still (last: ${event.k})`);
        }
        if ((this.processed & 0xffff) === 0 && onProgress) onProgress(this.now, endUs);
      }
      // Postconditions: the run stopped for a reason and never went past its end.
      if (this.now > endUs) broken('handled an event after the end of the run');
      if (!host.failed() && queue.peekTime() <= endUs) broken('stopped with events due');
    } catch (error) {
      if (!(error instanceof AssertionFailure)) throw error;
      host.fail('assertion', `simulator: ${error.message}`);
    }
  }
}

/** A broken promise of the loop: thrown as an assertion, caught by `run` as the run's failure. */
function broken(what: string): never {
  throw new AssertionFailure(`event loop: ${what}`);
}
