/**
 * Bounds on JSON read from outside (scenario, saved run, history and counterexample files,
 * `--param` values). JSON.parse itself copes with deep nesting, but everything after it (schema
 * validation, copying, checking) recurses, so a 3,000-deep array would overflow the stack far
 * from the input. Real inputs nest a dozen levels; MAX_JSON_DEPTH leaves ample room.
 */
export const MAX_JSON_DEPTH = 100;

/**
 * Where `value` nests deeper than `max` levels (a dotted path to the first such place), or null.
 * Iterative, so the check itself cannot overflow the stack.
 */
export function jsonDepthProblem(value: unknown, max = MAX_JSON_DEPTH): string | null {
  return nestsDeeper(value, max) ? deepestPath(value, max) : null;
}

/**
 * Whether `value` nests `max` levels or more: the same walk without building paths, which made
 * reading a history cost more than checking it (a path string and an entry array per object).
 */
function nestsDeeper(value: unknown, max: number): boolean {
  const values: unknown[] = [value];
  const depths: number[] = [0];
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop() as number;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= max) return true;
    const children = Array.isArray(v) ? (v as unknown[]) : Object.values(v);
    for (const child of children) {
      if (typeof child !== 'object' || child === null) continue;
      values.push(child);
      depths.push(depth + 1);
    }
  }
  return false;
}

/** The dotted path to the first place deeper than `max` (only called when there is one). */
function deepestPath(value: unknown, max: number): string | null {
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= max) return path === '' ? '(top level)' : path.slice(1);
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const)
      : Object.entries(v as Record<string, unknown>);
    // Only the first few keys of each level go into the path, to keep the message short.
    for (const [k, x] of entries) {
      stack.push({ v: x, depth: depth + 1, path: depth < 6 ? `${path}.${k}` : path });
    }
  }
  return null;
}

/** The text without a leading UTF-8 byte order mark (editors on Windows write one). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Text quoted from input, made safe for a one-line message: control characters and line
 * separators escaped, at most `max` characters.
 */
export function oneLine(text: string, max = 160): string {
  // eslint-disable-next-line no-control-regex
  const safe = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return safe.length <= max ? safe : `${safe.slice(0, max - 1)}…`;
}
