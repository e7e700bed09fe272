/**
 * Stepping a node's protocol and carrying out the effects of the step: sends and replies go on
 * the wire, timers onto the loop, a persist starts one disk write whose completion everything
 * listed after it waits for, observations into the run log. With a cost model, a node's CPU
 * takes the events in FIFO order and the step runs when the CPU is done with the event; each
 * message the step sends then takes the CPU `sendUs` more before it leaves.
 */
import { AssertionFailure, errorText } from '../protocol/assert.js';
import type { AnyProtocol, Effect, ProtocolEvent } from '../protocol/types.js';
import type { CostModel } from './costs.js';
import { describeReply } from './describe.js';
import type { Disks } from './disk.js';
import type { EventLoop } from './event-loop.js';
import { globalDelay, localTime, type NodeRuntime } from './node-runtime.js';
import { observeInOrder, type RecordFact } from './observation-queue.js';
import { outcomeProblem } from './reply-shape.js';
import type { RunLog } from './run-log.js';
import type { AfterDisk, CpuEvent, MessageEvent, ReplyEvent } from './sim-events.js';
import type { StateCoverage } from './state-coverage.js';
import type { Endpoints } from './topology.js';
import type { Transport } from './transport.js';

const EFFECT_KINDS = 'send, reply, setTimer, cancelTimer, persist, observe';

/** An effect's kind as the protocol gave it, for the error about a kind nobody knows. */
function kindOf(effect: unknown): string {
  if (typeof effect !== 'object' || effect === null) return `(a ${typeof effect} effect)`;
  const kind = (effect as { kind?: unknown }).kind;
  return kind === undefined ? '(none)' : JSON.stringify(kind) ?? String(kind);
}

export class EffectInterpreter {
  constructor(
    private readonly loop: EventLoop,
    private readonly log: RunLog,
    private readonly transport: Transport,
    private readonly disks: Disks,
    private readonly protocol: AnyProtocol,
    private readonly endpoints: Endpoints,
    /** The scenario's cost model, or null: then a node steps as soon as an event arrives. */
    private readonly costs: CostModel | null,
    /** Run the protocol's invariants after every step. */
    private readonly checkInvariants: boolean,
    /** Where the states the nodes step into are counted, or null (not asked for). */
    private readonly states: StateCoverage | null = null,
  ) {}

  /** Node steps run so far: the number of the current one (ReplyFact.step). */
  private steps = 0;

  private readonly record: RecordFact = (at, node, label, data, stepAt, step) =>
    this.log.observe(at, node, label, data, stepAt, step);

  /** A message's label in the message diagram, made once (no closure per lost message). */
  private readonly describeMessage = (e: MessageEvent): string =>
    this.protocol.describeMessage(e.msg);

  /**
   * COST MODEL HOOK. Without a cost model the node steps now. With one, the node's CPU takes
   * the event in FIFO order; the step runs when the CPU is done with it (its effects leave then).
   * Returns the number of the step run now, or null when the event waits for the CPU.
   */
  handle(node: NodeRuntime, event: ProtocolEvent<unknown, unknown>, timerGen = 0):
    number | null {
    if (this.costs === null) return this.stepNow(node, event);
    const now = this.loop.now;
    const bytes = event.kind === 'message' ? this.transport.sizeOf(event.msg)
      : event.kind === 'clientRequest' ? this.costs.messageBytes : 0;
    const done = this.costs.admit(node.index, now, bytes);
    if (done > now) {
      this.loop.schedule(done, { k: 'cpu', node: node.index, life: node.life, event, timerGen });
      return null;
    }
    this.costs.finished(node.index, now);
    return this.stepNow(node, event);
  }

  /** COST MODEL: a step's CPU time is over; a crash in between lost the event. */
  cpuDone(node: NodeRuntime, cpu: CpuEvent): void {
    if (cpu.life !== node.life) return;
    this.costs!.finished(node.index, this.loop.now);
    // A timer cancelled or re-armed while its event waited for the CPU does not fire.
    if (cpu.event.kind === 'timer'
      && node.timers.get(cpu.event.timer)?.gen !== cpu.timerGen) return;
    if (node.paused) node.held.push(cpu);
    else this.stepHeld(node, cpu);
  }

  /** A step whose CPU time is over runs at the node's local time now. */
  stepHeld(node: NodeRuntime, cpu: CpuEvent): void {
    this.stepNow(node, { ...cpu.event, now: localTime(node, this.loop.now) });
  }

  /** A timer is spent when its step runs (a timer waiting for the CPU can still be cancelled). */
  private stepNow(node: NodeRuntime, event: ProtocolEvent<unknown, unknown>): number {
    if (event.kind === 'timer') {
      node.timers.delete(event.timer);
    }
    return this.step(node, event);
  }

  /** Runs one step of the node; returns its number (ReplyFact.step, Observation.step). */
  step(node: NodeRuntime, event: ProtocolEvent<unknown, unknown>): number {
    const step = ++this.steps;
    this.runStep(node, event);
    return step;
  }

