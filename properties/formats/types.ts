import type { InputKind, Operation } from '../models/types.js';

/** Names of the history formats the checker reads. */
export type FormatName = 'native' | 'porcupine-kv' | 'jepsen-etcd' | 'edn';

/** A parsed history in the common internal form. */
export interface ParsedHistory {
  /** The format actually parsed (`empty` for an empty or blank file). */
  readonly format: FormatName | 'empty';
  /** Which family of models can check it (`empty` fits every model). */
  readonly kind: InputKind | 'empty';
  /** Operations to check: definite failures already removed, indefinite ones kept. */
  readonly ops: Operation[];
  /** Number of invocations in the input, counting ones that failed or timed out. */
  readonly invocations: number;
}
