/**
 * TigerStyle assertions. They are never stripped: a failed assertion inside a protocol is a found
 * bug, which the simulator catches and reports with the run's seed.
 */
export class AssertionFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssertionFailure';
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionFailure(message);
}

/** Exhaustiveness guard for discriminated unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new AssertionFailure(`unexpected ${what}: ${JSON.stringify(value)}`);
}

/**
 * Documents that both outcomes of `condition` are legitimate; evaluates it for side-effect-free
 * parity.
 */
export function maybe(condition: boolean): void {
  void condition;
}
