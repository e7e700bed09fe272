/**
 * P2.10 #10, reject stale transfers: a transfer of the primary and epoch a backup follows that
 * is a strict prefix of what the backup already applied and acked was made before updates it
 * has since received (behind the primary's slow disk it left after them: explore seed 43271 of
 * opb-balance-no-room). Installing it dropped the acked entries and handed the primary's own
 * entries back as orphans; the backup now keeps its log and tells the primary where it is.
 */
import { describe, expect, it } from 'vitest';
import { lastIndex } from '../../../protocol/optimistic/data.js';
import { replicaMessage } from '../../../protocol/optimistic/messages.js';
import { newReplica } from '../../../protocol/optimistic/replica.js';
import type { Epoch, Msg, Replica, State, SvcData } from '../../../protocol/optimistic/types.js';
import { members, state, writes } from './three-members.js';

type Xfer = Extract<Msg, { t: 'xfer' }>;
const e3: Epoch = { c: 1, n: 'n3' };

const backupOf3 = (data: SvcData): Replica => ({
  ...newReplica(0, members, 0, 0, data, e3), primary: 'n3',
});
const xferOf3 = (data: SvcData): Xfer => ({
  t: 'xfer', svc: 0, claim: { node: 'n3', epoch: e3, mver: 0, members }, data,
});

function sent(out: ReturnType<typeof replicaMessage>['out']): Msg[] {
  return out.flatMap((e) => (e.kind === 'send' ? [e.msg as Msg] : []));
}

function labels(out: ReturnType<typeof replicaMessage>['out']): string[] {
  return out.flatMap((e) => (e.kind === 'observe' ? [e.label] : []));
}

const s: State = state(1_000_000);

describe('a backup and its primary\'s stale state transfer', () => {
  it('keeps what it acked past a transfer that is a prefix of it, and acks its tip', () => {
    const r = replicaMessage(s, backupOf3(writes(e3, 8)), 'n3', xferOf3(writes(e3, 6)));
    expect(lastIndex(r.rep!.data)).toBe(8);
    expect(labels(r.out)).toContain('opb.stale-xfer');
    expect(labels(r.out)).not.toContain('opb.install');
    const msgs = sent(r.out);
    expect(msgs.filter((m) => m.t === 'resubmit')).toEqual([]);
    expect(msgs.filter((m) => m.t === 'ack').map((m) => (m as { idx: number }).idx)).toEqual([8]);
  });

  it('installs a transfer past its tip, or one over entries of an older epoch', () => {
    const ahead = replicaMessage(s, backupOf3(writes(e3, 6)), 'n3', xferOf3(writes(e3, 8)));
    expect(lastIndex(ahead.rep!.data)).toBe(8);
    // A log of an older epoch (1.n1) longer than the transfer is no prefix: a fork, installed.
    const older = writes({ c: 1, n: 'n1' }, 8);
    const fork = replicaMessage(s, backupOf3(older), 'n3', xferOf3(writes(e3, 6)));
    expect(lastIndex(fork.rep!.data)).toBe(6);
    expect(labels(fork.out)).toContain('opb.install');
  });

  it('the declared mutant opb:install-stale-xfer installs it', () => {
    const m: State = { ...s, mutant: 'install-stale-xfer' };
    const r = replicaMessage(m, backupOf3(writes(e3, 8)), 'n3', xferOf3(writes(e3, 6)));
    expect(lastIndex(r.rep!.data)).toBe(6);
  });
});
