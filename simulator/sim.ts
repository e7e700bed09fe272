/**
 * The discrete-event engine. One run = one scenario + one protocol + one seed. Everything random
 * comes from forks of the one seeded PRNG, every event goes through the (time, seq) heap, and
 * every processed event is one trace line, so the same inputs give the same trace hash.
 */
import { assert, errorText } from '../protocol/assert.js';
import type { KvOp } from '../protocol/kv-types.js';
import { describeOp } from '../protocol/kv.js';
import type {
  AnyProtocol, ClientRequest, Effect, Json, ProtocolConfig, ProtocolEvent, ReplyOutcome,
} from '../protocol/types.js';
import { SimClient, type ClientHost } from './clients.js';
import type { FaultEvent, Scenario } from './config.js';
import { applyFault, type FaultTarget } from './faults/kinds.js';
import { PartitionBook } from './faults/partition.js';
import { EventHeap } from './heap.js';
import { Delivery } from './delivery.js';
import { HistoryRecorder } from './history-recorder.js';
import { CostModel } from './costs.js';
import { computeMetrics } from './metrics.js';
import { Network } from './network.js';
import { globalDelay, localTime, newNodeRuntime, type NodeRuntime } from './node-runtime.js';
import { createPrng, type Prng } from './prng.js';
import type {
  MessageFact, NodeEvent, Observation, RunFailure, RunRecord,
} from './run-record.js';
import { buildEndpoints, type Endpoints } from './topology.js';
import { Trace } from './trace.js';
import { describeFault, describeOutcome } from './describe.js';

export interface RunOptions {
  readonly scenario: Scenario;
  readonly protocol: AnyProtocol;
  readonly seed: number;
  readonly mutant?: string | null;
  /** Keep every trace line in the record (for saving, replay diagnostics and reports). */
  readonly keepTrace?: boolean;
  /** Run the protocol's invariants after every step (default true). */
  readonly checkInvariants?: boolean;
  /** Stop after this many events and report a 'budget' failure (default 20 million). */
  readonly maxEvents?: number;
  readonly onProgress?: (nowUs: number, endUs: number) => void;
}

type Item =
  | { readonly k: 'msg'; readonly from: number; readonly to: number; readonly msg: unknown;
    readonly sent: number; readonly after?: AfterDisk }
  | { readonly k: 'req'; readonly from: number; readonly to: number;
    readonly sent: number; readonly request: ClientRequest }
  | { readonly k: 'rep'; readonly from: number; readonly to: number; readonly seq: number;
    readonly sent: number; readonly outcome: ReplyOutcome; readonly after?: AfterDisk }
  | { readonly k: 'timer'; readonly node: number; readonly name: string; readonly gen: number }
  | { readonly k: 'fault'; readonly fault: FaultEvent }
  | { readonly k: 'wake'; readonly client: number }
  | { readonly k: 'ctimeout' | 'cretry'; readonly client: number; readonly seq: number;
    readonly attempt: number }
  | { readonly k: 'settle' }
  | { readonly k: 'disk'; readonly node: number; readonly life: number; readonly write: number;
    readonly image: unknown }
  | { readonly k: 'obs'; readonly life: number; readonly obs: Omit<Observation, 'seq'> }
  /** Cost model: the end of a node's step on an event that arrived earlier. */
  | { readonly k: 'cpu'; readonly node: number; readonly life: number;
    readonly event: ProtocolEvent<unknown, unknown>; readonly timerGen: number };

/**
 * An effect listed after a `persist` happens when the write is done, in the sender's life at the
 * time of the step: if the node crashes first, it never happens (the message never leaves).
 */
/** Why a message is dropped when its sender crashed before the write it waited for. */
const DIED_FIRST = 'sender crashed before its write';

interface AfterDisk {
  readonly life: number;
  readonly at: number;
}

export function simulate(options: RunOptions): RunRecord {
  return new Simulation(options).run();
}

