/** Fixed-format trace lines for OPB messages. */
import { describeOp, encodeOp } from '../kv.js';
import type { TraceSink } from '../types.js';
import { epochText, genOf } from './epoch.js';
import { lastIndex } from './data.js';
import type { Claim, Epoch, Msg } from './types.js';

const claimText = (c: Claim): string =>
  `${c.node}@${epochText(c.epoch)} m${c.mver}[${c.members.join(',')}]`;

export function describeMsg(m: Msg): string {
  switch (m.t) {
    case 'hb':
      return `Hb s${m.svc} ${m.role} p=${m.primary ?? '-'} e=${epochText(m.epoch)}` +
        ` m${m.mver}[${m.members.join(',')}]` +
        ` i=${m.idx}@${epochText(m.lastE)} age=${m.pAgeUs}` +
        `${m.stable < 0 ? '' : ` stable=${m.stable}`}`;
    case 'upd':
      return `Upd s${m.svc} ${claimText(m.claim)} prev=${m.prevI}@${epochText(m.prevE)}` +
        ` n=${m.entries.length}` +
        `${m.entries[0] === undefined ? '' : ` first=${m.entries[0].i}`} stable=${m.stable}`;
    case 'ack':
      return `Ack s${m.svc} e=${epochText(m.epoch)} i=${m.idx}@${epochText(m.lastE)}`;
    case 'xfer':
      return `Xfer s${m.svc} ${claimText(m.claim)} i=${lastIndex(m.data)} base=${m.data.base}`;
    case 'claim':
      return `Claim s${m.svc} ${claimText(m.claim)} age=${m.ageUs}`;
    case 'resubmit':
      return `${m.discard ? 'Discarded' : 'Resubmit'} s${m.svc} e=${epochText(m.epoch)}` +
        ` n=${m.reqs.length} id=${m.id}` +
        // The requests themselves: opb-orphans judges each one from the message record.
        ` reqs=${m.reqs.map((r) => `${r.client}#${r.seq}`).join(',')}`;
    case 'resubmitted':
      return `Resubmitted s${m.svc} id=${m.id}`;
    case 'synced':
      return `Synced s${m.svc} e=${epochText(m.epoch)}`;
    case 'fwd':
      return `Fwd s${m.svc} ${m.req.client}#${m.req.seq} ${describeOp(m.req.op)} hops=${m.hops}`;
    case 'join':
      return `Join s${m.svc} ${claimText(m.claim)}`;
    case 'joinAck':
      return `JoinAck s${m.svc} ok=${m.ok}`;
    case 'handoff':
      return `Handoff s${m.svc} ${claimText(m.claim)}` +
        `${m.tip === null ? '' : ` tip=${m.tip.i}@${epochText(m.tip.e)}`}`;
    case 'gossip':
      return `Gossip load=${m.load} on=${m.on} hosted=${m.hosted}` +
        ` claims=${m.claims.map((c) => `s${c.svc}:${claimText(c)}`).join(',')}`;
    case 'wake':
      return 'Wake';
  }
}

function encodeEpoch(e: Epoch | null, out: TraceSink): void {
  if (e === null) return out.int(-1);
  out.int(genOf(e));
  out.int(e.c);
  out.str(e.n);
}

function encodeMembers(members: readonly string[], out: TraceSink): void {
  out.int(members.length);
  for (const m of members) out.str(m);
}

function encodeClaim(c: Claim, out: TraceSink): void {
  out.str(c.node);
  encodeEpoch(c.epoch, out);
  out.int(c.mver);
  encodeMembers(c.members, out);
}

/** What describeMsg shows, as trace-hash tokens (Protocol.encodeMessage). */
export function encodeMsg(m: Msg, out: TraceSink): void {
  out.str(m.t);
  switch (m.t) {
    case 'hb':
      out.int(m.svc);
      out.str(m.role);
      out.str(m.primary ?? '-');
      encodeEpoch(m.epoch, out);
      out.int(m.mver);
      encodeMembers(m.members, out);
      out.int(m.idx);
      encodeEpoch(m.lastE, out);
      out.int(m.pAgeUs);
      return out.int(m.stable);
    case 'upd':
      out.int(m.svc);
      encodeClaim(m.claim, out);
      out.int(m.prevI);
      encodeEpoch(m.prevE, out);
      out.int(m.entries.length);
      out.int(m.entries[0] === undefined ? -1 : m.entries[0].i);
      return out.int(m.stable);
    case 'ack':
      out.int(m.svc);
      encodeEpoch(m.epoch, out);
      out.int(m.idx);
      return encodeEpoch(m.lastE, out);
    case 'xfer':
      out.int(m.svc);
      encodeClaim(m.claim, out);
      out.int(lastIndex(m.data));
      return out.int(m.data.base);
    case 'claim':
      out.int(m.svc);
      encodeClaim(m.claim, out);
      return out.int(m.ageUs);
    case 'join':
      out.int(m.svc);
      return encodeClaim(m.claim, out);
    case 'handoff':
      out.int(m.svc);
      encodeClaim(m.claim, out);
      out.int(m.tip === null ? -1 : m.tip.i);
      return encodeEpoch(m.tip === null ? null : m.tip.e, out);
    case 'resubmit':
      out.int(m.discard ? 1 : 0);
      out.int(m.svc);
      encodeEpoch(m.epoch, out);
      out.int(m.reqs.length);
      return out.int(m.id);
    case 'resubmitted':
      out.int(m.svc);
      return out.int(m.id);
    case 'synced':
      out.int(m.svc);
      return encodeEpoch(m.epoch, out);
    case 'fwd':
      out.int(m.svc);
      out.str(m.req.client);
      out.int(m.req.seq);
      encodeOp(m.req.op, out);
      return out.int(m.hops);
    case 'joinAck':
      out.int(m.svc);
      return out.int(m.ok ? 1 : 0);
    case 'gossip':
      out.int(m.load);
      out.int(m.on ? 1 : 0);
      out.int(m.hosted);
      out.int(m.claims.length);
      for (const c of m.claims) {
        out.int(c.svc);
        encodeClaim(c, out);
      }
      return;
    case 'wake':
      return;
  }
}
