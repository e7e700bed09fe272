/**
 * Message sizes in bytes for a scenario's cost model: a fixed header plus what the message
 * carries, so that a state transfer weighs the checkpoint it copies (store, reply cache,
 * configuration table) and a poll reply the log entries it returns.
 */
import type { Checkpoint, Cmd, Msg } from './types.js';

/** Addressing, type, configuration, ballot and slot: a few dozen bytes in any real encoding. */
const HEADER = 64;
/** One command or table entry's fixed part (kind, ids, numbers), before its strings. */
const ENTRY = 16;

function cmdBytes(cmd: Cmd): number {
  switch (cmd.t) {
    case 'null': return ENTRY;
    case 'migrate': return ENTRY + cmd.id.length + ENTRY * cmd.members.length;
    case 'op': {
      const op = cmd.op;
      const value = op.type === 'get' ? 0 : op.value.length;
      return ENTRY + cmd.client.length + op.key.length + value +
        (op.type === 'cas' ? op.expected.length : 0);
    }
  }
}

/** The checkpoint's size: what a state transfer copies and a checkpoint saves. */
export function checkpointBytes(ckpt: Checkpoint): number {
  let bytes = ENTRY;
  for (const [key, value] of ckpt.store) bytes += key.length + value.length + ENTRY;
  for (const [client, entry] of ckpt.cache) {
    bytes += client.length + ENTRY + (entry.result.value?.length ?? 0);
  }
  for (const cfg of ckpt.table) bytes += ENTRY * (2 + cfg.members.length);
  for (const id of ckpt.migrations) bytes += id.length + ENTRY;
  return bytes;
}

export function sizeOf(msg: Msg): number {
  switch (msg.t) {
    case 'propose': case 'decided': return HEADER + cmdBytes(msg.cmd);
    case 'pollReply': {
      let bytes = HEADER;
      for (const [, entry] of msg.vote.entries) bytes += ENTRY + cmdBytes(entry.cmd);
      return bytes;
    }
    case 'stateCopy': return HEADER + checkpointBytes(msg.ckpt) + msg.stateBytes;
    case 'decidedRange': {
      // Per slot its number, configuration and ballot (one entry's fixed part) and its request.
      let bytes = HEADER;
      for (const d of msg.slots) bytes += ENTRY + cmdBytes(d.cmd);
      return bytes;
    }
    case 'join': return HEADER + ENTRY * msg.members.length;
    case 'repoWrite': case 'repoInfo': return HEADER + 4 * ENTRY;
    default: return HEADER;
  }
}
