/**
 * Key-value operations shared by the workload, the protocols' state machine and the checkers.
 * Absent keys read as "" (the Porcupine convention), so every value is a plain string.
 */
export type KvOp =
  | { readonly type: 'get'; readonly key: string }
  | { readonly type: 'put'; readonly key: string; readonly value: string }
  | { readonly type: 'append'; readonly key: string; readonly value: string }
  | {
      readonly type: 'cas'; readonly key: string; readonly expected: string;
      readonly value: string;
    };

/**
 * Result of applying a KvOp. `ok` is false only for a CAS whose comparison failed; such an
 * operation took effect as a read that saw a different value, so checkers keep it as a constraint.
 */
export interface KvResult {
  readonly ok: boolean;
  /** The value read (get), absent for writes. */
  readonly value?: string;
}
