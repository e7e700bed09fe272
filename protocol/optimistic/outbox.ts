/**
 * Orphans on their way to a winner (P2.5). A replica that installs over (or leaves with) entries
 * the winner lacks hands their requests over in a RESUBMIT; `merge` promises to re-execute every
 * orphan and `discard` to tell their clients, so one lost message must not lose them (explore
 * seed 1667: a loser left its group and re-submitted once, over the cut direction of a one-way
 * partition). The node keeps them, per service, until a primary of that service confirms, and
 * re-sends them every heartbeat to the primary it knows best. The winner's dedup absorbs copies.
 */
import type { ClientRequest, NodeId } from '../types.js';
import { send } from './effects.js';
import { withNotices } from './primary.js';
import type { Msg, Out, Pending, State } from './types.js';
import { stateWith } from './records.js';

type Resubmit = Extract<Msg, { t: 'resubmit' }>;

/** Requests in order, each (client, seq) once. */
function union(a: readonly ClientRequest[], b: readonly ClientRequest[]): ClientRequest[] {
  const seen = new Set(a.map((r) => `${r.client}#${r.seq}`));
  return [...a, ...b.filter((r) => !seen.has(`${r.client}#${r.seq}`))];
}

function message(svc: number, p: Pending): Resubmit {
  const m: Resubmit = {
    t: 'resubmit', svc, epoch: p.epoch, reqs: p.reqs, discard: p.discard, id: p.id,
  };
  return p.notices === undefined ? m : { ...m, notices: p.notices };
}

/**
 * Takes a replica step's effects into `out`, keeping every RESUBMIT in the outbox: one message
 * per service carries all its pending orphans, tagged with this step's time (the confirmation
 * names it, so an older confirmation never clears orphans added since).
 */
export function keepOrphans(s: State, effects: Out, out: Out): State {
  let outbox: Map<number, Pending> | null = null;
  const order: number[] = [];
  for (const e of effects) {
    if (e.kind !== 'send' || e.msg.t !== 'resubmit') {
      out.push(e);
      continue;
    }
    const m = e.msg;
    outbox ??= new Map(s.outbox);
    const old = outbox.get(m.svc);
    const notices = old?.notices === undefined ? m.notices
      : m.notices === undefined ? old.notices : withNotices(old.notices, m.notices);
    const p: Pending = { to: e.to, epoch: m.epoch, discard: m.discard, id: s.now,
      reqs: old === undefined ? m.reqs : union(old.reqs, m.reqs) };
    outbox.set(m.svc, notices === undefined ? p : { ...p, notices });
    if (!order.includes(m.svc)) order.push(m.svc);
  }
  if (outbox === null) return s;
  for (const svc of order) {
    const p = outbox.get(svc)!;
    out.push(send(p.to, message(svc, p)));
  }
  return stateWith(s, { outbox });
}

/**
 * The primary of `svc` as this node knows it, else the winner the orphans went to. A holder that
 * is now the primary itself re-executes them (P2.5: `merge` re-submits every orphan), so it
 * sends them to itself: re-sending to the old winner, back as a backup, would never be confirmed
 * (a crafted run: 47 acked writes lost under `merge`; mutant #2271 of the v5 sample was the fix).
 */
function target(s: State, svc: number, p: Pending): NodeId {
  const rep = s.reps.get(svc);
  if (rep !== undefined && rep.primary === s.id) return s.id;
  if (rep !== undefined && rep.primary !== null) return rep.primary;
  const d = s.dir.get(svc);
  if (d !== undefined && d.primary !== null && d.primary !== s.id) return d.primary;
  return p.to;
}

/** Every heartbeat: the orphans not yet confirmed go again. */
export function resendOrphans(s: State, out: Out): State {
  if (s.outbox.size === 0 || !s.agent.on) return s;
  const outbox = new Map(s.outbox);
  for (const svc of [...outbox.keys()].sort((a, b) => a - b)) {
    const p = outbox.get(svc)!;
    const to = target(s, svc, p);
    if (to !== p.to) outbox.set(svc, { ...p, to });
    out.push(send(to, message(svc, outbox.get(svc)!)));
  }
  return stateWith(s, { outbox });
}

/** A primary confirmed the orphans sent at `id`: done, unless more were added since. */
export function orphansConfirmed(s: State, svc: number, id: number): State {
  const p = s.outbox.get(svc);
  if (p === undefined || p.id !== id || s.mutant === 'keep-outbox') return s;
  const outbox = new Map(s.outbox);
  outbox.delete(svc);
  return stateWith(s, { outbox });
}
