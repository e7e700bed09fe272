/**
 * The discrete-event engine. One run = one scenario + one protocol + one seed. Everything random
 * comes from forks of the one seeded PRNG, every event goes through the (time, seq) heap, and
 * every processed event is one trace entry, so the same inputs give the same trace hash.
 *
 * This file composes the parts and routes each event to the one that handles it:
 * event-loop.ts (time and the heap), arrivals.ts (messages, requests, replies, timers coming
 * due), effect-interpreter.ts (stepping a node and carrying out its effects), transport.ts (the
 * wire), disk.ts (disk images), node-lifecycle.ts (boot, crash, pause, the fault target),
 * client-host.ts (the clients' side), run-log.ts (what the run writes down).
 */
import type { AnyProtocol, ProtocolConfig } from '../protocol/types.js';
import { Arrivals } from './arrivals.js';
import { SimClient } from './clients.js';
import { SimClientHost, SimOperatorHost } from './client-host.js';
import type { Scenario } from './config.js';
import { CostModel } from './costs.js';
import { Delivery } from './delivery.js';
import { describeFault } from './describe.js';
import { Disks } from './disk.js';
import { EffectInterpreter } from './effect-interpreter.js';
import { EventLoop, type LoopHost } from './event-loop.js';
import { applyFault } from './faults/kinds.js';
import { HistoryRecorder } from './history-recorder.js';
import { computeMetrics } from './metrics.js';
import { Network } from './network.js';
import { newNodeRuntime, type NodeRuntime } from './node-runtime.js';
import { NodeLifecycle } from './node-lifecycle.js';
import { OperatorClient } from './operator-client.js';
import { createPrng } from './prng.js';
import { RunLog } from './run-log.js';
import type { RunFailure, RunRecord } from './run-record.js';
import { releaseDue, type RecordFact } from './observation-queue.js';
import type { MessageEvent, SimEvent } from './sim-events.js';
import { StateCoverage } from './state-coverage.js';
import { Streams } from './streams.js';
import { buildEndpoints, type Endpoints } from './topology.js';
import { Transport } from './transport.js';

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
  /** Fingerprint every node's protocol state after each step (RunRecord.stateFingerprints). */
  readonly stateCoverage?: boolean;
  readonly onProgress?: (nowUs: number, endUs: number) => void;
}

/** Whether a fault of the scenario submits an operator command the protocol takes as a request. */
function needsOperator(scenario: Scenario, protocol: AnyProtocol): boolean {
  const names = protocol.operatorRequests ?? [];
  return scenario.faults.some((f) => f.kind === 'operator' && names.includes(f.name));
}

export function simulate(options: RunOptions): RunRecord {
  return new Simulation(options).run();
}

class Simulation implements LoopHost {
  private readonly endpoints: Endpoints;
  private readonly loop: EventLoop;
  private readonly log: RunLog;
  private readonly nodes: NodeRuntime[];
  private readonly clients: SimClient[] = [];
  /** The operator client, when the scenario submits operator commands as requests. */
  private readonly operator: OperatorClient | null;
  /** Every client by client index, the operator client last: where replies and timeouts go. */
  private readonly routes: (SimClient | OperatorClient)[] = [];
  private readonly history = new HistoryRecorder();
  private readonly config: ProtocolConfig;
  private readonly costs: CostModel | null;
  private readonly streams: Streams | null;
  private readonly endUs: number;
  private readonly disks: Disks;
  private readonly interpreter: EffectInterpreter;
  private readonly arrivals: Arrivals;
  private readonly lifecycle: NodeLifecycle;
  private readonly states: StateCoverage | null;
  private readonly delivery: Delivery;

  constructor(private readonly opts: RunOptions) {
    const { scenario, protocol } = opts;
    const root = createPrng(opts.seed);
    const endpoints = buildEndpoints(scenario, needsOperator(scenario, protocol));
    this.endpoints = endpoints;
    const network = new Network(scenario.network, endpoints, root.fork());
    const faultPrng = root.fork();
    this.costs = scenario.costs === undefined ? null : new CostModel(scenario.costs, endpoints);
    const clientPrng = root.fork();
    // Forked last and only with PCT on, so runs without it draw exactly as before.
    const delivery = new Delivery(scenario.network.pct, scenario.topology.nodes.length,
      scenario.durationUs, () => root.fork());
    this.delivery = delivery;
    this.endUs = scenario.durationUs + scenario.settleUs;
    this.loop = new EventLoop({ endUs: this.endUs, maxEvents: opts.maxEvents ?? 20_000_000,
      nodes: endpoints.nodeCount, clients: endpoints.clientCount,
      ...(opts.onProgress === undefined ? {} : { onProgress: opts.onProgress }) });
    this.log = new RunLog(this.loop, opts.keepTrace === true, protocol, endpoints);
    this.config = {
      nodes: endpoints.placements,
      replicas: scenario.topology.replicas,
      params: { ...protocol.defaults, ...(scenario.params[protocol.name] ?? {}) },
      mutant: opts.mutant ?? null,
    };
    this.nodes = scenario.topology.nodes.map((n, i) => newNodeRuntime(i, n.id));
    this.streams = this.costs === null || scenario.costs?.stream === undefined ? null
      : new Streams(scenario.costs.stream, this.loop, this.costs, network, this.nodes,
        (event, reason) => this.streamLost(event, reason));
    const transport = new Transport(this.loop, network, delivery, this.costs, protocol,
      this.nodes, this.log.counters, this.streams);
    this.disks = new Disks(this.loop, scenario.network.diskWriteUs);
    this.states = opts.stateCoverage === true ? new StateCoverage() : null;
    this.interpreter = new EffectInterpreter(this.loop, this.log, transport, this.disks,
      protocol, endpoints, this.costs, opts.checkInvariants !== false, this.states);
    this.arrivals = new Arrivals(this.loop, this.log, network, endpoints, protocol, this.nodes,
      this.routes, this.interpreter);
    this.operator = endpoints.clientCount === scenario.clients.count ? null
      : new OperatorClient(protocol.client, scenario.topology.replicas,
        scenario.clients.requestTimeoutUs,
        new SimOperatorHost(this.loop, this.log, transport, endpoints));
    this.lifecycle = new NodeLifecycle(this.loop, this.log, endpoints, network, delivery,
      protocol, this.config, this.nodes, this.disks, this.costs, this.interpreter,
      this.arrivals, faultPrng, this.operator);
    const host = new SimClientHost(this.loop, this.log, transport, endpoints);
    const stopAt = scenario.durationUs + Math.floor(scenario.settleUs / 2);
    const directoryParam = protocol.client.directoryParam;
    const directoryNode = directoryParam === undefined ? null : this.config.params[directoryParam];
    const directory = scenario.clients.askDirectory && typeof directoryNode === 'string'
      ? directoryNode : null;
    for (let c = 0; c < scenario.clients.count; c++) {
      const name = endpoints.names[endpoints.nodeCount + c]!;
      this.clients.push(new SimClient(c, name, scenario.clients, protocol.client,
        scenario.topology.replicas, clientPrng.fork(), host, this.history, stopAt, directory));
    }
    this.routes.push(...this.clients);
    if (this.operator !== null) this.routes.push(this.operator);
  }

