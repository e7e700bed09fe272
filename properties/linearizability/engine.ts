import type { AnyModel, Operation } from '../models/types.js';

/** Verdict of a linearizability check (Porcupine's `CheckResult`). */
export type Verdict = 'ok' | 'illegal' | 'unknown';

/** Why a search gave up. */
export type UnknownReason = 'timeout' | 'memory';

/** Memory shared by the searches of one check; `used` is updated as tables grow and shrink. */
export interface MemoryBudget {
  readonly maxBytes: number;
  used: number;
}

/** Outcome of the search over one (sub-)history. Indices refer to the `ops` array passed in. */
export interface SearchOutcome {
  readonly verdict: Verdict;
  readonly reason?: UnknownReason;
  /** Illegal only: the longest partial linearization found, as indices into `ops`. */
  readonly longest: readonly number[];
  /** Illegal only: the operation whose return was reached while it could not be placed. */
  readonly blocked: number;
  /** Illegal only: the model state after `longest`. */
  readonly blockedState: unknown;
  readonly steps: number;
  readonly states: number;
  readonly cacheEntries: number;
}

/** Clock checks happen every CLOCK_MASK + 1 search steps. */
const CLOCK_MASK = 0x3ff;
const UNKNOWN_TRANSITION = -2;
const ILLEGAL_TRANSITION = -1;
/** Dense transition rows are used while states × ops stays below this many entries. */
const DENSE_MAX_ENTRIES = 1 << 20;
/** Rough heap cost of one interned state (object, small arrays, shared string pieces). */
const STATE_BYTES = 160;

/** Deterministic 32-bit Zobrist key of op `i` (murmur3's finaliser over a Weyl sequence). */
function zobrist(i: number): number {
  let h = Math.imul(i + 1, 0x9e3779b1) ^ 0x5bd1e995;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Mixes a state id into a 32-bit value to combine with the bitset hash. */
function stateMix(id: number): number {
  let h = Math.imul(id + 0x632be5ab, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 15), 0x165667b1);
  return h ^ (h >>> 13);
}

/**
 * Slot of a (state, op) pair in the hashed transition memo, well mixed in its low bits (a bare
 * multiplicative hash has poor low bits, which made linear probing chains long).
 */
function transitionSlot(state: number, op: number): number {
  let h = Math.imul(state, 0x9e3779b1) + op;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return h ^ (h >>> 13);
}

/**
 * Sorts call/return events by time, calls before returns at equal times, then by op index.
 * Returns the event codes (op * 2 + kind, kind 0 = call, 1 = return) in order.
 */
function sortEvents(ops: readonly Operation[]): Int32Array {
  const n = ops.length;
  const codes: number[] = new Array<number>(2 * n);
  const times = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const op = ops[i] as Operation;
    codes[2 * i] = 2 * i;
    codes[2 * i + 1] = 2 * i + 1;
    times[2 * i] = op.call;
    times[2 * i + 1] = op.return;
  }
  codes.sort((a, b) => {
    const ta = times[a] as number;
    const tb = times[b] as number;
    if (ta !== tb) return ta < tb ? -1 : 1;
    const ka = a & 1;
    const kb = b & 1;
    if (ka !== kb) return ka - kb;
    return a - b;
  });
  return Int32Array.from(codes);
}

/** Interns model states as dense integer ids; states with equal keys (and `equal`) share one. */
class StateTable {
  readonly states: unknown[] = [];
  private readonly ids = new Map<string | number, number>();
  private readonly collisions = new Map<string | number, number[]>();
  private byState = new Int32Array(0);
  bytes = 0;

  constructor(private readonly model: AnyModel) {}

  intern(state: unknown): number {
    if (this.model.denseStates === true) return this.internDense(state as number);
    const key = this.model.hash(state);
    const id = this.ids.get(key);
    const equal = this.model.equal;
    if (id !== undefined) {
      if (equal === undefined || equal(this.states[id], state)) return id;
      const more = this.collisions.get(key);
      if (more !== undefined) {
        for (const other of more) if (equal(this.states[other], state)) return other;
      }
      const fresh = this.add(state, key);
      if (more === undefined) this.collisions.set(key, [fresh]);
      else more.push(fresh);
      return fresh;
    }
    const fresh = this.add(state, key);
    this.ids.set(key, fresh);
    return fresh;
  }

