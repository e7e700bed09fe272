/**
 * A message record grouped by link and by receiver, each group in the record's order. Checks
 * that ask, per move or per crash, for one link's messages used to filter the whole record each
 * time: `opb-move-abort` scanned all 31 k messages of opb-diurnal-four some ten times per judged
 * move (≈ 200 ms a run). Built once per record array (the same array, the same groups).
 */
import type { MessageFact } from '../simulator/run-record.js';
import { onceEach } from './memo.js';
import { pushTo } from './run-values.js';

export interface MessageLinks {
  /** `from`'s messages to `to`. */
  between(from: string, to: string): readonly MessageFact[];
  /** Every message to `to`. */
  into(to: string): readonly MessageFact[];
}

const NONE: readonly MessageFact[] = [];

export const messageLinks: (messages: readonly MessageFact[]) => MessageLinks =
  onceEach((messages: readonly MessageFact[]): MessageLinks => {
    const links = new Map<string, Map<string, MessageFact[]>>();
    const inbox = new Map<string, MessageFact[]>();
    for (const m of messages) {
      let from = links.get(m.to);
      if (from === undefined) links.set(m.to, from = new Map());
      pushTo(from, m.from, m);
      pushTo(inbox, m.to, m);
    }
    return {
      between: (from, to) => links.get(to)?.get(from) ?? NONE,
      into: (to) => inbox.get(to) ?? NONE,
    };
  });
