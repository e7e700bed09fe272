/**
 * Canonical JSON: object keys sorted, no floats. Used for trace lines, hashes and saved files so
 * that equal data always serializes to equal bytes.
 */
import { AssertionFailure } from '../protocol/assert.js';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean'
    || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new AssertionFailure(`canonical JSON: ` +
      `non-integer number ${value}`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Map) {
    const keys = [...value.keys()].map(String).sort();
    return `{${keys.map((k) =>
      `${JSON.stringify(k)}:${canonicalJson(value.get(k) ?? value.get(Number(k)))}`).join(',')}}`;
  }
  if (value instanceof Set) return canonicalJson([...value].map((v) => canonicalJson(v)).sort());
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  throw new AssertionFailure(`canonical JSON: cannot serialize ${typeof value}`);
}