  /** `denseStates` models: their state numbers index `byState` directly. */
  private internDense(state: number): number {
    let byState = this.byState;
    if (state >= byState.length) {
      const grown = new Int32Array(Math.max(64, 2 * byState.length, state + 1)).fill(-1);
      grown.set(byState);
      this.bytes += 4 * (grown.length - byState.length);
      this.byState = byState = grown;
    }
    const id = byState[state] as number;
    if (id >= 0) return id;
    byState[state] = this.states.length;
    return this.add(state, 0);
  }

  private add(state: unknown, key: string | number): number {
    this.states.push(state);
    this.bytes += STATE_BYTES + (typeof key === 'string' ? 2 * key.length : 0);
    return this.states.length - 1;
  }
}

/**
 * Wing–Gong/Lowe search as in Porcupine's `checkSingle`, resumable so that several partitions
 * can be interleaved. A doubly-linked list holds call and return entries; a call is "lifted"
 * (linearized) when the model accepts it and the pair (set of linearized ops, state) is new;
 * reaching a return entry whose call is still in the list means backtracking. Memo keys are a
 * Zobrist hash of the linearized set (updated incrementally) mixed with an interned state id;
 * entries keep the full bitset, so hash collisions are harmless. Model transitions are memoized
 * per (state id, op), so the hot loop is integer-only (except for `denseStates` models, whose
 * steps are cheaper than a lookup).
 */
export class LinearizationSearch {
  private readonly n: number;
  private readonly W: number;
  private readonly table: StateTable;
  private readonly inputs: unknown[];
  private readonly outputs: unknown[];
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly matchOf: Int32Array;
  private readonly opOf: Int32Array;
  private readonly zob: Int32Array;
  private readonly bits: Int32Array;
  private readonly stack: Int32Array;
  private readonly stateStack: Int32Array;

  // Transition memo: dense rows for the first `denseLimit` states, then an open hash table.
  private readonly memoize: boolean;
  private readonly denseLimit: number;
  private dense: Int32Array;
  private tState = new Int32Array(0);
  private tOp = new Int32Array(0);
  private tTarget = new Int32Array(0);
  private tCount = 0;

  // Visited (bitset, state) pairs: open addressing over entry index + 1.
  private entCap = 256;
  private entKey = new Int32Array(this.entCap);
  private entState = new Int32Array(this.entCap);
  private entBits: Int32Array;
  private slots = new Int32Array(this.entCap * 2);
  private entries = 0;

  private entry: number;
  private depth = 0;
  private hash = 0;
  private cur = 0;
  private steps = 0;
  private best = 0;
  private needBlocker = true;
  private longestNodes: Int32Array;
  private longestLength = 0;
  private blocked = -1;
  private blockedState: unknown = undefined;
  private accounted = 0;
  private result: SearchOutcome | undefined;

