import { assert } from '../../protocol/assert.js';
import type { AnyModel, Operation } from '../models/types.js';
import {
  capacityFor, giveBuffer, NO_BUFFER, takeBuffer, zobristKeysFor,
} from './buffers.js';

/** Verdict of a linearizability check (Porcupine's `CheckResult`). */
export type Verdict = 'ok' | 'illegal' | 'unknown';

/**
 * Why a search gave up: 'steps' and 'memory' are deterministic budgets (counted search steps,
 * accounted table bytes), so they give the same answer on any machine; 'timeout' is the optional
 * wall-clock limit of a command, which stops it and says so.
 */
export type UnknownReason = 'steps' | 'memory' | 'timeout';

/**
 * Memory shared by the searches of one check; `used` is updated as tables grow and shrink, and
 * `peak` (when present) is the most `used` has been.
 */
export interface MemoryBudget {
  readonly maxBytes: number;
  used: number;
  peak?: number;
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

/** Step-budget (and optional wall-clock) checks happen every CLOCK_MASK + 1 search steps. */
const CLOCK_MASK = 0x3ff;
const UNKNOWN_TRANSITION = -2;
const ILLEGAL_TRANSITION = -1;
/** Dense transition rows are used while states × ops stays below this many entries. */
const DENSE_MAX_ENTRIES = 1 << 20;
/** Rough heap cost of one interned state (object, small arrays, shared string pieces). */
const STATE_BYTES = 160;

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

/** Beyond this many moves per op, an insertion sort gives way to the library sort. */
const INSERTION_MOVES_PER_OP = 8;

/**
 * `order[0..n)` (op indices in index order on entry) sorted by (time, index), where `time(i)` is
 * op i's call or return. Run histories come in call order and their returns are nearly in order
 * (an op is short next to the history), so an insertion sort does it in one pass with a few
 * moves and no allocation; a history far from that order (counted in moves, so the choice is
 * deterministic) is sorted by the library instead. Infinite times go last, in index order.
 */
function sortByTime(order: Int32Array, n: number, ops: readonly Operation[],
  returns: boolean): void {
  const time = (i: number): number => {
    const op = ops[i] as Operation;
    return returns ? op.return : op.call;
  };
  let finite = 0;
  let infinite = 0;
  let moves = 0;
  const maxMoves = INSERTION_MOVES_PER_OP * n + 1024;
  for (let i = 0; i < n; i++) {
    const t = time(i);
    if (t === Infinity) {
      infinite++;
      continue;
    }
    let j = finite++;
    while (j > 0 && time(order[j - 1] as number) > t) {
      order[j] = order[j - 1] as number;
      j--;
      if (++moves > maxMoves) {
        libraryOrder(order, n, time);
        return;
      }
    }
    order[j] = i;
  }
  if (infinite > 0) {
    for (let i = 0, k = finite; i < n; i++) if (time(i) === Infinity) order[k++] = i;
  }
}

/** The same order by the library's sort, for histories far from time order. */
function libraryOrder(order: Int32Array, n: number, time: (i: number) => number): void {
  const all = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    const ta = time(a);
    const tb = time(b);
    return ta !== tb ? (ta < tb ? -1 : 1) : a - b;
  });
  for (let i = 0; i < n; i++) order[i] = all[i] as number;
}

/**
 * Sorts call/return events by time, calls before returns at equal times, then by op index.
 * Writes the event codes (op * 2 + kind, kind 0 = call, 1 = return) in order into `codes`.
 * Calls and returns are ordered apart and merged.
 */