class Simulation implements FaultTarget, ClientHost {
  readonly endpoints: Endpoints;
  readonly network: Network;
  private readonly heap = new EventHeap<Item>();
  private readonly trace: Trace;
  private readonly nodes: NodeRuntime[];
  private readonly clients: SimClient[];
  private readonly history = new HistoryRecorder();
  private readonly observations: Observation[] = [];
  private readonly nodeEvents: NodeEvent[] = [];
  private readonly failures: RunFailure[] = [];
  /** Every message's journey, kept with the trace lines (for the report's message diagram). */
  private readonly messages: MessageFact[] | null;
  readonly partitions = new PartitionBook();
  readonly delivery: Delivery;
  private readonly protocol: AnyProtocol;
  private readonly config: ProtocolConfig;
  private readonly faultPrng: Prng;
  private readonly endUs: number;
  private now = 0;
  /** Sequence shared by observations and node facts (Observation.seq). */
  private facts = 0;
  private counters = { sent: 0, delivered: 0, dropped: 0, duplicates: 0, persists: 0 };
  /** The scenario's cost model (simulator/costs.ts), or null: then nothing but links and disks
   * cost time, exactly as before the model existed. */
  private readonly costs: CostModel | null;

  constructor(private readonly opts: RunOptions) {
    const { scenario, protocol } = opts;
    this.protocol = protocol;
    const root = createPrng(opts.seed);
    this.endpoints = buildEndpoints(scenario);
    this.network = new Network(scenario.network, this.endpoints, root.fork());
    this.faultPrng = root.fork();
    this.costs = scenario.costs === undefined ? null : new CostModel(scenario.costs,
      this.endpoints);
    const clientPrng = root.fork();
    // Forked last and only with PCT on, so runs without it draw exactly as before.
    this.delivery = new Delivery(scenario.network.pct, scenario.topology.nodes.length,
      scenario.durationUs, () => root.fork());
    this.trace = new Trace(opts.keepTrace === true, protocol, this.endpoints.names);
    this.messages = opts.keepTrace === true ? [] : null;
    this.endUs = scenario.durationUs + scenario.settleUs;
    this.config = {
      nodes: this.endpoints.placements,
      replicas: scenario.topology.replicas,
      params: { ...protocol.defaults, ...(scenario.params[protocol.name] ?? {}) },
      mutant: opts.mutant ?? null,
    };
    this.nodes = scenario.topology.nodes.map((n, i) => newNodeRuntime(i, n.id));
    const stopAt = scenario.durationUs + Math.floor(scenario.settleUs / 2);
    const directoryParam = protocol.client.directoryParam;
    const directoryNode = directoryParam === undefined ? null : this.config.params[directoryParam];
    const directory = scenario.clients.askDirectory && typeof directoryNode === 'string'
      ? directoryNode : null;
    this.clients = [];
    for (let c = 0; c < scenario.clients.count; c++) {
      const name = this.endpoints.names[this.endpoints.nodeCount + c]!;
      this.clients.push(new SimClient(c, name, scenario.clients, protocol.client,
        scenario.topology.replicas,
        clientPrng.fork(), this, this.history, stopAt, directory));
    }
  }

