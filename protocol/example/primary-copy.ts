/**
 * Example protocol, and the template for bringing your own: a fixed primary (the first replica)
 * executes each request, ships it to every backup, and replies once all backups hold it.
 * It is deliberately not fault-tolerant (a dead backup blocks replies, a dead primary blocks
 * everything); it is small enough to copy. Register a copy in `protocol/registry.ts` (then
 * rebuild), or keep yours outside the tree and load it with `--protocol-file` (README).
 */
import { emptyLog, logAppend, logAt, logToArray, type AppendLog } from '../append-log.js';
import { assert } from '../assert.js';
import { describeOp, emptyStore, encodeOp, kvApply, type KvStore } from '../kv.js';
import { mapWith } from '../map-with.js';
import { checkParamSchema, type ParamSchema } from '../param-schema.js';
import type { KvOp, KvResult } from '../kv-types.js';
import type {
  ClientRequest, CommonObservation, Effect, NodeId, ObservationData, Protocol, ProtocolEvent,
  StepResult,
} from '../types.js';

/**
 * The observation contract: this protocol tells checkers only the protocol-neutral facts (its
 * state for convergence, its primary for reports). A protocol with its own facts adds labels
 * to this union (see protocol/smart/observations.ts); properties import it type-only.
 */
export type ExampleObservation = CommonObservation;

type Msg =
  | { readonly type: 'update'; readonly index: number; readonly op: KvOp }
  /** Cumulative: the backup holds log entries 1..index. */
  | { readonly type: 'ack'; readonly index: number }
  | { readonly type: 'beat' };
/** What survives a crash: the executed log and, per client, the reply to its latest request. */
interface Disk {
  readonly log: AppendLog<KvOp>;
  readonly replies: ReadonlyMap<
    string, { readonly seq: number; readonly index: number; readonly result: KvResult }
  >;
}
interface State {
  readonly id: NodeId;
  readonly backups: readonly NodeId[];
  readonly primary: NodeId;
  readonly disk: Disk;
  readonly store: KvStore;
  /** Hash chain over the applied log: equal logs give equal stores, at O(1) cost per entry. */
  readonly digest: number;
  /** Primary only: highest index each backup holds, and requests awaiting those acks. */
  readonly matched: ReadonlyMap<NodeId, number>;
  readonly waiting: ReadonlyMap<number, ClientRequest>;
  readonly beatUs: number;
  readonly volatileLog: boolean;
}
type Out = Effect<Msg>[];

/** Parameters and their schema: the heartbeat period, in microseconds. */
const exampleDefaults = { beatUs: 20_000 };
const exampleParams: ParamSchema = { beatUs: 'period' };

const send = (to: NodeId, msg: Msg): Effect<Msg> => ({ kind: 'send', to, msg });
/** Every observation goes through here: the label picks the declared shape of `data`. */
const observe = <L extends ExampleObservation['label']>(
  label: L, data: ObservationData<ExampleObservation, L>,
): Effect<Msg> => ({ kind: 'observe', label, data: data as ExampleObservation['data'] });
const done = (r: ClientRequest, result: KvResult): Effect<Msg> =>
  ({ kind: 'reply', to: r.client, seq: r.seq, outcome: { type: 'done', result } });

export const primaryCopy: Protocol<State, Msg, Disk> = {
  name: 'example',
  description: 'Example primary-copy KV (fixed primary, synchronous backups): '
    + 'the bring-your-own template',
  mutants: [{
    name: 'example:volatile-log',
    description: 'the log is never really persisted: a restarted node forgets acknowledged writes',
  }],
  client: { target: 'first', onTimeout: 'rotate' },
  // Amnesia is out: a primary that loses its disk loses acknowledged writes (no failover here).
  survives: ['crash', 'partition', 'pause', 'clog', 'skew', 'slow', 'lossy', 'disk'],
  defaults: exampleDefaults,
  init(id, config) {
    // Copy this line into your protocol: every parameter checked before the first run.
    checkParamSchema('example', exampleParams, { ...exampleDefaults, ...config.params },
      config.nodes.map((n) => n.id));
    const primary = config.replicas[0];
    assert(primary !== undefined, 'example: needs at least one replica');
    return {
      id, primary, backups: config.replicas.slice(1), disk: { log: emptyLog(), replies: new Map() },
      store: emptyStore, digest: 0, matched: new Map(), waiting: new Map(),
      beatUs: Number(config.params['beatUs']),
      volatileLog: config.mutant === 'example:volatile-log',
    };
  },
  // The mutant's bug: what reaches the disk is only the state as of boot.
  durable: (s) => (s.volatileLog ? { log: emptyLog(), replies: new Map() } : s.disk),
  describeMessage: (m) =>
    m.type === 'update' ? `Update i=${m.index} ${describeOp(m.op)}`
      : m.type === 'ack' ? `Ack i=${m.index}` : 'Beat',
  encodeMessage(m, out) {
    out.str(m.type);
    if (m.type === 'beat') return;
    out.int(m.index);
    if (m.type === 'update') encodeOp(m.op, out);
  },
  step(s: State, ev: ProtocolEvent<Msg, Disk>): StepResult<State, Msg> {
    switch (ev.kind) {
      case 'restart': {
        const disk = ev.durable ?? s.disk;
        const ops = logToArray(disk.log);
        const store = ops.reduce((st, op) => kvApply(st, op).store, emptyStore);
        const digest = ops.reduce(chain, 0);
        // The fixed primary leads from every boot (a crash ends that, as the run records).
        const beat: Out = s.id === s.primary
          ? [observe('role', { group: 'kv', role: 'leader', node: s.id }),
            { kind: 'setTimer', timer: 'beat', at: ev.now }]
          : [];
        return { state: { ...s, disk, store, digest }, effects: beat };
      }
      case 'timer': { // Heartbeats make backups report their position, driving retransmission.
        const out: Out = s.backups.map((b) => send(b, { type: 'beat' }));
        out.push({ kind: 'setTimer', timer: 'beat', at: ev.now + s.beatUs });
        return { state: s, effects: out };
      }
      case 'clientRequest':
        return s.id === s.primary ? execute(s, ev.request)
          : { state: s, effects: [{ kind: 'reply', to: ev.request.client, seq: ev.request.seq,
            outcome: { type: 'redirect', leader: s.primary } }] };
      case 'message':
        return s.id === s.primary ? onAck(s, ev.from, ev.msg) : onBackupMessage(s, ev.msg);
      case 'operator':
        return { state: s, effects: [] };
    }
  },
};