function sortEvents(ops: readonly Operation[], codes: Int32Array): void {
  const n = ops.length;
  for (let i = 0; i < n; i++) {
    const op = ops[i] as Operation;
    // check.ts rejects such a history as malformed before any search.
    assert(op.call <= op.return, 'lincheck: an operation returns before its call');
  }
  const byCall = takeBuffer(n);
  const byReturn = takeBuffer(n);
  sortByTime(byCall, n, ops, false);
  sortByTime(byReturn, n, ops, true);
  for (let i = 0, j = 0, k = 0; k < 2 * n; k++) {
    const c = byCall[i] as number;
    const r = byReturn[j] as number;
    if (i < n && (j >= n || (ops[c] as Operation).call <= (ops[r] as Operation).return)) {
      codes[k] = 2 * c;
      i++;
    } else {
      codes[k] = 2 * r + 1;
      j++;
    }
  }
  giveBuffer(byCall);
  giveBuffer(byReturn);
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
    this.bytes += STATE_BYTES + (typeof key === 'string' ? 2 * key.length : 0)
      + (this.model.stateBytes?.(state) ?? 0);
    return this.states.length - 1;
  }
}

/**
 * Wing–Gong/Lowe search as in Porcupine's `checkSingle`, resumable so that several partitions
 * can be interleaved. A doubly-linked list holds call and return entries; a call is "lifted"
 * (linearized) when the model accepts it and the pair (set of linearized ops, state) is new;
 * reaching a return entry whose call is still in the list means backtracking. Memo keys are a
 * Zobrist hash of the linearized set (updated incrementally) mixed with an interned state id;
 * entries keep the full set, so hash collisions are harmless. Ops are numbered in call order and
 * an entry stores only the words of the set between its first word that is not full and its
 * last word that is not empty: on the mostly linearizable histories of runs, the set is a
 * prefix of the ops plus a few, so an entry costs a few words instead of n / 32 (which made
 * memory and time quadratic in the ops of one key). Model transitions are memoized
 * per (state id, op), so the hot loop is integer-only (except for `denseStates` models, whose
 * steps are cheaper than a lookup).
 */
export class LinearizationSearch {
  private readonly n: number;
  private readonly W: number;
  private readonly table: StateTable;
  /** The caller's operations (inputs and outputs are read through `original`). */
  private readonly ops: readonly Operation[];
  // Buffers from the shared pool (./buffers.ts), given back by `release`; longer than needed.
  private next: Int32Array;
  private prev: Int32Array;
  private matchOf: Int32Array;
  private opOf: Int32Array;
  private readonly zob: Int32Array;
  private bits: Int32Array;
  private stack: Int32Array;
  private stateStack: Int32Array;
  /** Caller's op index of each internal (call-order) op index. */
  private original: Int32Array;

  // Transition memo: dense rows for the first `denseLimit` states, then an open hash table.
  private readonly memoize: boolean;
  private readonly denseLimit: number;
  private dense: Int32Array;
  /** Rows of `dense` in use (each `n` wide, initialised to UNKNOWN_TRANSITION). */
  private denseRows: number;
  private tState = NO_BUFFER;
  private tOp = NO_BUFFER;
  private tTarget = NO_BUFFER;
  private tCount = 0;

  // Visited (set, state) pairs: open addressing over entry index + 1. Entry i holds the words
  // [entLow[i], entLow[i] + entLen[i]) of its set at pool[entOff[i]...]; lower words are full,
  // higher ones empty. Sized for one entry per op (a linearizable history without
  // backtracking), so the tables of a run's history do not grow while it is searched.
  private entCap: number;
  private entKey: Int32Array;
  private entState: Int32Array;
  private entLow: Int32Array;
  private entLen: Int32Array;
  private entOff: Int32Array;
  private pool: Int32Array;
  private poolUsed = 0;
  private slots: Int32Array;
  private entries = 0;
  /** First word of `bits` that is not all ones (W when all are). */
  private low = 0;
  /** One past the last word of `bits` that is not zero. */
  private high = 0;

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
  /**
   * Bytes of the buffers the last growth replaced and the pool did not keep: garbage, but
   * allocated until the collector frees it, so still counted (until the next growth).
   */
  private retiredBytes = 0;
  /** A table could not grow within the memory budget: the search stops as 'unknown'. */
  private outOfMemory = false;
  private result: SearchOutcome | undefined;