  run(): RunRecord {
    const { scenario } = this.opts;
    for (const n of this.nodes) this.boot(n, null);
    for (const fault of [...scenario.faults].sort((a, b) => a.at - b.at)) this.heap.push(fault.at,
      { k: 'fault', fault });
    this.heap.push(scenario.durationUs, { k: 'settle' });
    for (const c of this.clients) this.wakeAt(c.index, 0);
    const maxEvents = this.opts.maxEvents ?? 20_000_000;
    let processed = 0;
    while (this.heap.peekTime() <= this.endUs && this.failures.length === 0) {
      const item = this.heap.pop()!;
      assert(this.heap.poppedTime >= this.now, 'event loop: time went back');
      this.now = this.heap.poppedTime;
      this.dispatch(item);
      if (++processed >= maxEvents) {
        this.fail('budget', null, `event budget of ${maxEvents} exhausted at t=${this.now}us`);
      }
      if ((processed & 0xffff) === 0 && this.opts.onProgress) this.opts.onProgress(this.now,
        this.endUs);
    }
    const history = { schema: 'replisim/history@1' as const, ops: this.history.finish() };
    return {
      scenario: scenario.name, protocol: this.protocol.name, seed: this.opts.seed,
      mutant: this.config.mutant, traceHash: this.trace.digest(), endUs: this.now,
      faultWindowEndUs: scenario.durationUs, params: this.config.params,
      replicas: scenario.topology.replicas,
      endpoints: this.endpointList(),
      faults: scenario.faults,
      claimsLinearizable: this.protocol.linearizable !== false,
      history, observations: this.observations, nodeEvents: this.nodeEvents,
      failures: this.failures,
      metrics: computeMetrics(history, this.counters, this.trace.events, this.endUs,
        this.costs?.measures(this.endpoints.names, this.endUs) ?? null),
      trace: this.trace.lines,
      ...(this.messages === null ? {} : { messages: this.messages }),
    };
  }

  private endpointList(): RunRecord['endpoints'] {
    const zoneOf = new Map(this.opts.scenario.topology.dcs.map((d) => [d.name, d.zone]));
    const { names, dcOf, nodeCount } = this.endpoints;
    return names.map((name, i) => ({ name, dc: dcOf[i]!, zone: zoneOf.get(dcOf[i]!) ?? dcOf[i]!,
      client: i >= nodeCount }));
  }

  private dispatch(item: Item): void {
    switch (item.k) {
      case 'msg': return this.deliverMessage(item);
      case 'req': return this.deliverRequest(item);
      case 'rep': return this.deliverReply(item);
      case 'timer': return this.fireTimer(item);
      case 'fault':
        this.record(describeFault(item.fault));
        return applyFault(this, item.fault);
      case 'wake': return this.clients[item.client]!.wake(this.now);
      case 'ctimeout': return this.clients[item.client]!.onTimeout(item.seq,
        item.attempt, this.now);
      case 'cretry': return this.clients[item.client]!.onRetry(item.seq, item.attempt, this.now);
      case 'settle': return this.settle();
      case 'disk': return this.writeDone(item);
      case 'obs':
        if (this.livesOn(item.obs.node, item.life)) {
          this.observations.push({ ...item.obs, seq: this.facts++ });
        }
        return;
      case 'cpu': return this.stepDone(item);
    }
  }

  /** End of the fault window: heal everything, restart crashed nodes, quiet the network. */
  private settle(): void {
    this.record('settle: heal all, restart crashed, resume paused');
    this.partitions.heal(this);
    this.network.healAll();
    this.network.quiet();
    this.delivery.settle();
    for (const n of this.nodes) {
      n.slowUs = 0;
      n.diskSlowUs = 0;
      if (n.paused) this.resume(n.index);
      if (!n.up) this.boot(n, n.disk);
    }
  }

  // ---- delivery ----------------------------------------------------------------------------

  /** Why something arriving at a node from `from` cannot be handled now, or null. */
  private refusal(node: NodeRuntime, from: number): 'cut' | 'down' | 'paused' | null {
    if (this.network.isCut(from, node.index)) return 'cut';
    if (!node.up) return 'down';
    return node.paused ? 'paused' : null;
  }

  private deliverMessage(item: Extract<Item, { k: 'msg' }>): void {
    const node = this.nodes[item.to]!;
    const from = this.endpoints.names[item.from]!;
    const refused = this.refusal(node, item.from);
    if (refused === 'paused') {
      node.held.push(() => this.deliverMessage(item));
      return;
    }
    const drop = this.diedFirst(item) ? DIED_FIRST : refused;
    this.journey(item, this.now, () => this.protocol.describeMessage(item.msg), drop);
    this.trace.message(this.now, item.from, item.to, item.msg, drop);
    if (drop !== null) return;
    this.handle(node, { kind: 'message', now: localTime(node, this.now), from, msg: item.msg });
  }

