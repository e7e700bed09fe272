/** Fixed-format text for the trace: one function per kind of thing, no free-form logging. */
import { describeOp } from '../protocol/kv.js';
import type { ReplyOutcome } from '../protocol/types.js';
import { canonicalJson } from './canonical.js';
import type { FaultEvent } from './config.js';
import type { OperatorRequestEvent, ReplyEvent, RequestEvent } from './sim-events.js';

export function describeOutcome(outcome: ReplyOutcome): string {
  switch (outcome.type) {
    case 'done': {
      const { ok, value } = outcome.result;
      return `${ok ? 'ok' : 'failed'}${value === undefined ? '' : ` v=${JSON.stringify(value)}`}`;
    }
    case 'redirect':
      return `redirect${outcome.leader === undefined ? '' : ` leader=${outcome.leader}`}` +
        `${outcome.members === undefined ? '' : ` members=${outcome.members.join(',')}`}` +
        `${outcome.config === undefined ? '' : ` cfg=${outcome.config}`}`;
    case 'reject':
      return `reject ${outcome.reason}`;
  }
}

export function describeFault(fault: FaultEvent): string {
  const { at: _at, kind, ...rest } = fault;
  return `fault ${kind} ${canonicalJson(rest)}`;
}

/** A request's label in the message diagram (a function of the event: no closure per send). */
export function describeRequest(e: RequestEvent): string {
  return `Request #${e.request.seq} ${describeOp(e.request.op)}`;
}

export function describeOperatorRequest(e: OperatorRequestEvent): string {
  return `Operator #${e.requester.seq} ${e.command.name} ${canonicalJson(e.command.args)}`;
}

export function describeReply(e: ReplyEvent): string {
  return `Reply #${e.seq} ${describeOutcome(e.outcome)}`;
}
