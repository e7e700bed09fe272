/**
 * SMART P1.2/P1.6: a machine's replicas are configuration-specific and a destroyed one is never
 * made again (`d` only grows), so a machine that reports `retired` (it hosts no replica) has
 * ended every replica it had. Judged from what its replicas did, not from its own tally: a
 * machine that acted in configuration c (logged, proposed, campaigned or led there) both before
 * and after it reported `retired` still hosted c's replica at that moment, so the report is
 * false. Found by mutation (#5347: `retired` reported at every defunct configuration, even with
 * a newer configuration's replica left; convergence then stopped comparing that replica).
 * A machine that first joins a newer configuration after retiring is not judged: that is a new
 * replica.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { readCommon } from './observed.js';
import { bySeq } from './smart-evidence.js';
import {
  elections, fail, leaderships, loggings, pass, proposals, skip,
} from './smart-observations.js';
import type { Property } from './types.js';

interface Act { readonly seq: number; readonly at: number; readonly node: string;
  readonly data: { readonly config: number } }

/** The first machine found acting in one configuration across its own `retired`, or null. */
export function hostedWhenRetired(run: RunRecord): string | null {
  const retired = bySeq(readCommon(run, 'retired'));
  if (retired.length === 0) return null;
  const byNode = new Set(retired.map((o) => o.node));
  // Per machine and configuration: the first and the last act, in trace order. Nested maps,
  // not a text key per fact: a run has tens of thousands of `logged` facts.
  const spans = new Map<string, Map<number, { first: Act; last: Act }>>();
  const note = (acts: readonly Act[]): void => {
    for (let ix = 0; ix < acts.length; ix++) {
      const a = acts[ix]!;
      if (!byNode.has(a.node)) continue;
      let ofNode = spans.get(a.node);
      if (ofNode === undefined) spans.set(a.node, ofNode = new Map());
      const s = ofNode.get(a.data.config);
      if (s === undefined) ofNode.set(a.data.config, { first: a, last: a });
      else {
        if (a.seq < s.first.seq) s.first = a;
        if (a.seq > s.last.seq) s.last = a;
      }
    }
  };
  note(loggings(run));
  note(proposals(run));
  note(elections(run));
  note(leaderships(run));
  for (const node of [...spans.keys()].sort()) {
    const ofNode = spans.get(node)!;
    for (const config of [...ofNode.keys()].sort((a, b) => a - b)) {
      const { first, last } = ofNode.get(config)!;
      const r = retired.find((o) => o.node === node && o.seq > first.seq && o.seq < last.seq);
      if (r === undefined) continue;
      return `${node} reported retired at t=${r.at}us but its replica of configuration ` +
        `${config} acted before (t=${first.at}us) and after (t=${last.at}us): it still ` +
        'hosted that replica';
    }
  }
  return null;
}

export const smartRetired: Property = {
  name: 'smart-retired',
  description: 'a machine that reports retired hosts no replica: none of its replicas acts ' +
    'both before and after the report (P1.6 termination)',
  protocols: ['smart'],
  check(run) {
    if (readCommon(run, 'retired').length === 0) return skip(this.name, 'no machine retired');
    const found = hostedWhenRetired(run);
    if (found !== null) return fail(this.name, found);
    return pass(this.name, 'no retired machine acted in a configuration it hosted before');
  },
};
