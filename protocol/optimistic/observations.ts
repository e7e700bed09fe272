/**
 * OPB's observation contract: every fact it tells checkers (properties/opb-*.ts) and
 * experiments, one label each, with full field names. The protocol emits only through
 * `observe` in effects.ts, typed by this union; properties import it type-only. Epochs are
 * text, "counter.node" or "generation:counter.node" (see epochText); lineages are
 * "counter.node:last,…".
 */
import type { CommonObservation, NodeId } from '../types.js';

/** Why a replica's role changed. */
export type RoleReason =
  | 'suspect' | 'reclaim' | 'handoff' | 'lost' | 'follow' | 'join' | 'fix' | 'winner-lost'
  | 'reconciled';
export type MovePhase = 'start' | 'done' | 'abort' | 'refused' | 'trim';
/** What a membership move or primary handoff is for: a reorganization or an operator's order. */
export type MoveFactKind =
  | 'repair' | 'balance' | 'consolidate' | 'spread' | 'handback' | 'operator';

export type OpbObservation =
  | CommonObservation
  /** The node (re)booted: its placement, whether its disk was lost, how many replicas it hosts. */
  | { readonly label: 'opb.node'; readonly data: {
    readonly dc: string; readonly zone: string; readonly amnesia: boolean;
    readonly hosted: number } }
  /**
   * Every heartbeat: what this replica of `service` believes (the checkers' main input).
   * `state` (also the `state` observation's `digest`) is a function of the history 1..`index`
   * alone, the digest contract: 32-bit FNV-1a (offset 0x811c9dc5, prime 0x01000193) over the
   * UTF-16 code units of the canonical text `STORE|DEDUP`, as 8 lowercase hex digits. STORE:
   * `key=value` for every key written, keys in code unit order, joined by `;`. DEDUP: for every
   * client with a write in the history, in code unit order, joined by `,`:
   * `client#max:a-b+c-d…`, `max` its highest executed seq and `a-b` the maximal runs of
   * consecutive executed seqs, ascending (decimal, no padding). So equal histories give equal
   * digests whatever path (updates, transfers, checkpoints, re-executions) built them, and
   * distinct states distinct texts (`opb-digests` checks it against the clients' operations).
   */
  | { readonly label: 'opb.digest'; readonly data: {
    readonly service: number; readonly role: 'primary' | 'backup' | 'reconciling';
    readonly primary: NodeId | null; readonly epoch: string; readonly index: number;
    readonly base: number; readonly state: string; readonly members: readonly NodeId[];
    readonly membershipVersion: number; readonly lineage: string } }
  /** The replica's role changed (`counter`: the epoch's counter). */
  | { readonly label: 'opb.role'; readonly data: {
    readonly service: number; readonly role: 'primary' | 'backup' | 'reconciling';
    readonly epoch: string; readonly counter: number; readonly reason: RoleReason } }
  /** The epoch the replica follows changed. */
  | { readonly label: 'opb.epoch'; readonly data: {
    readonly service: number; readonly generation: number; readonly counter: number;
    readonly node: NodeId } }
  /** The epoch counter hit its limit and restarted in a new generation. */
  | { readonly label: 'opb.epoch-reset'; readonly data: {
    readonly service: number; readonly generation: number } }
  /** The primary executed a client's write or read at `index` of epoch `epoch`. */
  | { readonly label: 'opb.exec'; readonly data: {
    readonly service: number; readonly epoch: string; readonly index: number;
    readonly client: string; readonly seq: number; readonly value: string;
    readonly resubmit: boolean } }
  /** A primary told a client its update was done; `backups` held it then (C6 judges by them). */
  | { readonly label: 'opb.acked'; readonly data: {
    readonly service: number; readonly index: number; readonly client: string;
    readonly seq: number; readonly backups: readonly string[] } }
  | { readonly label: 'opb.checkpoint'; readonly data: {
    readonly service: number; readonly base: number } }
  /** A winner re-executed a loser's orphans (`merge`). */
  | { readonly label: 'opb.resubmit'; readonly data: {
    readonly service: number; readonly received: number; readonly executed: number } }
  /** A winner dropped a loser's orphans and told their clients (`discard`). */
  | { readonly label: 'opb.discard'; readonly data: {
    readonly service: number; readonly received: number; readonly lost: number } }
  | { readonly label: 'opb.merge-members'; readonly data: {
    readonly service: number; readonly loser: NodeId; readonly added: readonly NodeId[];
    readonly membershipVersion: number } }
  /**
   * The replica installed another history (`fork`: the last common index; `orphans` handed to
   * the winner, `truncated` of them from below our checkpoint, i.e. from the request log).
   */
  | { readonly label: 'opb.install'; readonly data: {
    readonly service: number; readonly from: NodeId; readonly fork: number;
    readonly base?: number; readonly orphans: number; readonly truncated: number;
    readonly resubmitted: boolean; readonly reconciling: boolean; readonly mine: string;
    readonly theirs: string } }
  | { readonly label: 'opb.handover'; readonly data: {
    readonly service: number; readonly to: NodeId; readonly requests: number } }
  | { readonly label: 'opb.stale-xfer'; readonly data: {
    readonly service: number; readonly from: NodeId } }
  /**
   * A planned primary transfer (P2.6 #2, HANDOFF): the claim this primary made for its successor
   * `to` (epoch+1, and the membership the successor takes over with), relayed on its heartbeats
   * until the successor claims; a conflict's loser may yield to it before the successor speaks.
   */
  | { readonly label: 'opb.handoff'; readonly data: {
    readonly service: number; readonly to: NodeId; readonly epoch: string;
    readonly membershipVersion: number; readonly members: readonly NodeId[] } }
  /**
   * A reorganization step (`members`: the membership it leaves; on the abort of a move whose new
   * member did not catch up within 20 T_fd, the membership still holding it, that member then
   * refused for a cool-down; absent on an abort because a newer membership came).
   */
  | { readonly label: 'opb.move'; readonly data: {
    readonly service: number; readonly kind: MoveFactKind; readonly add: NodeId | null;
    readonly drop: NodeId | null; readonly phase: MovePhase; readonly coolUs: number;
    readonly members?: readonly NodeId[] } }
  /** The node's load (per mille of capacity) each window. */
  | { readonly label: 'opb.load'; readonly data: {
    readonly load: number; readonly on: boolean; readonly hosted: number } }
  | { readonly label: 'opb.power'; readonly data: { readonly on: boolean } }
  /** The node hosts a replica of `service` it did not: a JOIN, or a primary's heartbeat adopted. */
  | { readonly label: 'opb.join'; readonly data: {
    readonly service: number; readonly primary: NodeId; readonly membershipVersion: number } }
  /** The node left the group of `service` (-1: it held no replica any more). */
  | { readonly label: 'opb.leave'; readonly data: {
    readonly service: number; readonly membershipVersion: number } }
  | { readonly label: 'opb.operator'; readonly data: { readonly name: string } };

/** The `state` / `retired` / `role` group of service `service`. */
export const serviceGroup = (service: number): string => `s${service}`;
