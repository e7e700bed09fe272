/**
 * OPB's ACK as the message record labels it (protocol/optimistic/describe.ts: `Ack s<service>
 * e=<epoch> i=<index>@<epoch of the entry at index>`), read in one place by every check that
 * judges what a backup acked.
 */

/** The label's parts, in this order: service, epoch, index, entry epoch. */
export const ACK_LABEL = /^Ack s(\d+) e=(\S+) i=(\d+)@(\S+)$/;

export interface AckLabel {
  readonly svc: number;
  /** The epoch the backup followed when it acked. */
  readonly epoch: string;
  readonly idx: number;
  /** The epoch the entry at `idx` was written under ('-' for an empty log). */
  readonly entry: string;
}

/** The ACK `label` names, or null when it is another message. */
export function parseAck(label: string): AckLabel | null {
  const a = ACK_LABEL.exec(label);
  return a === null ? null
    : { svc: Number(a[1]), epoch: a[2]!, idx: Number(a[3]), entry: a[4]! };
}