  constructor(
    private readonly model: AnyModel,
    ops: readonly Operation[],
    private readonly deadline: number,
    private readonly memory: MemoryBudget,
  ) {
    const n = ops.length;
    this.n = n;
    this.ops = ops;
    this.W = Math.max(1, (n + 31) >>> 5);
    this.table = new StateTable(model);
    this.table.intern(model.init());
    const codes = takeBuffer(2 * n);
    sortEvents(ops, codes);
    const HEAD = 2 * n;
    const TAIL = 2 * n + 1;
    const next = (this.next = takeBuffer(2 * n + 2));
    const prev = (this.prev = takeBuffer(2 * n + 2));
    const matchOf = (this.matchOf = takeBuffer(2 * n + 2));
    const opOf = (this.opOf = takeBuffer(2 * n + 2));
    matchOf.fill(-1, 0, 2 * n + 2);
    opOf.fill(-1, 0, 2 * n + 2);
    const original = (this.original = takeBuffer(n));
    const callNode = takeBuffer(n);
    const internal = takeBuffer(n);
    callNode.fill(-1, 0, n);
    let calls = 0;
    for (let node = 0; node < 2 * n; node++) {
      const code = codes[node] as number;
      const given = code >> 1;
      if ((code & 1) === 0) {
        internal[given] = calls;
        original[calls++] = given;
        callNode[given] = node;
      } else {
        assert((callNode[given] as number) >= 0, 'lincheck: a return sorted before its call');
        matchOf[callNode[given] as number] = node;
      }
      opOf[node] = internal[given] as number;
      next[node] = node + 1;
      prev[node] = node === 0 ? HEAD : node - 1;
    }
    giveBuffer(codes);
    giveBuffer(callNode);
    giveBuffer(internal);
    assert(calls === n, 'lincheck: every operation has one call and one return');
    if (n > 0) next[2 * n - 1] = TAIL;
    next[HEAD] = n === 0 ? TAIL : 0;
    prev[TAIL] = n === 0 ? HEAD : 2 * n - 1;
    this.entry = next[HEAD] as number;
    this.zob = zobristKeysFor(n);
    this.bits = takeBuffer(this.W);
    this.bits.fill(0);
    this.stack = takeBuffer(n);
    this.stateStack = takeBuffer(n);
    this.longestNodes = takeBuffer(n);
    // A model with dense states interns them itself and steps cheaply: calling it again costs
    // less than a memo lookup (a cache miss in a big table), so its transitions are not memoized.
    this.memoize = model.denseStates !== true;
    this.denseLimit = this.memoize
      ? Math.max(16, Math.floor(DENSE_MAX_ENTRIES / Math.max(1, n)))
      : 0;
    this.denseRows = Math.min(16, this.denseLimit);
    this.dense = this.denseRows === 0 ? NO_BUFFER : takeBuffer(this.denseRows * n);
    this.dense.fill(UNKNOWN_TRANSITION, 0, this.denseRows * n);
    this.entCap = Math.max(256, capacityFor(n + 1));
    this.entKey = takeBuffer(this.entCap);
    this.entState = takeBuffer(this.entCap);
    this.entLow = takeBuffer(this.entCap);
    this.entLen = takeBuffer(this.entCap);
    this.entOff = takeBuffer(this.entCap);
    this.pool = takeBuffer(2 * this.entCap);
    this.slots = takeBuffer(2 * this.entCap);
    this.slots.fill(0);
    this.account();
  }

  /** Statistics so far. */
  /** Search steps so far (without allocating, unlike `stats`). */
  get stepCount(): number {
    return this.steps;
  }

  get stats(): { steps: number; states: number; cacheEntries: number } {
    return { steps: this.steps, states: this.table.states.length, cacheEntries: this.entries };
  }

