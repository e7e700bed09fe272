/**
 * A transition under construction: a mutable copy of the parts of a SystemState that one action
 * may change, plus the fixed model of the search. Protocol steps and their effects are applied
 * here exactly as the simulator applies them, minus time (see types.ts).
 */
import { AssertionFailure, errorText } from '../../protocol/assert.js';
import type {
  AnyProtocol, ClientRequest, Effect, ProtocolConfig, ProtocolEvent, ReplyOutcome,
} from '../../protocol/types.js';
import { serialize } from './fingerprint.js';
import { addString, addWord, beginWords, endWords, hashHi, hashOf } from '../hash64.js';
import { sameValue } from './same-value.js';
import type {
  CheckConfig, CheckOp, ClientSlot, HistoryCheck, NodeSlot, Packet, SystemState, Violation,
} from './types.js';

/** Every event is stamped with this local time: deadlines are abstracted away. */
export const NOW = 0;

/** Everything fixed for one search. */
export interface Model {
  readonly protocol: AnyProtocol;
  readonly cfg: CheckConfig;
  readonly pconfig: ProtocolConfig;
  /** Null when the protocol does not claim linearizability. */
  readonly historyCheck: HistoryCheck | null;
  /** Verdicts by history hash (hash64.ts): the same history is reached along many paths. */
  readonly verdicts: Map<string, { readonly verdict: string; readonly explanation?: string }>;
  /**
   * Every distinct packet met, by the low lane of its fingerprint part (see `Draft.addPacket`);
   * packets whose low lanes collide share a bucket.
   */
  readonly packets: Map<number, Packet | Packet[]>;
  /** Each replica's initial state, by name: `init` is pure, so a restart can reuse it. */
  readonly inits: Map<string, unknown>;
}

export class Draft {
  readonly nodes: NodeSlot[];
  readonly inflight: Packet[];
  readonly clients: ClientSlot[];
  history: CheckOp[];
  events: number;
  crashes: number;
  drops: number;
  fired: number;
  /** The history's hash lanes while the history is the source state's, else null. */
  historyHash: readonly number[] | null;
  violation: Violation | null = null;
  /** Packets sent while a node transition is first computed (see `transition`), or null. */
  private recording: Packet[] | null = null;

  constructor(readonly model: Model, s: SystemState) {
    this.nodes = [...s.nodes];
    this.inflight = [...s.inflight];
    this.clients = [...s.clients];
    this.history = s.history as CheckOp[]; // Copied on first write (see `writableHistory`).
    this.events = s.events;
    this.crashes = s.crashes;
    this.drops = s.drops;
    this.fired = s.fired;
    this.historyHash = s.historyHash ?? null;
  }

  finish(): SystemState {
    return {
      nodes: this.nodes, inflight: this.inflight, clients: this.clients, history: this.history,
      events: this.events, crashes: this.crashes, drops: this.drops, fired: this.fired,
      historyHash: this.historyHash,
    };
  }

  writableHistory(): CheckOp[] {
    this.history = [...this.history];
    this.historyHash = null;
    return this.history;
  }

  nodeIndex(name: string): number {
    return this.nodes.findIndex((n) => n.name === name);
  }

  /** Puts a packet in flight, keeping the sorted order; in 'set' mode a duplicate merges. */
  addPacket(kind: Packet['kind'], from: string, to: string, body: unknown): void {
    const packet = this.intern(kind, from, to, body);
    this.recording?.push(packet);
    this.insert(packet);
  }

  private insert(packet: Packet): void {
    const key = packet.key;
    const at = lowerBound(this.inflight, key);
    if (this.model.cfg.network === 'set' && this.inflight[at] === packet) return;
    this.inflight.splice(at, 0, packet);
  }

  /**
   * Equal packets are one object across the whole search: its canonical text (the sort key) is
   * built and its fingerprint part hashed once, and the states in the frontier share it instead
   * of holding copies. A packet is looked up by its structural hash, and a hit is confirmed by
   * comparing bodies (or, when that comparison is unsure, their canonical texts): exact, not
   * merely probable.
   */
  private intern(kind: Packet['kind'], from: string, to: string, body: unknown): Packet {
    const b0 = hashOf(body);
    const b1 = hashHi;
    beginWords();
    addString(kind);
    addString(from);
    addString(to);
    addWord(b0);
    addWord(b1);
    const lo = endWords();
    const hi = hashHi;
    const packets = this.model.packets;
    const bucket = packets.get(lo);
    let text: string | null = null;
    const same = (p: Packet): boolean => {
      if (p.kind !== kind || p.from !== from || p.to !== to || p.hash![1] !== hi) return false;
      if (sameValue(p.body, body)) return true;
      text ??= packetKey(kind, from, to, body);
      return p.key === text;
    };
    if (bucket !== undefined) {
      if (!Array.isArray(bucket)) {
        if (same(bucket)) return bucket;
      } else {
        for (const p of bucket) if (same(p)) return p;
      }
    }
    // The identity renaming's lanes, as fingerprint.ts computes them.
    const packet = { kind, from, to, body, key: text ?? packetKey(kind, from, to, body),
      hash: [lo, hi], deliver: undefined, drop: undefined } as Packet;
    if (bucket === undefined) packets.set(lo, packet);
    else if (Array.isArray(bucket)) bucket.push(packet);
    else packets.set(lo, [bucket, packet]);
    return packet;
  }