/** The declared state hook for the convergence checker. */
function observeState(s: State): Effect<Msg> {
  return observe('state', { digest: s.digest.toString(16), applied: s.disk.log.length });
}

/** FNV-1a over the operation's text, continuing from the previous digest. */
function chain(digest: number, op: KvOp): number {
  const text = describeOp(op);
  let h = digest ^ 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The highest index every backup holds (a loop: this runs on every ack). */
function committed(s: State): number {
  let upTo = s.disk.log.length;
  for (const b of s.backups) upTo = Math.min(upTo, s.matched.get(b) ?? 0);
  return upTo;
}

function execute(s: State, request: ClientRequest): StepResult<State, Msg> {
  const cached = s.disk.replies.get(request.client);
  if (cached && cached.seq > request.seq) return { state: s, effects: [] }; // Superseded retry.
  if (cached && cached.seq === request.seq) {
    // A retry: answer once the original execution is on every backup.
    if (cached.index <= committed(s)) return { state: s, effects: [done(request, cached.result)] };
    return { state: { ...s, waiting: mapWith(s.waiting, cached.index, request) }, effects: [] };
  }
  const { store, result } = kvApply(s.store, request.op);
  const index = s.disk.log.length + 1;
  const replies = mapWith(s.disk.replies, request.client, { seq: request.seq, index, result });
  const disk: Disk = { log: logAppend(s.disk.log, request.op), replies };
  const next: State = {
    ...s, store, disk, digest: chain(s.digest, request.op),
    waiting: mapWith(s.waiting, index, request),
  };
  const out: Out = [{ kind: 'persist', what: `log ${index}` }, observeState(next)];
  for (const b of s.backups) out.push(send(b, { type: 'update', index, op: request.op }));
  return release(next, out);
}

function onAck(s: State, from: NodeId, msg: Msg): StepResult<State, Msg> {
  if (msg.type !== 'ack' || !s.backups.includes(from)) return { state: s, effects: [] };
  const missing = logAt(s.disk.log, msg.index + 1);
  const out: Out = missing === undefined
    ? []
    : [send(from, { type: 'update', index: msg.index + 1, op: missing })];
  if (msg.index <= (s.matched.get(from) ?? 0)) return { state: s, effects: out }; // Nothing new.
  return release({ ...s, matched: mapWith(s.matched, from, msg.index) }, out);
}

/** Replies to every waiting request whose log entry all backups now hold. */
function release(s: State, out: Out): StepResult<State, Msg> {
  const upTo = committed(s);
  if (!someAtMost(s.waiting.keys(), upTo)) return { state: s, effects: out };
  const waiting = new Map(s.waiting);
  for (const index of [...waiting.keys()].sort((a, b) => a - b)) {
    if (index > upTo) break;
    const request = waiting.get(index)!;
    const entry = s.disk.replies.get(request.client);
    assert(entry !== undefined, 'example: a waiting request has no cached reply');
    waiting.delete(index);
    // A client that gave up has moved on; its newer request replaced the cached reply.
    if (entry.index === index) out.push(done(request, entry.result));
  }
  return { state: { ...s, waiting }, effects: out };
}

/** Whether any of `indexes` is at most `upTo` (no array built: this runs on every ack). */
function someAtMost(indexes: Iterable<number>, upTo: number): boolean {
  for (const index of indexes) if (index <= upTo) return true;
  return false;
}

function onBackupMessage(s: State, msg: Msg): StepResult<State, Msg> {
  if (msg.type === 'ack') return { state: s, effects: [] };
  const length = s.disk.log.length;
  if (msg.type === 'update' && msg.index === length + 1) {
    const disk: Disk = { ...s.disk, log: logAppend(s.disk.log, msg.op) };
    const store = kvApply(s.store, msg.op).store;
    const next: State = { ...s, disk, store, digest: chain(s.digest, msg.op) };
    return { state: next, effects: [
      { kind: 'persist', what: `log ${msg.index}` }, observeState(next),
      send(s.primary, { type: 'ack', index: msg.index }),
    ] };
  }
  return { state: s, effects: [send(s.primary, { type: 'ack', index: length })] };
}
