/** One fixed-format trace line per SMART message. */
import { assertNever } from '../assert.js';
import { describeOp, encodeOp } from '../kv.js';
import type { TraceSink } from '../types.js';
import type { Cmd, Msg } from './types.js';
import { describeBallot as b } from './util.js';

export function describeCmd(cmd: Cmd): string {
  switch (cmd.t) {
    case 'op':
      return `${cmd.client}#${cmd.seq} ${describeOp(cmd.op)}`;
    case 'null':
      return 'null';
    case 'migrate':
      return `migrate ${cmd.id} [${cmd.members.join(',')}]`;
  }
}

export function describeMessage(m: Msg): string {
  switch (m.t) {
    case 'propose':
      return `Propose c=${m.cfg} b=${b(m.ballot)} s=${m.slot} ${describeCmd(m.cmd)}`;
    case 'logged':
      return `Logged c=${m.cfg} b=${b(m.ballot)} s=${m.slot} ckpt=${m.ckpt}`;
    case 'decided':
      return `Decided c=${m.cfg} b=${b(m.ballot)} s=${m.slot} ${describeCmd(m.cmd)}`;
    case 'heartbeat':
      return `Heartbeat c=${m.cfg} b=${b(m.ballot)} commit=${m.commit} stable=${m.stable}`;
    case 'elect':
      return `Elect c=${m.cfg} b=${b(m.ballot)}`;
    case 'preempt':
      return `Preempt c=${m.cfg} b=${b(m.ballot)}`;
    case 'pollReply':
      return `PollReply c=${m.cfg} b=${b(m.ballot)} n=${m.vote.entries.length} ` +
        `trunc=${m.vote.trunc} exec=${m.vote.exec} ckpt=${m.vote.ckpt}`;
    case 'stateRequest':
      return `StateRequest c=${m.cfg} have=${m.have}`;
    case 'stateCopy':
      return `StateCopy c=${m.cfg} index=${m.ckpt.index} h=${m.ckpt.digest}`;
    case 'decidedRange': {
      const first = m.slots[0]?.slot ?? 0;
      const last = m.slots[m.slots.length - 1]?.slot ?? 0;
      return `DecidedRange c=${m.cfg} s=${first}..${last} n=${m.slots.length}`;
    }
    case 'ckptNote':
      return `CkptNote c=${m.cfg} index=${m.index}`;
    case 'join':
      return `Join c=${m.cfg} members=${m.members.join(',')} first=${m.first}`;
    case 'joinRequest':
      return `JoinRequest c=${m.cfg}`;
    case 'finished':
      return `Finished c=${m.cfg}`;
    case 'ready':
      return `Ready c=${m.cfg}`;
    case 'defunct':
      return `Defunct c=${m.cfg}`;
    case 'repoWrite':
      return `RepoWrite c=${m.info.num} members=${m.info.members.join(',')} first=${m.info.first}`;
    case 'repoRead':
      return 'RepoRead';
    case 'repoInfo':
      return m.info === null ? 'RepoInfo none'
        : `RepoInfo c=${m.info.num} members=${m.info.members.join(',')} first=${m.info.first}`;
    default:
      return assertNever(m, 'message');
  }
}

function encodeCmd(cmd: Cmd, out: TraceSink): void {
  out.str(cmd.t);
  if (cmd.t === 'op') {
    out.str(cmd.client);
    out.int(cmd.seq);
    encodeOp(cmd.op, out);
  } else if (cmd.t === 'migrate') {
    out.str(cmd.id);
    strings(cmd.members, out);
  }
}

function strings(xs: readonly string[], out: TraceSink): void {
  out.int(xs.length);
  for (const x of xs) out.str(x);
}

/** What describeMessage shows, as trace-hash tokens (Protocol.encodeMessage). */
export function encodeMessage(m: Msg, out: TraceSink): void {
  out.str(m.t);
  switch (m.t) {
    case 'propose':
    case 'decided':
      out.int(m.cfg);
      out.int(m.ballot);
      out.int(m.slot);
      return encodeCmd(m.cmd, out);
    case 'logged':
      out.int(m.cfg);
      out.int(m.ballot);
      out.int(m.slot);
      return out.int(m.ckpt);
    case 'heartbeat':
      out.int(m.cfg);
      out.int(m.ballot);
      out.int(m.commit);
      return out.int(m.stable);
    case 'elect': case 'preempt':
      out.int(m.cfg);
      return out.int(m.ballot);
    case 'pollReply':
      out.int(m.cfg);
      out.int(m.ballot);
      out.int(m.vote.entries.length);
      out.int(m.vote.trunc);
      out.int(m.vote.exec);
      return out.int(m.vote.ckpt);
    case 'stateRequest':
      out.int(m.cfg);
      return out.int(m.have);
    case 'stateCopy':
      out.int(m.cfg);
      out.int(m.ckpt.index);
      return out.str(m.ckpt.digest);
    case 'decidedRange':
      // Every slot in full: two ranges over the same slots with different requests differ.
      out.int(m.cfg);
      out.int(m.slots.length);
      for (const d of m.slots) {
        out.int(d.slot);
        out.int(d.cfg);
        out.int(d.ballot);
        encodeCmd(d.cmd, out);
      }
      return;
    case 'ckptNote':
      out.int(m.cfg);
      return out.int(m.index);
    case 'join':
      out.int(m.cfg);
      strings(m.members, out);
      return out.int(m.first);
    case 'joinRequest':
    case 'finished':
    case 'ready':
    case 'defunct':
      return out.int(m.cfg);
    case 'repoWrite':
    case 'repoInfo':
      if (m.info === null) return out.int(-1);
      out.int(m.info.num);
      strings(m.info.members, out);
      return out.int(m.info.first);
    case 'repoRead':
      return;
    default:
      return assertNever(m, 'message');
  }
}