  private deliverRequest(item: Extract<Item, { k: 'req' }>): void {
    const node = this.nodes[item.to]!;
    const r = item.request;
    const refused = this.refusal(node, item.from);
    if (refused === 'paused') {
      node.held.push(() => this.deliverRequest(item));
      return;
    }
    this.journey(item, this.now, () => `Request #${r.seq} ${describeOp(r.op)}`, refused);
    this.trace.request(this.now, item.from, item.to, r, refused);
    if (refused !== null) return;
    this.handle(node, { kind: 'clientRequest', now: localTime(node, this.now), request: r });
  }

  private deliverReply(item: Extract<Item, { k: 'rep' }>): void {
    const client = this.clients[item.to - this.endpoints.nodeCount]!;
    const drop = this.diedFirst(item) ? DIED_FIRST
      : this.network.isCut(item.from, item.to) ? 'cut' : null;
    this.journey(item, this.now, () => `Reply #${item.seq} ${describeOutcome(item.outcome)}`, drop);
    this.trace.reply(this.now, item.from, item.to, item.seq, item.outcome, drop);
    if (drop !== null) return;
    client.onReply(item.seq, item.outcome, this.now);
  }

  private fireTimer(item: Extract<Item, { k: 'timer' }>): void {
    const node = this.nodes[item.node]!;
    // Cancelled, replaced or crashed.
    if (!node.up || node.timers.get(item.name) !== item.gen) return;
    if (node.paused) {
      node.held.push(() => this.fireTimer(item));
      return;
    }
    this.trace.timer(this.now, node.index, item.name);
    this.handle(node, { kind: 'timer', now: localTime(node, this.now), timer: item.name },
      item.gen);
  }

  /** Whether the sender crashed before the disk write this message waited for was done. */
  private diedFirst(item: { readonly from: number; readonly after?: AfterDisk }): boolean {
    if (item.after === undefined) return false;
    const sender = this.nodes[item.from]!;
    if (sender.life === item.after.life) return false;
    return sender.deaths[item.after.life]! <= item.after.at;
  }

  /** Whether the named node is still in the given life. */
  private livesOn(name: string, life: number): boolean {
    return this.nodes[this.endpoints.indexOf(name)]!.life === life;
  }

  /** Counts a delivery, or a drop when there is a reason for one. */
  private count(drop: string | null): void {
    if (drop === null) this.counters.delivered++;
    else this.counters.dropped++;
  }

  // ---- stepping the protocol ---------------------------------------------------------------

  /**
   * COST MODEL HOOK. Without a cost model the node steps now. With one, the node's CPU takes
   * the event in FIFO order; the step runs when the CPU is done with it (its effects leave then).
   */
  private handle(node: NodeRuntime, event: ProtocolEvent<unknown, unknown>, timerGen = 0): void {
    if (this.costs === null) return this.stepNow(node, event);
    const bytes = event.kind === 'message' ? this.sizeOf(event.msg)
      : event.kind === 'clientRequest' ? this.costs.messageBytes : 0;
    const done = this.costs.admit(node.index, this.now, bytes);
    if (done > this.now) {
      this.heap.push(done, { k: 'cpu', node: node.index, life: node.life, event, timerGen });
      return;
    }
    this.costs.finished(node.index, this.now);
    this.stepNow(node, event);
  }

  /** A timer is spent when its step runs (a timer waiting for the CPU can still be cancelled). */
  private stepNow(node: NodeRuntime, event: ProtocolEvent<unknown, unknown>): void {
    if (event.kind === 'timer') node.timers.delete(event.timer);
    this.step(node, event);
  }

  /** COST MODEL: a step's CPU time is over; a crash in between lost the event. */
  private stepDone(item: Extract<Item, { k: 'cpu' }>): void {
    const node = this.nodes[item.node]!;
    if (item.life !== node.life) return;
    this.costs!.finished(node.index, this.now);
    // A timer cancelled or re-armed while its event waited for the CPU does not fire.
    if (item.event.kind === 'timer' && node.timers.get(item.event.timer) !== item.timerGen) return;
    const run = (): void => this.stepNow(node, { ...item.event, now: localTime(node, this.now) });
    if (node.paused) node.held.push(run);
    else run();
  }

