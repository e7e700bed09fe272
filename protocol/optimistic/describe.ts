/** Fixed-format trace lines for OPB messages. */
import { describeOp } from '../kv.js';
import { epochText } from './epoch.js';
import { lastIndex } from './data.js';
import type { Claim, Msg } from './types.js';

const claimText = (c: Claim): string =>
  `${c.node}@${epochText(c.epoch)} m${c.mver}[${c.members.join(',')}]`;

export function describeMsg(m: Msg): string {
  switch (m.t) {
    case 'hb':
      return `Hb s${m.svc} ${m.role} p=${m.primary ?? '-'} e=${epochText(m.epoch)}` +
        ` m${m.mver}[${m.members.join(',')}]` +
        ` i=${m.idx}@${epochText(m.lastE)} age=${m.pAgeUs}`;
    case 'upd':
      return `Upd s${m.svc} ${claimText(m.claim)} prev=${m.prevI}@${epochText(m.prevE)}` +
        ` n=${m.entries.length}` +
        `${m.entries[0] === undefined ? '' : ` first=${m.entries[0].i}`} stable=${m.stable}`;
    case 'ack':
      return `Ack s${m.svc} e=${epochText(m.epoch)} i=${m.idx}@${epochText(m.lastE)}`;
    case 'xfer':
      return `Xfer s${m.svc} ${claimText(m.claim)} i=${lastIndex(m.data)} base=${m.data.base}`;
    case 'claim':
      return `Claim s${m.svc} ${claimText(m.claim)}`;
    case 'resubmit':
      return `${m.discard ? 'Discarded' : 'Resubmit'} s${m.svc} e=${epochText(m.epoch)}` +
        ` n=${m.reqs.length}`;
    case 'fwd':
      return `Fwd s${m.svc} ${m.req.client}#${m.req.seq} ${describeOp(m.req.op)} hops=${m.hops}`;
    case 'join':
      return `Join s${m.svc} ${claimText(m.claim)}`;
    case 'joinAck':
      return `JoinAck s${m.svc} ok=${m.ok}`;
    case 'handoff':
      return `Handoff s${m.svc} ${claimText(m.claim)}`;
    case 'gossip':
      return `Gossip load=${m.load} on=${m.on} hosted=${m.hosted}` +
        ` claims=${m.claims.map((c) => `s${c.svc}:${claimText(c)}`).join(',')}`;
    case 'wake':
      return 'Wake';
  }
}
