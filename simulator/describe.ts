/** Fixed-format text for the trace: one function per kind of thing, no free-form logging. */
import type { ReplyOutcome } from '../protocol/types.js';
import { canonicalJson } from './canonical.js';
import type { FaultEvent } from './config.js';

export function describeOutcome(outcome: ReplyOutcome): string {
  switch (outcome.type) {
    case 'done': {
      const { ok, value } = outcome.result;
      return `${ok ? 'ok' : 'failed'}${value === undefined ? '' : ` v=${JSON.stringify(value)}`}`;
    }
    case 'redirect':
      return `redirect${outcome.leader === undefined ? '' : ` leader=${outcome.leader}`}` +
        `${outcome.members === undefined ? '' : ` members=${outcome.members.join(',')}`}`;
    case 'reject':
      return `reject ${outcome.reason}`;
  }
}

export function describeFault(fault: FaultEvent): string {
  const { at: _at, kind, ...rest } = fault;
  return `fault ${kind} ${canonicalJson(rest)}`;
}