  /** COST MODEL: a message's size in bytes, the protocol's own measure if it has one. */
  private sizeOf(msg: unknown): number {
    return this.protocol.sizeOf?.(msg) ?? this.costs!.messageBytes;
  }

  private step(node: NodeRuntime, event: ProtocolEvent<unknown, unknown>): void {
    let effects: readonly Effect<unknown>[];
    try {
      const result = this.protocol.step(node.state, event);
      node.state = result.state;
      effects = result.effects;
      if (this.opts.checkInvariants !== false && this.protocol.invariants) {
        const broken = this.protocol.invariants(node.state);
        if (broken !== null) return this.fail('invariant', node.name, broken);
      }
      // Inside the try: an effect naming an unknown endpoint or a non-finite deadline is the
      // protocol's fault, reported like an assertion, not an internal error of the simulator.
      this.applyEffects(node, effects);
    } catch (error) {
      return this.fail('assertion', node.name, errorText(error));
    }
  }

  private applyEffects(node: NodeRuntime, effects: readonly Effect<unknown>[]): void {
    let delayUs = 0;
    let written = false;
    const diskUs = this.opts.scenario.network.diskWriteUs + node.diskSlowUs;
    for (const effect of effects) {
      switch (effect.kind) {
        case 'send': {
          const to = this.endpoints.indexOf(effect.to);
          const sent = this.now + delayUs;
          const item: Item = delayUs === 0
            ? { k: 'msg', from: node.index, to, msg: effect.msg, sent }
            : { k: 'msg', from: node.index, to, msg: effect.msg, sent,
              after: this.after(node, delayUs) };
          const shaped = this.delivery.active ? this.shape(node.index, to, effect.msg) : 0;
          let lost: string | null = null;
          if (shaped === 'drop') {
            this.counters.sent++; // Never reaches transmit, which counts the others.
            lost = 'targeted';
          } else if (!this.transmit(item, this.now + delayUs + shaped)) {
            lost = this.network.dropReason;
          }
          if (lost !== null) {
            const label = (): string => this.protocol.describeMessage(effect.msg);
            this.journey(item, item.sent, label, lost);
            this.trace.message(this.now, node.index, to, effect.msg, lost);
          }
          break;
        }
        case 'reply': {
          const to = this.endpoints.indexOf(effect.to);
          const after = delayUs === 0 ? {} : { after: this.after(node, delayUs) };
          const item: Item = { k: 'rep', from: node.index, to, seq: effect.seq,
            sent: this.now + delayUs, outcome: effect.outcome, ...after };
          if (!this.transmit(item, this.now + delayUs)) {
            this.journey(item, item.sent,
              () => `Reply #${effect.seq} ${describeOutcome(effect.outcome)}`,
              this.network.dropReason);
            this.trace.reply(this.now, node.index, to, effect.seq, effect.outcome,
              this.network.dropReason);
          }
          break;
        }
        case 'setTimer': {
          if (!Number.isFinite(effect.at)) {
            throw new Error(`timer ${effect.timer}: deadline ${effect.at} is not a number`);
          }
          const gen = ++node.timerGen;
          node.timers.set(effect.timer, gen);
          const at = this.now + globalDelay(node, this.now, effect.at);
          this.heap.push(at, { k: 'timer', node: node.index, name: effect.timer, gen });
          break;
        }
        case 'cancelTimer':
          node.timers.delete(effect.timer);
          break;
        case 'persist':
          this.counters.persists++;
          // One write per step, of the image of the state this step produced: later persists
          // of the same step are in it, so everything listed after any of them waits for it.
          if (!written) delayUs = this.startWrite(node, diskUs);
          written = true;
          break;
        case 'observe': {
          const at = this.now + delayUs;
          const obs = { at, node: node.name, label: effect.label, data: effect.data };
          // After a persist, the fact holds only once the write is done, if the node lives on.
          if (delayUs === 0) this.observations.push({ ...obs, seq: this.facts++ });
          else this.heap.push(at, { k: 'obs', life: node.life, obs });
          break;
        }
      }
    }
  }

