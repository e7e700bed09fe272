import type { AnyModel, Operation } from '../models/types.js';

/** Verdict of a linearizability check (Porcupine's `CheckResult`). */
export type Verdict = 'ok' | 'illegal' | 'unknown';

/** Why a search gave up. */
export type UnknownReason = 'timeout' | 'memory';

/** Budget of one search. */
export interface SearchLimits {
  /** `performance.now()` value after which the search answers 'unknown'. */
  readonly deadline: number;
  /** Approximate bytes the memo tables may use before the search answers 'unknown'. */
  readonly maxBytes: number;
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

/** Interns model states as dense integer ids; states with equal keys are one id. */
class StateTable {
  readonly states: unknown[] = [];
  private readonly ids = new Map<string, number>();
  private readonly collisions = new Map<string, number[]>();
  bytes = 0;

  constructor(private readonly model: AnyModel) {}

  intern(state: unknown): number {
    const key = this.model.hash(state);
    const id = this.ids.get(key);
    const equal = this.model.equal;
    if (id !== undefined) {
      if (equal === undefined || equal(this.states[id], state)) return id;
      const more = this.collisions.get(key) ?? [];
      for (const other of more) if (equal(this.states[other], state)) return other;
      more.push(this.add(state, key));
      this.collisions.set(key, more);
      return more[more.length - 1] as number;
    }
    const fresh = this.add(state, key);
    this.ids.set(key, fresh);
    return fresh;
  }