  constructor(
    private readonly model: AnyModel,
    ops: readonly Operation[],
    private readonly deadline: number,
    private readonly memory: MemoryBudget,
  ) {
    const n = ops.length;
    this.n = n;
    this.W = Math.max(1, (n + 31) >>> 5);
    this.table = new StateTable(model);
    this.table.intern(model.init());
    const codes = sortEvents(ops);
    const HEAD = 2 * n;
    const TAIL = 2 * n + 1;
    this.next = new Int32Array(2 * n + 2);
    this.prev = new Int32Array(2 * n + 2);
    this.matchOf = new Int32Array(2 * n + 2).fill(-1);
    this.opOf = new Int32Array(2 * n + 2).fill(-1);
    const callNode = new Int32Array(n);
    for (let node = 0; node < 2 * n; node++) {
      const code = codes[node] as number;
      this.opOf[node] = code >> 1;
      if ((code & 1) === 0) callNode[code >> 1] = node;
      else this.matchOf[callNode[code >> 1] as number] = node;
      this.next[node] = node + 1;
      this.prev[node] = node === 0 ? HEAD : node - 1;
    }
    if (n > 0) this.next[2 * n - 1] = TAIL;
    this.next[HEAD] = n === 0 ? TAIL : 0;
    this.prev[TAIL] = n === 0 ? HEAD : 2 * n - 1;
    this.entry = this.next[HEAD] as number;
    this.inputs = ops.map((op) => op.input);
    this.outputs = ops.map((op) => op.output);
    this.zob = new Int32Array(n);
    for (let i = 0; i < n; i++) this.zob[i] = zobrist(i);
    this.bits = new Int32Array(this.W);
    this.stack = new Int32Array(n);
    this.stateStack = new Int32Array(n);
    this.longestNodes = new Int32Array(n);
    // A model with dense states interns them itself and steps cheaply: calling it again costs
    // less than a memo lookup (a cache miss in a big table), so its transitions are not memoized.
    this.memoize = model.denseStates !== true;
    this.denseLimit = this.memoize
      ? Math.max(16, Math.floor(DENSE_MAX_ENTRIES / Math.max(1, n)))
      : 0;
    this.dense = new Int32Array(Math.min(16, this.denseLimit) * n).fill(UNKNOWN_TRANSITION);
    this.entBits = new Int32Array(this.entCap * this.W);
    this.account();
  }

  /** Statistics so far. */
  get stats(): { steps: number; states: number; cacheEntries: number } {
    return { steps: this.steps, states: this.table.states.length, cacheEntries: this.entries };
  }

  /**
   * Runs up to about `maxSteps` more steps. Returns the outcome once decided (also on timeout or
   * memory exhaustion), or `undefined` when the step budget ran out first.
   */
  run(maxSteps: number): SearchOutcome | undefined {
    if (this.result !== undefined) return this.result;
    const n = this.n;
    const W = this.W;
    const HEAD = 2 * n;
    const TAIL = 2 * n + 1;
    const { next, prev, matchOf, opOf, zob, bits, stack, stateStack } = this;
    const denseLimit = this.denseLimit;
    let dense = this.dense;
    let entKey = this.entKey;
    let entState = this.entState;
    let entBits = this.entBits;
    let slots = this.slots;
    let mask = slots.length - 1;
    let entry = this.entry;
    let depth = this.depth;
    let hash = this.hash;
    let cur = this.cur;
    let steps = this.steps;
    const stopAt = steps + maxSteps;
    let outcome: SearchOutcome | undefined;

    while (next[HEAD] !== TAIL) {
      if ((++steps & CLOCK_MASK) === 0) {
        if (performance.now() > this.deadline) {
          outcome = this.unknown('timeout', steps);
          break;
        }
        if (steps >= stopAt) break;
      }
      const match = matchOf[entry] as number;
      if (match < 0) {
        // A return entry whose call is not linearized: undo the last linearized call.
        if (this.needBlocker) this.recordBlocker(entry, depth, cur);
        if (depth === 0) {
          outcome = this.finish('illegal', steps);
          break;
        }
        depth--;
        const top = stack[depth] as number;
        const op = opOf[top] as number;
        cur = stateStack[depth] as number;
        hash ^= zob[op] as number;
        bits[op >>> 5] = (bits[op >>> 5] as number) & ~(1 << (op & 31));
        const m = matchOf[top] as number;
        next[prev[m] as number] = m;
        prev[next[m] as number] = m;
        next[prev[top] as number] = top;
        prev[next[top] as number] = top;
        entry = next[top] as number;
        continue;
      }
      // A call entry: try to linearize its operation now.
      const op = opOf[entry] as number;
      let target =
        cur < denseLimit ? (dense[cur * n + op] as number) : this.hashedTransition(cur, op);
      if (target === UNKNOWN_TRANSITION) {
        target = this.computeTransition(cur, op);
        if (this.memory.used > this.memory.maxBytes) {
          outcome = this.unknown('memory', steps);
          break;
        }
        dense = this.dense;
      }
      if (target < 0) {
        entry = next[entry] as number;
        continue;
      }
      const word = op >>> 5;
      const bit = 1 << (op & 31);
      bits[word] = (bits[word] as number) | bit;
      const nextHash = hash ^ (zob[op] as number);
      const key = nextHash ^ stateMix(target);
      // Probe for (bits, target); insert when absent.
      let slot = (key ^ (key >>> 15)) & mask;
      let seen = false;
      for (;;) {
        const e = slots[slot] as number;
        if (e === 0) break;
        const idx = e - 1;
        if (entKey[idx] === key && entState[idx] === target) {
          let same = true;
          const base = idx * W;
          for (let w = 0; w < W; w++) {
            if (entBits[base + w] !== bits[w]) {
              same = false;
              break;
            }
          }
          if (same) {
            seen = true;
            break;
          }
        }
        slot = (slot + 1) & mask;
      }
      if (seen) {
        bits[word] = (bits[word] as number) & ~bit;
        entry = next[entry] as number;
        continue;
      }
      if (this.entries === this.entCap) {
        this.growCache();
        if (this.memory.used > this.memory.maxBytes) {
          bits[word] = (bits[word] as number) & ~bit;
          outcome = this.unknown('memory', steps);
          break;
        }
        entKey = this.entKey;
        entState = this.entState;
        entBits = this.entBits;
        slots = this.slots;
        mask = slots.length - 1;
        slot = (key ^ (key >>> 15)) & mask;
        while (slots[slot] !== 0) slot = (slot + 1) & mask;
      }
      const idx = this.entries++;
      entKey[idx] = key;
      entState[idx] = target;
      // A loop, not `entBits.set`: W is small and the builtin's fixed cost dominates.
      for (let w = 0, base = idx * W; w < W; w++) entBits[base + w] = bits[w] as number;
      slots[slot] = idx + 1;
      // Lift the call and its return out of the list.
      stack[depth] = entry;
      stateStack[depth] = cur;
      depth++;
      if (depth > this.best) {
        this.best = depth;
        this.needBlocker = true;
      }
      hash = nextHash;
      cur = target;
      next[prev[entry] as number] = next[entry] as number;
      prev[next[entry] as number] = prev[entry] as number;
      next[prev[match] as number] = next[match] as number;
      prev[next[match] as number] = prev[match] as number;
      entry = next[HEAD] as number;
    }
    if (outcome === undefined && next[HEAD] === TAIL) outcome = this.finish('ok', steps);
    this.entry = entry;
    this.depth = depth;
    this.hash = hash;
    this.cur = cur;
    this.steps = steps;
    return outcome;
  }