  private runStep(node: NodeRuntime, event: ProtocolEvent<unknown, unknown>): void {
    try {
      const result = this.protocol.step(node.state, event);
      node.state = result.state;
      if (this.states !== null) this.states.add(result.state);
      if (this.checkInvariants && this.protocol.invariants) {
        const broken = this.protocol.invariants(node.state);
        if (broken !== null) return this.log.fail('invariant', node.name, broken);
      }
      // Inside the try: an effect naming an unknown endpoint or a non-finite deadline is the
      // protocol's fault, reported like an assertion, not an internal error of the simulator.
      this.apply(node, result.effects);
    } catch (error) {
      return this.log.fail('assertion', node.name, errorText(error));
    }
  }

  private apply(node: NodeRuntime, effects: readonly Effect<unknown>[]): void {
    const now = this.loop.now;
    let delayUs = 0;
    let written = false;
    const diskUs = this.disks.writeUs(node);
    for (const effect of effects) {
      switch (effect.kind) {
        case 'send': {
          const to = this.endpoints.indexOf(effect.to);
          const sent = this.leaves(node, to, now, delayUs);
          const event: MessageEvent = { k: 'msg', from: node.index, to, msg: effect.msg, sent,
            after: sent === now ? null : this.after(node, sent - now), by: this.steps };
          const shaped = this.transport.shape(node.index, to, effect.msg);
          let lost: string | null = null;
          if (shaped === 'drop') {
            this.log.counters.sent++; // Never reaches transmit, which counts the others.
            lost = 'targeted';
          } else {
            if (shaped > 0) this.log.counters.held++;
            if (!this.transport.transmit(event, sent + shaped)) lost = this.transport.dropReason;
          }
          if (lost !== null) {
            this.log.journey(event, event.sent, this.describeMessage, lost);
            if (event.after !== null) this.log.sendLoss(event, event.after);
            this.log.trace.message(now, node.index, to, effect.msg, lost);
          }
          break;
        }
        case 'reply': {
          const bad = outcomeProblem(effect.outcome);
          if (bad !== null) {
            throw new AssertionFailure(`reply #${effect.seq} to ${effect.to}: ${bad}`);
          }
          const to = this.endpoints.indexOf(effect.to);
          const sent = this.leaves(node, to, now, delayUs);
          const event: ReplyEvent = { k: 'rep', from: node.index, to, seq: effect.seq,
            sent, outcome: effect.outcome,
            after: sent === now ? null : this.after(node, sent - now) };
          this.log.reply(now, this.steps, sent, node.index, to, effect.seq, effect.outcome);
          if (!this.transport.transmit(event, sent)) {
            const drop = this.transport.dropReason;
            this.log.journey(event, event.sent, describeReply, drop);
            this.log.trace.reply(now, node.index, to, effect.seq, effect.outcome, drop);
          }
          break;
        }
        case 'setTimer': {
          if (!Number.isFinite(effect.at)) {
            throw new Error(`timer ${effect.timer}: deadline ${effect.at} is not a number`);
          }
          const gen = ++node.timerGen;
          node.timers.set(effect.timer, { gen, at: effect.at });
          const at = now + globalDelay(node, now, effect.at);
          this.loop.schedule(at, { k: 'timer', node: node.index, name: effect.timer, gen });
          break;
        }
        case 'cancelTimer':
          node.timers.delete(effect.timer);
          break;
        case 'persist':
          this.log.counters.persists++;
          // One write per step, of the image of the state this step produced: later persists
          // of the same step are in it, so everything listed after any of them waits for it.
          if (!written) delayUs = this.disks.write(node, this.protocol.durable(node.state), diskUs);
          written = true;
          break;
        case 'observe': {
          // After a persist, the fact holds only once the write is done, if the node lives on;
          // the node's later facts wait behind it (observation-queue.ts).
          if (observeInOrder(node, now, this.steps, delayUs, effect.label, effect.data,
            this.record)) {
            this.loop.schedule(now + delayUs, { k: 'obs', node: node.index, life: node.life });
          }
          break;
        }
        default:
          // The protocol's fault, reported like an assertion: the simulator would otherwise drop
          // it unseen (a misspelt kind, a timer never cancelled, a write that never happens).
          throw new Error(`an effect of unknown kind ${kindOf(effect)} (known: ${EFFECT_KINDS})`);
      }
    }
  }

  /**
   * COST MODEL HOOK: when a message the step sends leaves: after the disk write it waits for
   * (`delayUs`) and after the sender's CPU has spent `sendUs` on it (a message to itself costs
   * none). If the sender crashes before then, it never leaves (`after`).
   */
  private leaves(node: NodeRuntime, to: number, now: number, delayUs: number): number {
    if (this.costs === null || to === node.index) return now + delayUs;
    return Math.max(now + delayUs, this.costs.send(node.index, now));
  }

  private after(node: NodeRuntime, delayUs: number): AfterDisk {
    return { life: node.life, at: this.loop.now + delayUs, step: this.loop.now };
  }
}
