/**
 * SMART's observation contract: every fact it tells checkers (properties/smart-*.ts), one label
 * each, with full field names. The protocol emits only through `observe` in util.ts, typed by
 * this union; properties import it type-only. Commands are named by `cmdKey` text
 * ("c0#3", "migrate:r1", "null").
 */
import type { CommonObservation, NodeId } from '../types.js';

export type SmartObservation =
  | CommonObservation
  /** A replica campaigns: it promised `ballot` in configuration `config`. */
  | { readonly label: 'elect'; readonly data: { readonly config: number; readonly ballot: number } }
  /** A candidate won: it proposes from `start`; `pollMax` is the highest slot a vote reported. */
  | { readonly label: 'leader'; readonly data: {
    readonly config: number; readonly ballot: number; readonly start: number;
    readonly pollMax: number; readonly alpha: number; readonly maxLogSize: number } }
  /**
   * A leader proposed `command` for `slot`, when its machine had executed up to `executed` and
   * its cohort's checkpoints reached `stable` (the α-window and log-size admission rules).
   */
  | { readonly label: 'propose'; readonly data: {
    readonly config: number; readonly ballot: number; readonly slot: number;
    readonly command: string; readonly executed: number; readonly stable: number } }
  /** A replica learnt that `command` is chosen for `slot` (at `ballot`). */
  | { readonly label: 'decide'; readonly data: {
    readonly config: number; readonly slot: number; readonly command: string;
    readonly ballot: number } }
  /**
   * A replica logged the proposal for `slot` at `ballot` on disk and answered LOGGED: the
   * evidence checkers count quorums from (never the leader's own tally). `command` is what its
   * log now holds for the slot, `held` how many entries its log keeps in all (this one included).
   */
  | { readonly label: 'logged'; readonly data: {
    readonly config: number; readonly ballot: number; readonly slot: number;
    readonly command: string; readonly held: number } }
  /**
   * The execution module executed `slot` (every slot, null and MIGRATE included): its command
   * and the digest of the KV store it left, so replicas can be compared slot by slot.
   */
  | { readonly label: 'exec'; readonly data: {
    readonly slot: number; readonly command: string; readonly store: string } }
  /** The execution module applied a client's request in `slot`. */
  | { readonly label: 'apply'; readonly data: {
    readonly slot: number; readonly client: string; readonly seq: number } }
  /** Executing a MIGRATE in `slot` of configuration `createdBy` created configuration `config`. */
  | { readonly label: 'cfg'; readonly data: {
    readonly config: number; readonly members: readonly NodeId[]; readonly first: number;
    readonly createdBy: number; readonly slot: number } }
  /**
   * A checkpoint of everything executed up to `index`, saved here or adopted by transfer;
   * `configs` are the configuration numbers of its cfgTable, in table order.
   */
  | { readonly label: 'ckpt'; readonly data: {
    readonly index: number; readonly digest: string; readonly configs: readonly number[];
    readonly transfer?: true } }
  /**
   * An incremental state transfer (a DECIDED-RANGE answering this machine's STATE-REQUEST in
   * `config`) gave it decided slots it lacked, the lowest `first` and the highest `last`.
   */
  | { readonly label: 'catchUp'; readonly data: {
    readonly config: number; readonly first: number; readonly last: number } }
  /** This machine started its replica of configuration `config` (first slot `first`). */
  | { readonly label: 'replica';
    readonly data: { readonly config: number; readonly first: number } }
  /** The replica of `config` executed its whole range, up to `last`. */
  | { readonly label: 'finished';
    readonly data: { readonly config: number; readonly last: number } }
  /** The replica of `config` was destroyed (`why`: ready, early, defunct, …). */
  | { readonly label: 'retire'; readonly data: {
    readonly config: number; readonly why: string; readonly executed: number } }
  /** Every configuration up to `config` is defunct on this machine. */
  | { readonly label: 'defunct'; readonly data: { readonly config: number } }
  /** The operator asked for migration `id` to `members`. */
  | { readonly label: 'migrateRequested'; readonly data: {
    readonly id: string; readonly members: readonly NodeId[] } };

/** The `role` group of configuration `config`, as reports show it. */
export const configGroup = (config: number): string => `config ${config}`;
