/**
 * The lost-ACK rule (P2.6 #2; `forgetLostAck` in protocol/optimistic/primary.ts) as checks read
 * it from the message record: a member's heartbeat reporting an index below an ACK it sent,
 * reaching the primary 2 T_hb or more after that ACK, makes the primary forget the ACK (the
 * member lost its disk; sooner it may be a heartbeat the ACK overtook). Lenient: the protocol
 * forgets only on a heartbeat on its lineage, which the record does not show.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { numberParam } from './run-values.js';

/** A heartbeat's service and the index it reports. */
export const HB_INDEX = /^Hb s(\d+) .* i=(\d+)@/;
/** protocol/optimistic/params.ts's default T_hb (properties may not import protocol values). */
const HB_US = 50_000;

/** The run's T_hb. */
export const hbUsOf = (run: RunRecord): number => numberParam(run, 'hbUs', HB_US);

/** A point of a link: when a message arrived and the index it reports or acks. */
export interface Report { readonly at: number; readonly idx: number }

/** Whether one of the member's `reports` that reached the primary by `by` voids its `ack`. */
export function forgotAsLost(reports: readonly Report[], ack: Report, by: number,
  hbUs: number): boolean {
  return reports.some((h) => h.idx < ack.idx && h.at - ack.at >= 2 * hbUs && h.at <= by);
}
