/**
 * The transition relation of the closed system: its initial state, the enabled actions of a
 * state in a fixed order (so that a path of action indices replays, STYLE §14), and the state an
 * action leads to.
 */
import { describeOp } from '../../protocol/kv.js';
import type { AnyProtocol, Json, ProtocolConfig } from '../../protocol/types.js';
import { describeOutcome } from '../describe.js';
import { clientOp, initialClient, invoke, onReply, retry } from './client.js';
import { errorText } from '../../protocol/assert.js';
import { Draft, NOW, nodeSlot, type Model } from './draft.js';
import type { Action, CheckConfig, HistoryCheck, Packet, SystemState, Violation } from './types.js';

export function makeModel(
  protocol: AnyProtocol, cfg: CheckConfig, historyCheck: HistoryCheck | null,
): Model {
  const names = Array.from({ length: cfg.replicas }, (_, i) => `n${i + 1}`);
  // One data center and zone per node, so placement rules (distinct DCs) can be met.
  const pconfig: ProtocolConfig = {
    nodes: names.map((id, i) => ({ id, dc: `dc${i + 1}`, zone: `z${i + 1}` })),
    replicas: names,
    params: { ...protocol.defaults, ...(cfg.params as { [k: string]: Json }) },
    mutant: cfg.mutant,
  };
  const check = protocol.linearizable === false ? null : historyCheck;
  return { protocol, cfg, pconfig, historyCheck: check, verdicts: new Map(), packets: new Map(),
    inits: new Map() };
}

/** Every node booted from an empty disk; clients idle. */
export function initialState(model: Model): Transition {
  const empty: SystemState = {
    nodes: model.pconfig.replicas.map((name) =>
      nodeSlot(name, false, null, null, [])),
    inflight: [], clients: [], history: [], events: 0, crashes: 0, drops: 0, fired: 0,
  };
  const d = new Draft(model, empty);
  const target = model.protocol.client.target;
  for (let c = 0; c < model.cfg.clients; c++) {
    d.clients.push(initialClient(model.pconfig.replicas, target, c));
  }
  for (let n = 0; n < d.nodes.length && d.violation === null; n++) boot(d, n, null);
  return { state: d.finish(), violation: d.violation };
}

/** The enabled actions, in a fixed order: deliver, drop, timer, invoke, retry, crash, restart. */
export function enumerateActions(model: Model, s: SystemState): Action[] {
  const { cfg } = model;
  const out: Action[] = [];
  // Identical copies have identical successors: one action per distinct packet. Interned
  // packets carry their two actions, so that a state's actions share them.
  const inflight = s.inflight;
  for (let i = 0; i < inflight.length; i++) {
    const p = inflight[i]!;
    if (i === 0 || inflight[i - 1] !== p) out.push(p.deliver ??= { kind: 'deliver', packet: p });
  }
  if (s.drops < cfg.drops) {
    for (let i = 0; i < inflight.length; i++) {
      const p = inflight[i]!;
      if (i === 0 || inflight[i - 1] !== p) out.push(p.drop ??= { kind: 'drop', packet: p });
    }
  }
  const nodes = s.nodes;
  if (cfg.timers === null || s.fired < cfg.timers) {
    for (let node = 0; node < nodes.length; node++) {
      const n = nodes[node]!;
      if (n.up) for (const timer of n.timers) out.push({ kind: 'timer', node, timer });
    }
  }
  const clients = s.clients;
  for (let client = 0; client < clients.length; client++) {
    const c = clients[client]!;
    if (c.opId === null && c.issued < cfg.ops) out.push({ kind: 'invoke', client });
  }
  for (let client = 0; client < clients.length; client++) {
    const c = clients[client]!;
    if (c.opId !== null && c.retries < cfg.retries) out.push({ kind: 'retry', client });
  }
  if (s.crashes < cfg.crashes) {
    for (let node = 0; node < nodes.length; node++) {
      if (nodes[node]!.up) out.push({ kind: 'crash', node });
    }
  }
  for (let node = 0; node < nodes.length; node++) {
    if (!nodes[node]!.up) out.push({ kind: 'restart', node });
  }
  return out;
}

export interface Transition {
  readonly state: SystemState;
  readonly violation: Violation | null;
}