  private after(node: NodeRuntime, delayUs: number): AfterDisk {
    return { life: node.life, at: this.now + delayUs };
  }

  /**
   * Writes `durable(state)` of the node's current state; returns how long until it lands. The
   * disk completes writes in issue order (a later write never lands before an earlier one, as
   * with fsync), so a fact stamped at a write's completion never precedes an earlier write's.
   */
  private startWrite(node: NodeRuntime, diskUs: number): number {
    const image = this.protocol.durable(node.state);
    const write = ++node.writesIssued;
    const doneAt = Math.max(this.now + diskUs, node.diskFreeAt);
    node.diskFreeAt = doneAt;
    if (doneAt === this.now) {
      node.disk = image;
      node.writesDone = write;
      return 0;
    }
    node.unsynced++;
    this.heap.push(doneAt, { k: 'disk', node: node.index, life: node.life, write, image });
    return doneAt - this.now;
  }

  private writeDone(item: Extract<Item, { k: 'disk' }>): void {
    const node = this.nodes[item.node]!;
    if (item.life !== node.life) return; // The node crashed while the write was in flight.
    node.unsynced--;
    assert(node.unsynced >= 0, 'disk: more writes completed than issued');
    if (item.write < node.writesDone) return;
    node.disk = item.image;
    node.writesDone = item.write;
  }

  /** Puts a message on the network; false when the network dropped it. */
  private transmit(item: Item & { readonly from: number; readonly to: number },
    at: number): boolean {
    this.counters.sent++;
    // COST MODEL HOOK: the message enters the network once the link has sent it out.
    if (this.costs !== null) at = this.costs.depart(item.from, item.to, at,
      item.k === 'msg' ? this.sizeOf(item.msg) : this.costs.messageBytes);
    const copies = this.network.transmit(item.from, item.to, at);
    if (copies === 0) return false;
    if (copies === 2) this.counters.duplicates++;
    const slowUs = item.to < this.nodes.length ? this.nodes[item.to]!.slowUs : 0;
    for (let i = 0; i < copies; i++) this.heap.push(this.network.arrival[i]! + slowUs, item);
    return true;
  }

  /** Targeted faults and PCT priorities (simulator/delivery.ts) for one node-to-node message. */
  private shape(from: number, to: number, msg: unknown): number | 'drop' {
    if (to >= this.nodes.length) return 0;
    const typeOf = (): string => this.protocol.messageType?.(msg) ?? '';
    return this.delivery.fate(from, to, typeOf, this.now);
  }

  /** A message lost on its way out: counted, and noted for the report's message diagram. */
  /**
   * A message's journey ends (delivered at `at`, or dropped for `drop`): counted, and noted for
   * the report's message diagram when the run keeps its trace. A loss on the way out ends at
   * its send time.
   */
  private journey(item: { readonly from: number; readonly to: number; readonly sent: number },
    at: number, label: () => string, drop: string | null): void {
    this.count(drop);
    if (this.messages === null) return;
    this.messages.push({ sent: item.sent, at, from: this.endpoints.names[item.from]!,
      to: this.endpoints.names[item.to]!, label: label(), drop });
  }

  private fail(kind: RunFailure['kind'], node: string | null, message: string): void {
    this.failures.push({ kind, at: this.now, node, message });
    this.record(`FAIL ${kind}${node === null ? '' : ` ${node}`}: ${message}`);
  }

  private record(text: string): void {
    this.trace.record(this.now, text);
  }

  // ---- FaultTarget -------------------------------------------------------------------------

