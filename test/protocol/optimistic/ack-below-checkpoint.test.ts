/**
 * Explore trial 924981 of opb-bridge-loser-leaves (k=3 w=1, messages reordered): n7's ACKs of
 * index 17 reached its primary n1 late, behind its ACKs of 18, after n1 had checkpointed up to
 * 18. Below its checkpoint n1 compared the ACK's entry tag with one it no longer has, took the
 * ACK for a divergence and sent a transfer (which forgets the backup's acks); the next late ACK
 * of 17 was not counted either, and n1 answered a retry of c4#6 (index 17) listing [n13] alone
 * (opb-acked-holders). A primary now judges an ACK below its checkpoint by the lineage's epoch,
 * as a backup judges an update's predecessor there: it still draws a transfer, but counts where
 * it raises what the primary counted.
 */
import { describe, expect, it } from 'vitest';
import { ackedHoldersProblems } from '../../../properties/opb-acked-holders.js';
import { checkpoint, emptyData, executeWrite } from '../../../protocol/optimistic/data.js';
import { replicaMessage } from '../../../protocol/optimistic/messages.js';
import { onRequest } from '../../../protocol/optimistic/primary.js';
import { newReplica } from '../../../protocol/optimistic/replica.js';
import type { Epoch, Msg, Out, Replica, SvcData } from '../../../protocol/optimistic/types.js';
import type { ClientRequest } from '../../../protocol/types.js';
import type { RunRecord } from '../../../simulator/run-record.js';
import { savedRun } from '../../helpers/regressions.js';
import { members, state } from './three-members.js';

const e1: Epoch = { c: 1, n: 'n1' };
const put = (client: string, seq: number): ClientRequest =>
  ({ client, seq, op: { type: 'put', key: 'k0', value: `${client}.${seq}` } });

/** Twelve writes under 1.n1, c1#1 at index 7 (c0's the rest), checkpointed up to 8. */
function log(): SvcData {
  let d = emptyData;
  for (const [client, seq] of [1, 2, 3, 4, 5, 6, 0, 7, 8, 9, 10, 11]
    .map((q) => (q === 0 ? ['c1', 1] as const : ['c0', q] as const))) {
    d = executeWrite(d, e1, put(client, seq)).data;
  }
  return checkpoint(d, 8);
}

const s = state(1_000_000);
/** n1, primary at 1.n1, hearing n3 and n5 (both alive); `xferAt` a transfer it sent to n3. */
function primary(acked: number | undefined, xferAt?: number): Replica {
  const heard = new Map([['n3', s.now - 1_000], ['n5', s.now - 1_000]]);
  return {
    ...newReplica(0, members, 0, 0, log(), e1), role: 'primary', primary: 'n1', heard,
    acked: acked === undefined ? new Map() : new Map([['n3', acked]]),
    xferAt: xferAt === undefined ? new Map() : new Map([['n3', xferAt]]),
  };
}

const ack = (idx: number, lastE: Epoch, lastTag: string): Extract<Msg, { t: 'ack' }> =>
  ({ t: 'ack', svc: 0, epoch: e1, idx, lastE, lastTag });
const xfers = (out: Out): number => out.filter((e) => e.kind === 'send' && e.msg.t === 'xfer')
  .length;

describe('a primary and an ACK below its checkpoint', () => {
  it('counts a late ACK of its own entry after the transfer it sent the backup', () => {
    // Just after a transfer to n3 (acks forgotten, the next one not before T_fd).
    const r = replicaMessage(s, primary(undefined, s.now - 800), 'n3', ack(7, e1, 'c1#1'));
    expect(r.rep!.acked.get('n3')).toBe(7);
    expect(xfers(r.out)).toBe(0);
    // c1 retries #1 (index 7): answered at once, listing n3 as a holder.
    const retry = onRequest(s, r.rep!, put('c1', 1));
    const acked = retry.out.flatMap((e) => (e.kind === 'observe' && e.label === 'opb.acked'
      ? [e.data as { index: number; backups: string[] }] : []));
    expect(acked).toEqual([expect.objectContaining({ index: 7, backups: ['n3'] })]);
    expect(retry.out.some((e) => e.kind === 'reply')).toBe(true);
  });

  it('still sends a transfer for it: the backup reports itself behind the log', () => {
    const r = replicaMessage(s, primary(10), 'n3', ack(7, e1, 'c1#1'));
    expect(xfers(r.out)).toBe(1);
    expect(r.rep!.acked.has('n3')).toBe(false);
    // With a transfer just sent, a late ACK does not lower what was counted since.
    const late = replicaMessage(s, primary(10, s.now - 800), 'n3', ack(7, e1, 'c1#1'));
    expect(xfers(late.out)).toBe(0);
    expect(late.rep!.acked.get('n3')).toBe(10);
  });

  it('does not count one whose entry is of another epoch than its lineage\'s', () => {
    const r = replicaMessage(s, primary(undefined, s.now - 800), 'n3',
      ack(7, { c: 1, n: 'n5' }, 'c1#1'));
    expect(r.rep!.acked.has('n3')).toBe(false);
  });
});

describe('explore trial 924981 of opb-bridge-loser-leaves, with its message record', () => {
  const run: RunRecord = savedRun(new URL(
    'regressions/explore-bridge-loser-leaves-924981-late-ack-below-checkpoint.json',
    import.meta.url), 'opb', true);

  it('lists every member whose handled ack covered an answered write', () => {
    const r = ackedHoldersProblems(run) as { problems: string[]; judged: number };
    expect(r.problems).toEqual([]);
    expect(r.judged).toBeGreaterThan(100);
  });

  it('reaches the path: ACKs arrive below their primary\'s checkpoint', () => {
    const base = new Map<string, number>();
    const events = [
      ...run.observations.filter((o) => o.label === 'opb.checkpoint').map((o) => ({ at: o.at,
        key: `${o.node}|${(o.data as { service: number }).service}`,
        base: (o.data as { base: number }).base, idx: -1 })),
      ...run.messages!.flatMap((m) => {
        const a = /^Ack s(\d+) e=\S+ i=(\d+)@/.exec(m.label);
        return a === null || m.drop !== null ? []
          : [{ at: m.at, key: `${m.to}|${a[1]}`, base: -1, idx: Number(a[2]) }];
      }),
    ].sort((x, y) => x.at - y.at || y.base - x.base);
    let below = 0;
    for (const e of events) {
      if (e.base >= 0) base.set(e.key, e.base);
      else if (e.idx < (base.get(e.key) ?? 0)) below++;
    }
    expect(below).toBeGreaterThan(0);
  });
});