export function applyAction(model: Model, s: SystemState, a: Action): Transition {
  const d = new Draft(model, s);
  switch (a.kind) {
    case 'deliver': d.removePacket(a.packet.key); deliver(d, a.packet); break;
    case 'drop': d.removePacket(a.packet.key); d.drops++; break;
    case 'timer': {
      if (model.cfg.timers !== null) d.fired++;
      d.transition(a.node, a.timer, () => {
        const n = d.nodes[a.node]!;
        d.nodes[a.node] = nodeSlot(n.name, n.up, n.state, n.disk,
          n.timers.filter((t) => t !== a.timer));
        d.stepNode(a.node, { kind: 'timer', now: NOW, timer: a.timer });
      });
      break;
    }
    case 'invoke': invoke(d, a.client); break;
    case 'retry': retry(d, a.client); break;
    case 'crash':
      d.crashes++;
      d.transition(a.node, CRASH, () => crash(d, a.node));
      break;
    case 'restart':
      d.transition(a.node, RESTART, () => boot(d, a.node, d.nodes[a.node]!.disk));
      break;
  }
  return { state: d.finish(), violation: d.violation };
}

/** A packet for a down node is lost, as in the simulator. */
function deliver(d: Draft, p: Packet): void {
  if (p.kind === 'rep') {
    const c = d.clients.findIndex((cl) => cl.name === p.to);
    if (c >= 0) onReply(d, c, p.body.seq, p.body.outcome);
    return;
  }
  const n = d.nodeIndex(p.to);
  if (n < 0 || !d.nodes[n]!.up) return;
  if (p.kind === 'msg') {
    d.transition(n, p, () =>
      d.stepNode(n, { kind: 'message', now: NOW, from: p.from, msg: p.body }));
  } else {
    d.transition(n, p, () => d.stepNode(n, { kind: 'clientRequest', now: NOW, request: p.body }));
  }
}

/** Keys of the node transitions that are not a packet or a timer (see `Draft.transition`). */
const CRASH = Symbol('crash');
const RESTART = Symbol('restart');

/** Volatile state and timers are lost; only `durable(state)` survives. */
function crash(d: Draft, n: number): void {
  const slot = d.nodes[n]!;
  try {
    const disk = d.model.protocol.durable(slot.state);
    d.nodes[n] = nodeSlot(slot.name, false, null, disk, []);
  } catch (error) {
    d.violation ??= { kind: 'assertion', node: slot.name, message: errorText(error) };
  }
}

function boot(d: Draft, n: number, durable: unknown): void {
  const name = d.nodes[n]!.name;
  try {
    let state = d.model.inits.get(name);
    if (state === undefined) {
      state = d.model.protocol.init(name, d.model.pconfig);
      d.model.inits.set(name, state);
    }
    d.nodes[n] = nodeSlot(name, true, state, null, []);
  } catch (error) {
    d.violation ??= { kind: 'assertion', node: name, message: errorText(error) };
    return;
  }
  d.stepNode(n, { kind: 'restart', now: NOW, durable });
}

/** One line per action, in the trace's style, e.g. `deliver n1->n2 Update i=1 put k0 c0.1`. */
export function describeAction(model: Model, s: SystemState, a: Action): string {
  switch (a.kind) {
    case 'deliver': case 'drop': {
      const down = a.packet.kind !== 'rep' && s.nodes.some((n) => n.name === a.packet.to && !n.up);
      const lost = down && a.kind === 'deliver' ? ' (lost: down)' : '';
      return `${a.kind} ${describePacket(model, a.packet)}${lost}`;
    }
    case 'timer': return `${s.nodes[a.node]!.name} timer ${a.timer}`;
    case 'invoke': {
      const c = s.clients[a.client]!;
      return `${c.name} invoke #${s.history.length} ${describeOp(clientOp(a.client, c.issued))}`;
    }
    case 'retry': {
      const c = s.clients[a.client]!;
      return `${c.name} timeout, resend #${c.opId}`;
    }
    case 'crash': return `crash ${s.nodes[a.node]!.name}`;
    case 'restart': return `restart ${s.nodes[a.node]!.name}`;
  }
}

function describePacket(model: Model, p: Packet): string {
  const route = `${p.from}->${p.to}`;
  switch (p.kind) {
    case 'msg': return `${route} ${model.protocol.describeMessage(p.body)}`;
    case 'req': return `${route} Request #${p.body.seq} ${describeOp(p.body.op)}`;
    case 'rep': return `${route} Reply #${p.body.seq} ${describeOutcome(p.body.outcome)}`;
  }
}
