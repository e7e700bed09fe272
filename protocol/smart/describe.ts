/** One fixed-format trace line per SMART message. */
import { assertNever } from '../assert.js';
import { describeOp } from '../kv.js';
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
    case 'pollReply':
      return `PollReply c=${m.cfg} b=${b(m.ballot)} n=${m.vote.entries.length} ` +
        `trunc=${m.vote.trunc} exec=${m.vote.exec} ckpt=${m.vote.ckpt}`;
    case 'stateRequest':
      return `StateRequest c=${m.cfg} have=${m.have}`;
    case 'stateCopy':
      return `StateCopy c=${m.cfg} index=${m.ckpt.index} h=${m.ckpt.digest}`;
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
