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

/** A thrown value as text for a found bug: an assertion's own message, else `Name: message`. */
export function errorText(error: unknown): string {
  if (error instanceof AssertionFailure) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
