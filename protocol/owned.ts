/**
 * Step-local copy-on-write. A protocol step (one call of the pure step function) updates the
 * same records several times: a decided slot copies the state, its execution module, the
 * leader and its leadership three or four times each. The first update of a record within a
 * step copies it and registers the copy here as owned by the step; later updates in the same
 * step mutate that copy in place. Nothing built before the step began is owned (the input
 * state, crash images, states the model checker keeps and steps again), and ownership ends
 * with the step, so no record is ever changed once a step has returned it: from outside, the
 * step is as pure as one that copies every time.
 *
 * The rule for code inside a step: a record obtained from an update is the current version;
 * never keep an older version of a record updated in this step and expect it unchanged.
 * Outside a step (init, durable, tests calling helpers directly) nothing is owned and every
 * update copies.
 */

/**
 * Beyond this many owned records a step stops registering new ones (they are then copied on
 * every update, as outside a step): the ownership test is a linear scan, and ordinary steps
 * own a dozen records.
 */
const MAX_OWNED = 64;

/**
 * Records built in the current step, newest last: the first `count` entries. A fixed array,
 * emptied by count and by clearing the used entries: `length = 0` would free its storage and
 * every step would grow it again.
 */
const owned: (object | undefined)[] = new Array<object | undefined>(MAX_OWNED).fill(undefined);
let count = 0;

/** Whether a step is running: only then are records registered. */
let active = false;

/** A step begins: nothing is owned yet. */
export function beginStep(): void {
  release();
  active = true;
}

/**
 * The step has returned (or thrown): its records are values from now on. A step that ends
 * inside another (never done) leaves the outer one owning nothing, which only costs copies.
 */
export function endStep(): void {
  release();
  active = false;
}

/** Forgets every owned record (and lets it be collected). */
function release(): void {
  for (let i = 0; i < count; i++) owned[i] = undefined;
  count = 0;
}

/** Registers `record`, built in this step, as owned by it (a no-op outside a step). */
export function own<T extends object>(record: T): T {
  if (active && count < MAX_OWNED) owned[count++] = record;
  return record;
}

/** Whether `record` was built in the current step, so that it may be updated in place. */
export function owns(record: object): boolean {
  for (let i = count - 1; i >= 0; i--) if (owned[i] === record) return true;
  return false;
}
