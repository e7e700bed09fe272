/**
 * An append-only log that shares its backing array between successive states, like a Go slice:
 * appending to the newest view pushes in place, appending to an older view copies. States stay
 * values (an old state never sees entries past its own length) without O(n) copies per append.
 */
export interface AppendLog<T> {
  readonly items: readonly T[];
  readonly length: number;
}

export function emptyLog<T>(): AppendLog<T> {
  return { items: [], length: 0 };
}

export function logAppend<T>(log: AppendLog<T>, item: T): AppendLog<T> {
  if (log.items.length === log.length) {
    (log.items as T[]).push(item);
    return { items: log.items, length: log.length + 1 };
  }
  const items = log.items.slice(0, log.length);
  items.push(item);
  return { items, length: log.length + 1 };
}

/** Entry at 1-based position `index`, or undefined beyond the log's length. */
export function logAt<T>(log: AppendLog<T>, index: number): T | undefined {
  return index >= 1 && index <= log.length ? log.items[index - 1] : undefined;
}

export function logToArray<T>(log: AppendLog<T>): T[] {
  return log.items.slice(0, log.length);
}
