/**
 * OPB's ACK as the message record labels it (protocol/optimistic/describe.ts: `Ack s<service>
 * e=<epoch> i=<index>@<epoch of the entry at index>`), read in one place by every check that
 * judges what a backup acked, and the same position as a heartbeat reports it.
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

/**
 * A heartbeat's report of its sender's position (describe.ts: `Hb s<service> <role> p=<primary>
 * e=<epoch> m<version>[<members>] i=<index>@<epoch of the entry at index> …`): the same index
 * and entry epoch an ACK carries.
 */
const HB_POSITION = /^Hb s(\d+) \S+ p=\S+ e=\S+ m\d+\[[^\]]*\] i=(\d+)@(\S+) /;

/** The position a heartbeat `label` reports, or null when it is another message. */
export function parseHbPosition(label: string): { svc: number; idx: number; entry: string } | null {
  const h = HB_POSITION.exec(label);
  return h === null ? null : { svc: Number(h[1]), idx: Number(h[2]), entry: h[3]! };
}
