/**
 * The shape of a reply's outcome, checked when a protocol emits it: the types promise it to
 * TypeScript callers, but a protocol written in JavaScript (or a bug that builds the object
 * wrongly) could hand clients something no client understands, which they would silently ignore
 * and retry forever. The effect interpreter reports such a reply as the protocol's assertion.
 */
import type { ReplyOutcome } from '../protocol/types.js';

const isNodeList = (v: unknown): boolean =>
  Array.isArray(v) && v.every((n) => typeof n === 'string');

/** Why `outcome` is not a reply outcome, or null when it is one. */
export function outcomeProblem(outcome: ReplyOutcome): string | null {
  const o = outcome as unknown as Record<string, unknown> | null;
  if (typeof o !== 'object' || o === null) return 'the outcome is not an object';
  switch (o['type']) {
    case 'done': {
      const result = o['result'] as Record<string, unknown> | undefined;
      if (typeof result !== 'object' || result === null || typeof result['ok'] !== 'boolean') {
        return 'a done outcome needs a result with ok true or false';
      }
      if (result['value'] !== undefined && typeof result['value'] !== 'string') {
        return 'a done outcome\'s value, when given, is a string';
      }
      const discarded = o['discarded'];
      if (discarded !== undefined
        && !(Array.isArray(discarded) && discarded.every((s) => Number.isInteger(s)))) {
        return 'a done outcome\'s discarded, when given, lists request numbers';
      }
      return null;
    }
    case 'redirect':
      if (o['leader'] !== undefined && typeof o['leader'] !== 'string') {
        return 'a redirect\'s leader, when given, is a node name';
      }
      if (o['members'] !== undefined && !isNodeList(o['members'])) {
        return 'a redirect\'s members, when given, list node names';
      }
      if (o['config'] !== undefined && !Number.isInteger(o['config'])) {
        return 'a redirect\'s config, when given, is an integer';
      }
      return null;
    case 'reject':
      return typeof o['reason'] === 'string' ? null : 'a reject needs a reason';
    default:
      return `unknown outcome type ${JSON.stringify(o['type'])} (done, redirect or reject)`;
  }
}