  /** Gives this search's memory back to the shared budget (after it is decided or abandoned). */
  release(): void {
    this.memory.used -= this.accounted;
    this.accounted = 0;
    this.dense = new Int32Array(0);
    this.tState = this.tOp = this.tTarget = new Int32Array(0);
    this.entKey = this.entState = this.entBits = this.slots = new Int32Array(0);
    this.table.states.length = 0;
  }

  private recordBlocker(entry: number, depth: number, cur: number): void {
    this.needBlocker = false;
    this.longestNodes.set(this.stack.subarray(0, depth));
    this.longestLength = depth;
    this.blocked = this.opOf[entry] as number;
    this.blockedState = this.table.states[cur];
  }

  private finish(verdict: 'ok' | 'illegal', steps: number): SearchOutcome {
    const illegal = verdict === 'illegal';
    this.result = {
      verdict,
      longest: illegal
        ? Array.from(
            this.longestNodes.subarray(0, this.longestLength),
            (node) => this.opOf[node] as number,
          )
        : [],
      blocked: illegal ? this.blocked : -1,
      blockedState: illegal ? this.blockedState : undefined,
      steps,
      states: this.table.states.length,
      cacheEntries: this.entries,
    };
    return this.result;
  }

  private unknown(reason: UnknownReason, steps: number): SearchOutcome {
    this.result = {
      verdict: 'unknown',
      reason,
      longest: [],
      blocked: -1,
      blockedState: undefined,
      steps,
      states: this.table.states.length,
      cacheEntries: this.entries,
    };
    return this.result;
  }

