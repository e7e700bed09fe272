/**
 * The checker's clients: closed loop, one operation at a time from a fixed list, so that the
 * only nondeterminism is *when* things happen, which the search enumerates. They follow
 * redirects and rejects at once (the simulator's backoff is time, which is abstracted away) and
 * resend on an explicit, bounded "retry" action standing for a request timeout.
 */
import type { KvOp } from '../../protocol/kv-types.js';
import type { ReplyOutcome } from '../../protocol/types.js';
import type { History, HistoryOp } from '../history.js';
import type { Draft } from './draft.js';
import { hashHi, hashOf } from '../hash64.js';
import type { CheckOp, ClientSlot } from './types.js';

/**
 * Operation `j` of client `c`: puts and gets of one key, alternating, with the first client
 * starting with a put and the next with a get, so even one op per client races a write with a
 * read. Written values are unique (`c1.2`), as in the simulator's workload.
 */
export function clientOp(c: number, j: number): KvOp {
  if ((c + j) % 2 === 1) return { type: 'get', key: 'k0' };
  return { type: 'put', key: 'k0', value: `c${c}.${j + 1}` };
}

export function initialClient(
  replicas: readonly string[], policy: 'first' | 'spread', c: number,
): ClientSlot {
  const target = policy === 'spread' ? c % replicas.length : 0;
  return { name: `c${c}`, issued: 0, opId: null, retries: 0, target, members: replicas,
    hash: null };
}

export function invoke(d: Draft, c: number): void {
  const client = d.clients[c]!;
  const input = clientOp(c, client.issued);
  const history = d.writableHistory();
  const opId = history.length;
  history.push({ client: client.name, input, call: d.events++, ret: null, output: null });
  d.clients[c] = { ...client, issued: client.issued + 1, opId, retries: 0, hash: null };
  send(d, c, [client.members[client.target]!]);
}

/** A request timeout: resend to every member or to the next one, as the protocol's policy says. */
export function retry(d: Draft, c: number): void {
  const client = d.clients[c]!;
  if (d.model.protocol.client.onTimeout === 'broadcast') {
    d.clients[c] = { ...client, retries: client.retries + 1, hash: null };
    send(d, c, client.members);
    return;
  }
  const target = (client.target + 1) % client.members.length;
  d.clients[c] = { ...client, retries: client.retries + 1, target, hash: null };
  send(d, c, [client.members[target]!]);
}

function send(d: Draft, c: number, targets: readonly string[]): void {
  const client = d.clients[c]!;
  const op = d.history[client.opId!]!;
  const request = { client: client.name, seq: client.issued, op: op.input };
  for (const to of targets) d.sendRequest(client.name, to, request);
}

export function onReply(d: Draft, c: number, seq: number, outcome: ReplyOutcome): void {
  const client = d.clients[c]!;
  if (client.opId === null || seq !== client.issued) return; // A late answer to an earlier op.
  switch (outcome.type) {
    case 'done': {
      const history = d.writableHistory();
      history[client.opId] = { ...history[client.opId]!, ret: d.events++, output: outcome.result };
      d.clients[c] = { ...client, opId: null, retries: 0, hash: null };
      checkHistory(d);
      return;
    }
    case 'redirect': {
      const announced = outcome.members !== undefined && outcome.members.length > 0;
      const members = announced ? outcome.members! : client.members;
      const target = outcome.leader !== undefined && members.includes(outcome.leader)
        ? members.indexOf(outcome.leader) : (client.target + 1) % members.length;
      d.clients[c] = { ...client, members, target, hash: null };
      send(d, c, [members[target]!]);
      return;
    }
    case 'reject':
      d.clients[c] = { ...client, target: (client.target + 1) % client.members.length,
        hash: null };
      send(d, c, [client.members[(client.target + 1) % client.members.length]!]);
      return;
  }
}

/** The history in the simulator's native format; operations without a return are indefinite. */
export function toHistory(ops: readonly CheckOp[]): History {
  return {
    schema: 'replisim/history@1',
    ops: ops.map((o, id): HistoryOp => o.ret === null || o.output === null
      ? { id, client: o.client, input: o.input, call: o.call, status: 'info' }
      : { id, client: o.client, input: o.input, call: o.call, status: 'ok', return: o.ret,
        output: o.output }),
  };
}

/**
 * Linearizability is prefix-closed and a history can only stop being linearizable when a return
 * is added, so checking after every completed operation catches each violation at its first
 * state; leaves need no separate check.
 */
function checkHistory(d: Draft): void {
  const { historyCheck, verdicts } = d.model;
  if (historyCheck === null) return;
  // The structural hash, not the text: building the text cost more than the check it saves.
  const lo = hashOf(d.history);
  d.historyHash = [lo, hashHi]; // The fingerprint's history part (fingerprint.ts).
  const key = `${hashHi}:${lo}`;
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    verdict = historyCheck(toHistory(d.history));
    verdicts.set(key, verdict);
  }
  if (verdict.verdict === 'illegal') {
    const message = verdict.explanation ?? 'the history is not linearizable';
    d.violation ??= { kind: 'linearizability', node: null, message };
  }
}