  private add(state: unknown, key: string): number {
    this.states.push(state);
    this.bytes += 2 * key.length + 96;
    return this.states.length - 1;
  }
}

/**
 * Wing–Gong/Lowe search as in Porcupine's `checkSingle`: a doubly-linked list of call and return
 * entries; a call is "lifted" (linearized) when the model accepts it and the pair (set of
 * linearized ops, state) is new; reaching a return entry whose call is still in the list means
 * backtracking. Memo keys are a Zobrist hash of the linearized set (updated incrementally) mixed
 * with an interned state id; entries keep the full bitset, so collisions are harmless.
 * Model transitions are memoized per (state id, op), so the hot loop is integer-only.
 */
export function searchLinearization(
  model: AnyModel,
  ops: readonly Operation[],
  limits: SearchLimits,
): SearchOutcome {
  const n = ops.length;
  const table = new StateTable(model);
  table.intern(model.init());
  if (n === 0) return outcome('ok', undefined, [], -1, undefined, 0, table, 0);

  // Entries: node ids 0..2n-1 in event order; HEAD and TAIL are sentinels.
  const codes = sortEvents(ops);
  const HEAD = 2 * n;
  const TAIL = 2 * n + 1;
  const next = new Int32Array(2 * n + 2);
  const prev = new Int32Array(2 * n + 2);
  const matchOf = new Int32Array(2 * n + 2).fill(-1);
  const opOf = new Int32Array(2 * n + 2).fill(-1);
  const callNode = new Int32Array(n);
  for (let node = 0; node < 2 * n; node++) {
    const code = codes[node] as number;
    opOf[node] = code >> 1;
    if ((code & 1) === 0) callNode[code >> 1] = node;
    else matchOf[callNode[code >> 1] as number] = node;
    next[node] = node + 1;
    prev[node] = node === 0 ? HEAD : node - 1;
  }
  next[2 * n - 1] = TAIL;
  next[HEAD] = 0;
  prev[TAIL] = 2 * n - 1;

  const inputs = ops.map((op) => op.input);
  const outputs = ops.map((op) => op.output);
  const zob = new Int32Array(n);
  for (let i = 0; i < n; i++) zob[i] = zobrist(i);

  // Transition memo: trans[state * n + op] = next state id, ILLEGAL or UNKNOWN (not computed).
  let stateCap = 8;
  let trans = new Int32Array(stateCap * n).fill(UNKNOWN_TRANSITION);

  // Memo of visited (bitset, state) pairs: open addressing over entry indices + 1.
  const W = (n + 31) >>> 5;
  let entCap = 1024;
  let entKey = new Int32Array(entCap);
  let entState = new Int32Array(entCap);
  let entBits = new Int32Array(entCap * W);
  let slots = new Int32Array(entCap * 2);
  let mask = entCap * 2 - 1;
  let entries = 0;

  const bits = new Int32Array(W);
  const stack = new Int32Array(n);
  const stateStack = new Int32Array(n);
  let depth = 0;
  let hash = 0;
  let cur = 0;
  let steps = 0;
  let best = 0;
  let needBlocker = true;
  let longest: number[] = [];
  let blocked = -1;
  let blockedState: unknown = undefined;

  const memoryBytes = (): number =>
    trans.length * 4 + entCap * (8 + 4 * W) + slots.length * 4 + table.bytes;

  let entry = next[HEAD] as number;
  while (next[HEAD] !== TAIL) {
    if ((++steps & CLOCK_MASK) === 0 && performance.now() > limits.deadline) {
      return outcome('unknown', 'timeout', [], -1, undefined, steps, table, entries);
    }
    const match = matchOf[entry] as number;
    if (match >= 0) {
      // A call entry: try to linearize its operation now.
      const op = opOf[entry] as number;
      let target = trans[cur * n + op] as number;
      if (target === UNKNOWN_TRANSITION) {
        const result = model.step(table.states[cur], inputs[op], outputs[op]);
        target = result.ok ? table.intern(result.state) : ILLEGAL_TRANSITION;
        if (table.states.length > stateCap) {
          while (table.states.length > stateCap) stateCap *= 2;
          const grown = new Int32Array(stateCap * n).fill(UNKNOWN_TRANSITION);
          grown.set(trans);
          trans = grown;
          if (memoryBytes() > limits.maxBytes) {
            return outcome('unknown', 'memory', [], -1, undefined, steps, table, entries);
          }
        }
        trans[cur * n + op] = target;
      }
      if (target >= 0) {
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
        if (!seen) {
          if (entries === entCap) {
            entCap *= 2;
            const k2 = new Int32Array(entCap);
            k2.set(entKey);
            entKey = k2;
            const s2 = new Int32Array(entCap);
            s2.set(entState);
            entState = s2;
            const b2 = new Int32Array(entCap * W);
            b2.set(entBits);
            entBits = b2;
            slots = new Int32Array(entCap * 2);
            mask = entCap * 2 - 1;
            for (let i = 0; i < entries; i++) {
              const k = entKey[i] as number;
              let s = (k ^ (k >>> 15)) & mask;
              while (slots[s] !== 0) s = (s + 1) & mask;
              slots[s] = i + 1;
            }
            if (memoryBytes() > limits.maxBytes) {
              return outcome('unknown', 'memory', [], -1, undefined, steps, table, entries);
            }
            slot = (key ^ (key >>> 15)) & mask;
            while (slots[slot] !== 0) slot = (slot + 1) & mask;
          }
          entKey[entries] = key;
          entState[entries] = target;
          entBits.set(bits, entries * W);
          entries++;
          slots[slot] = entries;
          // Lift the call and its return out of the list.
          stack[depth] = entry;
          stateStack[depth] = cur;
          depth++;
          if (depth > best) {
            best = depth;
            needBlocker = true;
          }
          hash = nextHash;
          cur = target;
          const m = match;
          next[prev[entry] as number] = next[entry] as number;
          prev[next[entry] as number] = prev[entry] as number;
          next[prev[m] as number] = next[m] as number;
          prev[next[m] as number] = prev[m] as number;
          entry = next[HEAD] as number;
          continue;
        }
        bits[word] = (bits[word] as number) & ~bit;
      }
      entry = next[entry] as number;
    } else {
      // A return entry whose call is not linearized: undo the last linearized call.
      if (needBlocker) {
        needBlocker = false;
        longest = Array.from(stack.subarray(0, depth), (node) => opOf[node] as number);
        blocked = opOf[entry] as number;
        blockedState = table.states[cur];
      }
      if (depth === 0) {
        return outcome('illegal', undefined, longest, blocked, blockedState, steps, table, entries);
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
    }
  }
  return outcome('ok', undefined, [], -1, undefined, steps, table, entries);
}

function outcome(
  verdict: Verdict,
  reason: UnknownReason | undefined,
  longest: readonly number[],
  blocked: number,
  blockedState: unknown,
  steps: number,
  table: StateTable,
  cacheEntries: number,
): SearchOutcome {
  const base = { verdict, longest, blocked, blockedState, steps, cacheEntries };
  const states = table.states.length;
  return reason === undefined ? { ...base, states } : { ...base, reason, states };
}