  /**
   * Runs up to about `maxSteps` more steps. Returns the outcome once decided (also on timeout or
   * memory exhaustion), or `undefined` when the step budget ran out first.
   */
  run(maxSteps: number): SearchOutcome | undefined {
    if (this.result !== undefined) return this.result;
    assert(maxSteps > 0, 'lincheck: a search slice needs a positive step budget');
    const n = this.n;
    const W = this.W;
    const HEAD = 2 * n;
    const TAIL = 2 * n + 1;
    const { next, prev, matchOf, opOf, zob, bits, stack, stateStack } = this;
    const denseLimit = this.denseLimit;
    let dense = this.dense;
    let entKey = this.entKey;
    let entState = this.entState;
    let entLow = this.entLow;
    let entLen = this.entLen;
    let entOff = this.entOff;
    let pool = this.pool;
    let slots = this.slots;
    let low = this.low;
    let high = this.high;
    const deadline = this.deadline;
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
        if (steps >= stopAt) break;
        if (deadline !== Infinity && performance.now() > deadline) {
          outcome = this.unknown('timeout', steps);
          break;
        }
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
        const w = op >>> 5;
        assert(((bits[w] as number) & (1 << (op & 31))) !== 0,
          'lincheck: backtracking an operation that is not linearized');
        const cleared = (bits[w] as number) & ~(1 << (op & 31));
        bits[w] = cleared;
        if (w < low) low = w;
        if (cleared === 0 && w === high - 1) {
          high = w;
          while (high > 0 && bits[high - 1] === 0) high--;
        }
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
        if (this.outOfMemory || this.memory.used > this.memory.maxBytes) {
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
      assert(((bits[word] as number) & bit) === 0, 'lincheck: linearizing an operation twice');
      const setWord = (bits[word] as number) | bit;
      bits[word] = setWord;
      let nextLow = low;
      if (word === low && setWord === -1) {
        nextLow = word + 1;
        while (nextLow < W && bits[nextLow] === -1) nextLow++;
      }
      const nextHigh = word >= high ? word + 1 : high;
      const len = nextHigh > nextLow ? nextHigh - nextLow : 0;
      const nextHash = hash ^ (zob[op] as number);
      const key = nextHash ^ stateMix(target);
      // Probe for (bits, target); insert when absent.
      let slot = (key ^ (key >>> 15)) & mask;
      let seen = false;
      for (;;) {
        const e = slots[slot] as number;
        if (e === 0) break;
        const idx = e - 1;
        if (entKey[idx] === key && entState[idx] === target && entLow[idx] === nextLow
          && entLen[idx] === len) {
          let same = true;
          const base = (entOff[idx] as number) - nextLow;
          for (let w = nextLow; w < nextLow + len; w++) {
            if (pool[base + w] !== bits[w]) {
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
      if (this.entries === this.entCap || this.poolUsed + len > pool.length) {
        if (this.entries === this.entCap) this.growCache();
        if (this.poolUsed + len > this.pool.length) this.growPool(len);
        if (this.outOfMemory || this.memory.used > this.memory.maxBytes) {
          bits[word] = (bits[word] as number) & ~bit;
          outcome = this.unknown('memory', steps);
          break;
        }
        entKey = this.entKey;
        entState = this.entState;
        entLow = this.entLow;
        entLen = this.entLen;
        entOff = this.entOff;
        pool = this.pool;
        slots = this.slots;
        mask = slots.length - 1;
        slot = (key ^ (key >>> 15)) & mask;
        while (slots[slot] !== 0) slot = (slot + 1) & mask;
      }
      const idx = this.entries++;
      entKey[idx] = key;
      entState[idx] = target;
      entLow[idx] = nextLow;
      entLen[idx] = len;
      const off = this.poolUsed;
      entOff[idx] = off;
      // A loop, not `pool.set`: len is small and the builtin's fixed cost dominates.
      for (let w = 0; w < len; w++) pool[off + w] = bits[nextLow + w] as number;
      this.poolUsed = off + len;
      slots[slot] = idx + 1;
      low = nextLow;
      high = nextHigh;
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
    assert(depth >= 0 && depth <= n, 'lincheck: search depth out of range');
    assert(low >= 0 && low <= W && high >= 0 && high <= W,
      'lincheck: linearized-set bounds out of range');
    assert(outcome?.verdict !== 'ok' || depth === n, 'lincheck: ok with an operation left over');
    assert(outcome?.verdict !== 'illegal' || depth === 0,
      'lincheck: illegal before every alternative was tried');
    this.entry = entry;
    this.depth = depth;
    this.low = low;
    this.high = high;
    this.hash = hash;
    this.cur = cur;
    this.steps = steps;
    return outcome;
  }

  /**
   * Gives this search's memory back to the shared budget and its buffers to the pool (after it
   * is decided or abandoned); the search must not run again.
   */
  release(): void {
    assert(this.accounted >= 0, 'lincheck: negative accounted memory');
    this.memory.used -= this.accounted;
    this.accounted = 0;
    for (const buffer of [this.next, this.prev, this.matchOf, this.opOf, this.bits, this.stack,
      this.stateStack, this.original, this.longestNodes, this.dense, this.tState, this.tOp,
      this.tTarget, this.entKey, this.entState, this.entLow, this.entLen, this.entOff,
      this.pool, this.slots]) {
      giveBuffer(buffer);
    }
    this.next = this.prev = this.matchOf = this.opOf = this.bits = this.stack = NO_BUFFER;
    this.stateStack = this.original = this.longestNodes = this.dense = NO_BUFFER;
    this.tState = this.tOp = this.tTarget = NO_BUFFER;
    this.entKey = this.entState = this.slots = NO_BUFFER;
    this.entLow = this.entLen = this.entOff = this.pool = NO_BUFFER;
    this.table.states.length = 0;
  }

  private recordBlocker(entry: number, depth: number, cur: number): void {
    assert((this.matchOf[entry] as number) < 0, 'lincheck: a blocker is a return entry');
    this.needBlocker = false;
    this.longestNodes.set(this.stack.subarray(0, depth));
    this.longestLength = depth;
    this.blocked = this.original[this.opOf[entry] as number] as number;
    this.blockedState = this.table.states[cur];
  }

  private finish(verdict: 'ok' | 'illegal', steps: number): SearchOutcome {
    const illegal = verdict === 'illegal';
    assert(!illegal || (this.blocked >= 0 && this.longestLength <= this.n),
      'lincheck: an illegal verdict names the blocked operation');
    this.result = {
      verdict,
      longest: illegal
        ? Array.from(
            this.longestNodes.subarray(0, this.longestLength),
            (node) => this.original[this.opOf[node] as number] as number,
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
      // The old and the new tables are both alive while it is rehashed.
      if (!this.fits(12 * size)) return;
      this.tState = takeBuffer(size);
      this.tState.fill(-1);
      this.tOp = takeBuffer(size);
      this.tTarget = takeBuffer(size);
      this.tCount = 0;
      for (let i = 0; i < oldS.length; i++) {
        const s = oldS[i] as number;
        if (s !== -1) this.storeHashed(s, oldO[i] as number, oldT[i] as number);
      }
      this.retire([oldS, oldO, oldT]);
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

  /**
   * Applies the model to (state, op), interns the result and memoizes the transition (unless
   * the memo's growth would not fit the memory budget: then `outOfMemory` is set).
   */
  private computeTransition(cur: number, op: number): number {
    const table = this.table;
    const before = table.states[cur];
    const given = this.ops[this.original[op] as number] as Operation;
    const result = this.model.step(before, given.input, given.output);
    let target = ILLEGAL_TRANSITION;
    if (result.ok) {
      const count = table.states.length;
      target = result.state === before ? cur : table.intern(result.state);
      if (table.states.length !== count) {
        const n = this.n;
        const rows = this.denseRows;
        if (target < this.denseLimit && target >= rows) {
          const grownRows = Math.min(this.denseLimit, rows * 2);
          if (this.fits(4 * capacityFor(grownRows * n))) {
            const grown = takeBuffer(grownRows * n);
            grown.set(this.dense.subarray(0, rows * n));
            grown.fill(UNKNOWN_TRANSITION, rows * n, grownRows * n);
            this.retire([this.dense]);
            this.dense = grown;
            this.denseRows = grownRows;
          }
        }
        if ((count & (count - 1)) === 0) this.account();
      }
    }
    assert(target === ILLEGAL_TRANSITION || (target >= 0 && target < table.states.length),
      'lincheck: a transition leads to an interned state or is illegal');
    if (cur < this.denseRows) this.dense[cur * this.n + op] = target;
    else if (this.memoize && cur >= this.denseLimit) this.storeHashed(cur, op, target);
    return target;
  }

  /**
   * Whether `extra` more bytes fit the budget. Checked before a table grows, so that what is
   * allocated (old and new table together while copying) stays within it.
   */
  private fits(extra: number): boolean {
    if (this.memory.used + extra <= this.memory.maxBytes) return true;
    this.outOfMemory = true;
    return false;
  }

  /** Gives replaced buffers to the pool; what it does not keep is counted as `retiredBytes`. */
  private retire(buffers: readonly Int32Array[]): void {
    let dropped = 0;
    for (const b of buffers) if (!giveBuffer(b)) dropped += 4 * b.length;
    this.retiredBytes = dropped;
  }

  private growPool(len: number): void {
    const size = Math.max(2 * this.pool.length, this.poolUsed + len);
    if (!this.fits(4 * capacityFor(size))) return;
    const grown = takeBuffer(size);
    grown.set(this.pool.subarray(0, this.poolUsed));
    this.retire([this.pool]);
    this.pool = grown;
    this.account();
  }

  private growCache(): void {
    const cap = this.entCap * 2;
    // Five entry arrays and the slots, all alive with the old ones while copying.
    if (!this.fits(4 * 7 * cap)) return;
    const widen = (a: Int32Array): Int32Array => {
      const b = takeBuffer(cap);
      b.set(a.subarray(0, this.entries));
      return b;
    };
    this.retire([this.entKey, this.entState, this.entLow, this.entLen, this.entOff,
      this.slots]);
    const key = widen(this.entKey);
    const state = widen(this.entState);
    this.entLow = widen(this.entLow);
    this.entLen = widen(this.entLen);
    this.entOff = widen(this.entOff);
    const slots = takeBuffer(cap * 2);
    slots.fill(0);
    const mask = cap * 2 - 1;
    for (let i = 0; i < this.entries; i++) {
      const k = key[i] as number;
      let s = (k ^ (k >>> 15)) & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = i + 1;
    }
    assert(this.entries < cap, 'lincheck: a grown cache has a free entry');
    this.entCap = cap;
    this.entKey = key;
    this.entState = state;
    this.slots = slots;
    this.account();
  }

  /**
   * Recomputes this search's memory use and updates the shared budget: every buffer it holds
   * (the event list and stacks as well as the memo tables), the interned states and the
   * model's own tables.
   */
  private account(): void {
    const buffers = [this.next, this.prev, this.matchOf, this.opOf, this.bits, this.stack,
      this.stateStack, this.original, this.longestNodes, this.dense, this.tState, this.tOp,
      this.tTarget, this.entKey, this.entState, this.entLow, this.entLen, this.entOff,
      this.pool, this.slots];
    let words = 0;
    for (const b of buffers) words += b.length;
    const bytes = 4 * words + this.retiredBytes + this.table.bytes + (this.model.bytes?.() ?? 0);
    const memory = this.memory;
    memory.used += bytes - this.accounted;
    if (memory.peak !== undefined && memory.used > memory.peak) memory.peak = memory.used;
    this.accounted = bytes;
    assert(bytes >= 0 && this.memory.used >= 0, 'lincheck: memory accounting went negative');
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