  removePacket(key: string): void {
    const at = lowerBound(this.inflight, key);
    if (this.inflight[at]?.key !== key) throw new AssertionFailure(`check: ` +
      `no packet ${key} in flight`);
    this.inflight.splice(at, 1);
  }

  sendRequest(from: string, to: string, request: ClientRequest): void {
    if (this.nodeIndex(to) >= 0) this.addPacket('req', from, to, request);
  }

  /**
   * A change of node `index` alone that may send packets (a step, a crash, a restart), named by
   * `key` (the packet delivered, the timer fired, CRASH or RESTART): computed by `change` the
   * first time from this slot, replayed from the slot's memo after that. Protocols are pure,
   * so the same slot and event give the same slot, packets and violation; the replayed slot is
   * the same object, whose fingerprint part is then already hashed.
   */
  transition(index: number, key: unknown, change: () => void): void {
    const slot = this.nodes[index]!;
    let memo = slot.next?.get(key);
    if (memo === undefined) {
      const before = this.violation;
      const outer = this.recording;
      const sent: Packet[] = [];
      this.recording = sent;
      change();
      this.recording = outer;
      memo = { slot: this.nodes[index]!, sent, violation: before === null ? this.violation : null };
      (slot.next ??= new Map()).set(key, memo);
      return;
    }
    this.nodes[index] = memo.slot;
    for (let i = 0; i < memo.sent.length; i++) this.insert(memo.sent[i]!);
    if (memo.violation !== null) this.violation ??= memo.violation;
  }

  /**
   * Steps node `index` with `event` and applies the effects; a throw is an 'assertion' violation.
   */
  stepNode(index: number, event: ProtocolEvent<unknown, unknown>): void {
    const slot = this.nodes[index]!;
    const protocol = this.model.protocol;
    let state: unknown;
    let effects: readonly Effect<unknown>[];
    try {
      ({ state, effects } = protocol.step(slot.state, event));
      const broken = protocol.invariants?.(state) ?? null;
      if (broken !== null) this.violation ??= { kind: 'invariant', node: slot.name,
        message: broken };
    } catch (error) {
      this.violation ??= { kind: 'assertion', node: slot.name, message: errorText(error) };
      return;
    }
    this.nodes[index] = nodeSlot(slot.name, slot.up, state, slot.disk,
      this.applyEffects(slot, effects));
  }

  /** Applies effects in list order; returns the node's new timer set. */
  private applyEffects(slot: NodeSlot, effects: readonly Effect<unknown>[]): readonly string[] {
    let timers = slot.timers;
    for (const effect of effects) {
      switch (effect.kind) {
        case 'send': // Messages to machines outside the closed system are lost.
          if (this.nodeIndex(effect.to) >= 0) this.addPacket('msg', slot.name,
            effect.to, effect.msg);
          break;
        case 'reply':
          this.addPacket('rep', slot.name, effect.to, replyBody(effect.seq, effect.outcome));
          break;
        case 'setTimer': // Replaces a pending timer of the same name, as in the simulator.
          if (!timers.includes(effect.timer)) timers = [...timers, effect.timer].sort();
          break;
        case 'cancelTimer':
          if (timers.includes(effect.timer)) timers = timers.filter((t) => t !== effect.timer);
          break;
        case 'persist': // Durability is modelled by `durable()` at crash time.
        case 'observe': // Observations feed run-time checkers, not this one.
          break;
      }
    }
    return timers;
  }
}

/** A new node slot (never a spread of an old one, which would carry its cached hash along). */
export function nodeSlot(
  name: string, up: boolean, state: unknown, disk: unknown, timers: readonly string[],
): NodeSlot {
  return { name, up, state, disk, timers, hash: null, next: null };
}

function replyBody(seq: number, outcome: ReplyOutcome): { seq: number; outcome: ReplyOutcome } {
  return { seq, outcome };
}

function packetKey(kind: Packet['kind'], from: string, to: string, body: unknown): string {
  return `${kind} ${from}>${to} ${serialize(body)}`;
}

function lowerBound(packets: readonly Packet[], key: string): number {
  let lo = 0;
  let hi = packets.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (packets[mid]!.key < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

