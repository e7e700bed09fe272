/**
 * P2.5 `discard`: the winner drops the orphans a loser hands it and tells their clients "on their
 * next reply" (a notice riding on its replies to that client). Mutation #3180 of the seed-39
 * sample (the winner counted every orphan as executed: no notice ever) kept every check green:
 * C6 excuses a write lost to a fork under `discard` whether or not its client was told.
 *
 * Evidence, none of it the winner's own report of notices (`opb.discard`): the message record
 * (a `Discarded` RESUBMIT delivered to P, and P's `Resubmitted` answer to it, which only a
 * primary sends), the final chain (the dropped write is not in it), the node facts and role
 * reports (P stayed primary, never crashed, paused or corrupted, from then to the end, so its
 * state at the end holds everything it held then: a write P held then is in the final chain),
 * and the client's own history. Judged: each dropped write whose client's first reply from P
 * for that service after the drop was delivered; by then the client must have been told.
 * Not judged: runs without a message record; services with no final chain.
 */
import type { HistoryOp } from '../simulator/history.js';
import type { RunRecord } from '../simulator/run-record.js';
import { finalChain } from './opb-safety.js';
import { CONFIRM, RESUBMIT } from './opb-orphans.js';
import { serviceOfKey } from './opb-overload.js';
import { buildWorld } from './opb-world.js';
import { disturbed, numberParam, stepOf } from './run-values.js';
import { judgedVerdict, type Property } from './types.js';

const REPLY = /^Reply #(\d+) /;

export function discardToldProblems(run: RunRecord): { problems: string[]; judged: number } {
  const problems: string[] = [];
  let judged = 0;
  const messages = run.messages;
  if (run.params['policy'] !== 'discard' || messages === undefined) return { problems, judged };
  const world = buildWorld(run);
  const services = Math.max(1, numberParam(run, 'services', 1));
  // A client's n-th operation is its request seq n (simulator/clients.ts).
  const opOf = new Map<string, HistoryOp>();
  const count = new Map<string, number>();
  for (const op of run.history.ops) {
    const n = (count.get(op.client) ?? 0) + 1;
    count.set(op.client, n);
    opOf.set(`${op.client}#${n}`, op);
  }
  const present = new Map<number, Set<string> | null>();
  const presentIn = (svc: number): Set<string> | null => {
    if (!present.has(svc)) {
      const chain = finalChain(world, svc);
      present.set(svc, chain === null ? null : new Set(chain.map((e) => `${e.client}|${e.value}`)));
    }
    return present.get(svc)!;
  };
  const seen = new Set<string>();
  for (const m of messages) {
    const hit = RESUBMIT.exec(m.label);
    if (hit === null || !m.label.startsWith('Discarded') || m.drop !== null) continue;
    const svc = Number(hit[1]);
    const id = Number(hit[2]);
    const p = m.to;
    // P took them as primary: its answer, from the step that handled this delivery or later.
    const took = messages.find((c) => {
      const ok = CONFIRM.exec(c.label);
      return ok !== null && c.from === p && c.to === m.from && Number(ok[1]) === svc
        && Number(ok[2]) === id && stepOf(c) >= m.at;
    });
    if (took === undefined) continue;
    const t = took.stepAt ?? took.sent;
    if (disturbed(run, [p], m.at, Infinity)) continue;
    if (world.obs('opb.role').some((o) => o.node === p && o.data.service === svc && o.at >= m.at)) {
      continue;
    }
    const final = presentIn(svc);
    if (final === null) continue;
    for (const req of hit[3] === '' ? [] : hit[3]!.split(',')) {
      if (seen.has(`${p} ${svc} ${req}`)) continue;
      const op = opOf.get(req);
      if (op === undefined || op.input.type === 'get') continue;
      if (final.has(`${op.client}|${op.input.value}`)) continue;
      // The client's first reply from P for this service after the drop.
      const first = messages.find((r) => {
        const q = REPLY.exec(r.label);
        if (q === null || r.from !== p || r.to !== op.client || stepOf(r) <= t) {
          return false;
        }
        const asked = opOf.get(`${op.client}#${q[1]}`);
        return asked !== undefined && serviceOfKey(asked.input.key, services) === svc
          && !r.label.includes(' redirect') && !r.label.includes(' reject');
      });
      if (first === undefined || first.drop !== null) continue;
      seen.add(`${p} ${svc} ${req}`);
      judged++;
      if (op.discardedAt === undefined || op.discardedAt > first.at) {
        problems.push(`s${svc}: ${p} dropped ${req} (${op.input.type} ${op.input.key}=` +
          `${op.input.value}, not in the final state) from ${m.from}'s RESUBMIT at t=${m.at}us ` +
          `and stayed primary, but its reply to ${op.client} at t=${first.sent}us did not tell ` +
          `it (${op.discardedAt === undefined ? 'never told' : `told at t=${op.discardedAt}us`})`);
      }
    }
  }
  return { problems, judged };
}

export const opbDiscardTold: Property = {
  name: 'opb-discard-told',
  description: 'P2.5 discard: a winner that dropped a loser\'s orphan tells its client on its ' +
    'next reply (message record, final state and the client\'s history)',
  protocols: ['opb'],
  completeRunOnly: true,
  check(run: RunRecord) {
    if (run.params['policy'] !== 'discard' || run.messages === undefined) {
      return { property: this.name, status: 'skip',
        message: 'policy merge, or no message record' };
    }
    return judgedVerdict(this.name, discardToldProblems(run),
      'no dropped orphan whose client the winner answered afterwards',
      (judged) => `${judged} dropped orphans, each told to its client at the winner's next reply`);
  },
};