  private hashedTransition(state: number, op: number): number {
    const tState = this.tState;
    if (tState.length === 0) return UNKNOWN_TRANSITION;
    const mask = tState.length - 1;
    let i = transitionSlot(state, op) & mask;
    for (;;) {
      const s = tState[i] as number;
      if (s === -1) return UNKNOWN_TRANSITION;
      if (s === state && this.tOp[i] === op) return this.tTarget[i] as number;
      i = (i + 1) & mask;
    }
  }

  private storeHashed(state: number, op: number, target: number): void {
    if (2 * (this.tCount + 1) > this.tState.length) {
      const oldS = this.tState;
      const oldO = this.tOp;
      const oldT = this.tTarget;
      const size = Math.max(1024, oldS.length * 2);
      this.tState = new Int32Array(size).fill(-1);
      this.tOp = new Int32Array(size);
      this.tTarget = new Int32Array(size);
      this.tCount = 0;
      for (let i = 0; i < oldS.length; i++) {
        const s = oldS[i] as number;
        if (s !== -1) this.storeHashed(s, oldO[i] as number, oldT[i] as number);
      }
      this.account();
    }
    const mask = this.tState.length - 1;
    let i = transitionSlot(state, op) & mask;
    while (this.tState[i] !== -1) i = (i + 1) & mask;
    this.tState[i] = state;
    this.tOp[i] = op;
    this.tTarget[i] = target;
    this.tCount++;
  }

  /** Applies the model to (state, op), interns the result and memoizes the transition. */
  private computeTransition(cur: number, op: number): number {
    const table = this.table;
    const before = table.states[cur];
    const result = this.model.step(before, this.inputs[op], this.outputs[op]);
    let target = ILLEGAL_TRANSITION;
    if (result.ok) {
      const count = table.states.length;
      target = result.state === before ? cur : table.intern(result.state);
      if (table.states.length !== count) {
        const n = this.n;
        const rows = this.dense.length / Math.max(1, n);
        if (target < this.denseLimit && target >= rows) {
          const grown = new Int32Array(Math.min(this.denseLimit, rows * 2) * n);
          grown.fill(UNKNOWN_TRANSITION, this.dense.length);
          grown.set(this.dense);
          this.dense = grown;
        }
        if ((count & (count - 1)) === 0) this.account();
      }
    }
    if (cur < this.denseLimit) this.dense[cur * this.n + op] = target;
    else if (this.memoize) this.storeHashed(cur, op, target);
    return target;
  }

  private growCache(): void {
    const W = this.W;
    const cap = this.entCap * 2;
    const key = new Int32Array(cap);
    key.set(this.entKey);
    const state = new Int32Array(cap);
    state.set(this.entState);
    const bits = new Int32Array(cap * W);
    bits.set(this.entBits);
    const slots = new Int32Array(cap * 2);
    const mask = cap * 2 - 1;
    for (let i = 0; i < this.entries; i++) {
      const k = key[i] as number;
      let s = (k ^ (k >>> 15)) & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = i + 1;
    }
    this.entCap = cap;
    this.entKey = key;
    this.entState = state;
    this.entBits = bits;
    this.slots = slots;
    this.account();
  }

  /** Recomputes this search's memory use and updates the shared budget. */
  private account(): void {
    const bytes =
      4 * (this.dense.length + 3 * this.tState.length) +
      4 * (this.entCap * (2 + this.W) + this.slots.length) +
      this.table.bytes;
    this.memory.used += bytes - this.accounted;
    this.accounted = bytes;
  }
}

/** Runs one search to completion (convenience for single-partition checks and tests). */
export function searchLinearization(
  model: AnyModel,
  ops: readonly Operation[],
  limits: { deadline: number; maxBytes: number },
): SearchOutcome {
  const memory: MemoryBudget = { maxBytes: limits.maxBytes, used: 0 };
  const search = new LinearizationSearch(model, ops, limits.deadline, memory);
  let outcome: SearchOutcome | undefined;
  while (outcome === undefined) outcome = search.run(1 << 30);
  search.release();
  return outcome;
}