  run(): RunRecord {
    const { scenario, protocol } = this.opts;
    this.loop.run(this, () => {
      for (const n of this.nodes) this.lifecycle.boot(n, null);
      const faults = [...scenario.faults].sort((a, b) => a.at - b.at);
      for (const fault of faults) this.loop.schedule(fault.at, { k: 'fault', fault });
      this.loop.schedule(scenario.durationUs, { k: 'settle' });
      for (const c of this.clients) this.loop.schedule(0, { k: 'wake', client: c.index });
    });
    const history = { schema: 'replisim/history@1' as const, ops: this.history.finish() };
    this.arrivals.settleSendLosses();
    const log = this.log;
    return {
      scenario: scenario.name, protocol: protocol.name, seed: this.opts.seed,
      mutant: this.config.mutant, traceHash: log.trace.digest(), endUs: this.loop.now,
      faultWindowEndUs: scenario.durationUs, params: this.config.params,
      replicas: scenario.topology.replicas,
      endpoints: this.endpointList(),
      faults: scenario.faults,
      claimsLinearizable: protocol.linearizable !== false,
      history, observations: log.observations, nodeEvents: log.nodeEvents,
      replies: log.replies, requestTimeouts: log.requestTimeouts,
      failures: log.failures,
      metrics: computeMetrics(history,
        { ...log.counters, longestHoldUs: this.delivery.longestHoldUs }, log.trace.events,
        this.endUs, this.costs?.measures(this.endpoints.names, this.endUs) ?? null),
      trace: log.trace.lines,
      ...(log.messages === null ? {} : { messages: log.messages }),
      ...(this.states === null ? {} : { stateFingerprints: this.states.fingerprints() }),
    };
  }

  /** Where released observations go, made once (no closure per 'obs' event). */
  private readonly record: RecordFact = (at, node, label, data, stepAt, step) =>
    this.log.observe(at, node, label, data, stepAt, step);

  dispatch(event: SimEvent): void {
    const now = this.loop.now;
    switch (event.k) {
      case 'msg': return this.arrivals.message(event);
      case 'req': return this.arrivals.request(event);
      case 'oreq': return this.arrivals.operatorRequest(event);
      case 'rep': return this.arrivals.reply(event);
      case 'timer': return this.arrivals.timer(event);
      case 'fault':
        this.log.record(describeFault(event.fault));
        return applyFault(this.lifecycle, event.fault);
      case 'wake': return this.clients[event.client]!.wake(now);
      case 'ctimeout': return this.routes[event.client]!.onTimeout(event.seq, event.attempt, now);
      case 'cretry': return this.routes[event.client]!.onRetry(event.seq, event.attempt, now);
      case 'settle': return this.lifecycle.settle();
      case 'disk': return this.disks.landed(this.nodes[event.node]!, event);
      case 'obs':
        if (this.lifecycle.livesOn(event.node, event.life)) {
          releaseDue(this.nodes[event.node]!, now, this.record);
        }
        return;
      case 'cpu': return this.interpreter.cpuDone(this.nodes[event.node]!, event);
      case 'chunk': return this.streams!.handle(event);
    }
  }

  /** COST MODEL: a streamed message lost on its way, reported as a lost message is. */
  private streamLost(event: MessageEvent, reason: string): void {
    const now = this.loop.now;
    this.log.journey(event, now, (e) => this.opts.protocol.describeMessage(e.msg), reason);
    this.log.trace.message(now, event.from, event.to, event.msg, reason);
  }

  fail(kind: RunFailure['kind'], message: string): void {
    this.log.fail(kind, null, message);
  }

  failed(): boolean {
    return this.log.failures.length > 0;
  }

  private endpointList(): RunRecord['endpoints'] {
    const zoneOf = new Map(this.opts.scenario.topology.dcs.map((d) => [d.name, d.zone]));
    const { names, dcOf, nodeCount } = this.endpoints;
    return names.map((name, i) => ({ name, dc: dcOf[i]!, zone: zoneOf.get(dcOf[i]!) ?? dcOf[i]!,
      client: i >= nodeCount }));
  }
}