  private boot(node: NodeRuntime, durable: unknown): void {
    node.up = true;
    node.paused = false;
    node.held = [];
    node.timers.clear();
    node.state = this.protocol.init(node.name, this.config);
    this.nodeEvent(node, 'up');
    this.record(`${node.name} start${durable === null ? ' (empty disk)' : ''}`);
    this.step(node, { kind: 'restart', now: localTime(node, this.now), durable });
  }

  crash(index: number): void {
    const node = this.nodes[index]!;
    if (!node.up) return;
    // The disk keeps what completed; writes still in flight are lost with the machine.
    if (node.unsynced > 0) this.record(`${node.name} crash loses ${node.unsynced} unsynced write` +
      `${node.unsynced === 1 ? '' : 's'}`);
    node.deaths[node.life] = this.now;
    node.life++;
    node.unsynced = 0;
    node.diskFreeAt = 0; // The writes in flight are gone; a new life starts with an idle disk.
    this.costs?.crashed(index, this.now); // COST MODEL HOOK: so are the events the CPU held.
    this.nodeEvent(node, 'down');
    node.up = false;
    node.state = null;
    node.timers.clear();
    node.held = [];
    node.paused = false;
  }

  restart(index: number, amnesia: boolean): void {
    const node = this.nodes[index]!;
    this.crash(index);
    if (amnesia) node.disk = null;
    this.boot(node, node.disk);
  }

  pause(index: number): void {
    const node = this.nodes[index]!;
    if (!node.up || node.paused) return;
    node.paused = true;
    this.nodeEvent(node, 'paused');
  }

  resume(index: number): void {
    const node = this.nodes[index]!;
    if (!node.paused) return;
    node.paused = false;
    this.nodeEvent(node, 'resumed');
    const held = node.held;
    node.held = [];
    for (const deliver of held) deliver();
  }

  runtime(index: number): NodeRuntime {
    return this.nodes[index]!;
  }

  operator(index: number, name: string, args: Json): void {
    const node = this.nodes[index]!;
    if (!node.up) return;
    this.handle(node, { kind: 'operator', now: localTime(node, this.now),
      command: { name, args } });
  }

  corrupt(index: number): void {
    const node = this.nodes[index]!;
    if (!node.up || this.protocol.corrupt === undefined) return;
    const draw = (n: number): number => this.faultPrng.int(0, Math.max(0, n - 1));
    node.state = this.protocol.corrupt(node.state, draw);
    this.nodeEvent(node, 'corrupted');
  }

  private nodeEvent(node: NodeRuntime, kind: NodeEvent['kind']): void {
    this.nodeEvents.push({ at: this.now, seq: this.facts++, node: node.name, kind });
  }

  nodeFact(index: number, kind: NodeEvent['kind']): void {
    this.nodeEvent(this.nodes[index]!, kind);
  }

  // ---- ClientHost --------------------------------------------------------------------------

  sendRequest(client: number, to: string, request: ClientRequest): void {
    const item: Item = { k: 'req', from: this.endpoints.nodeCount + client,
      to: this.endpoints.indexOf(to), sent: this.now, request };
    if (!this.transmit(item, this.now)) {
      this.journey(item, item.sent,
        () => `Request #${request.seq} ${describeOp(request.op)}`, this.network.dropReason);
      this.trace.request(this.now, item.from, item.to, request, this.network.dropReason);
    }
  }

  wakeAt(client: number, at: number): void {
    this.heap.push(at, { k: 'wake', client });
  }

  timeoutAt(client: number, at: number, seq: number, attempt: number): void {
    this.heap.push(at, { k: 'ctimeout', client, seq, attempt });
  }

  retryAt(client: number, at: number, seq: number, attempt: number): void {
    this.heap.push(at, { k: 'cretry', client, seq, attempt });
  }

  note(text: string): void {
    this.record(text);
  }

  noteInvoke(client: number, opId: number, op: KvOp): void {
    this.trace.invoke(this.now, this.endpoints.nodeCount + client, opId, op);
  }

  noteReturn(client: number, opId: number, outcome: ReplyOutcome): void {
    this.trace.complete(this.now, this.endpoints.nodeCount + client, opId, outcome);
  }
}

