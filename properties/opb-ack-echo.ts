/**
 * P2.4 #5's re-send rule: an ACK that does not advance draws at most one tail re-send per T_hb
 * per index. A primary takes an ACK that does not advance for a lost or overtaken update and
 * re-sends the backup's tail from there; but a backup answers every update with its ACK, a
 * re-sent or duplicated one too, and that ACK does not advance either. Re-sending on each such
 * echo started one Upd/ACK ping-pong per duplicated message for as long as writes were in
 * flight: explore trial 1110293 of opb-join-from-heartbeat (7-9 % duplication for a second) ran
 * 1.2 M Upd and Ack messages in 4 simulated seconds against ~4 k events for the scenario, every
 * other check green. This check bounds that loop.
 *
 * Statement: when primary P, in the step that handled an ACK of index i from backup B that does
 * not advance (the ACK of that service and epoch E that B sent P, delivered just before it, had
 * an index at or above i, of an entry written in E: P wrote it, so P took that ACK for one on
 * its log), sends B an update from i (`prev=i`, carrying entries: a re-send of B's tail), it
 * must not have sent B such a re-send from i or above, at that epoch, less than `hbUs` before
 * (both times are the steps' times; B held that much, so a lower ACK after it is a late one).
 * Nine copies of one ACK draw one re-send, not nine.
 *
 * Evidence: the simulator's message record (the ACKs delivered to P and when, with their step
 * numbers; the updates P sent B from a step at the ACK's arrival time), never P's own account
 * of what it acknowledged or re-sent. Not judged: runs without a message record or with the
 * cost model (handled-messages.ts); an ACK after a state transfer from P to B (it forgets what
 * B acknowledged), or after a crash, restart, pause or corruption of P or B since the earlier
 * ACK or re-send; and any step of P once its clock was skewed (a rate skew stretches T_hb on
 * its clock).
 */
import type { MessageFact, RunRecord } from '../simulator/run-record.js';
import { handledMessages } from './handled-messages.js';
import { judgedVerdict, type Property } from './types.js';
import { pushTo, stepOf } from './run-values.js';

const ACK = /^Ack s(\d+) e=(\S+) i=(\d+)@(\S+)$/;
const UPD = /^Upd s(\d+) (\S+)@(\S+) .* prev=(\d+)@\S+ n=(\d+)/;

interface Seen { readonly idx: number; readonly at: number; readonly ours?: boolean }

export function ackEchoProblems(run: RunRecord): { problems: string[]; judged: number } | string {
  const messages = handledMessages(run);
  if (typeof messages === 'string') return messages;
  const hbUs = Number(run.params['hbUs']);
  if (!Number.isFinite(hbUs)) return 'no hbUs parameter';
  // Entries a primary executed, with the number of the step that did it, by instant: an update
  // carrying an entry executed after the ACK's step (same instant) is that write's replication,
  // not the ACK's re-send (explore trial 1462014 of opb-notice-step-down: n5 handled n9's
  // repeated ACK of 128 at its tip, then, at the same instant, executed c1#123 as entry 129
  // and sent it on; that update was taken for the ACK's re-send).
  const executed = new Map<string, number>();
  for (const o of run.observations) {
    if (o.label !== 'opb.exec' || o.step === undefined) continue;
    const d = o.data as { service?: number; index?: number };
    executed.set(`${o.node} s${d.service} ${d.index} @${o.stepAt ?? o.at}`, o.step);
  }
  // Re-sends: updates carrying entries, by sender, receiver, service, epoch, index and time.
  const upds = new Set<string>();
  /** State transfers by sender and receiver: when they were sent. */
  const xfers = new Map<string, number[]>();
  for (const m of messages) {
    if (m.label.startsWith('Xfer ')) {
      pushTo(xfers, `${m.from}>${m.to}`, stepOf(m));
      continue;
    }
    const u = UPD.exec(m.label);
    if (u === null || u[2] !== m.from || Number(u[5]) === 0) continue;
    upds.add(`${m.from}>${m.to} s${u[1]!} ${u[3]!} ${u[4]!} @${stepOf(m)}`);
  }
  const events = run.nodeEvents.filter((e) => e.kind !== 'writes-lost' && e.kind !== 'skewed');
  const skewed = new Map<string, number>();
  for (const e of run.nodeEvents) {
    if (e.kind === 'skewed' && !skewed.has(e.node)) skewed.set(e.node, e.at);
  }
  /** Nothing reset what P knows of B between `from` and `to` (both included). */
  const quiet = (p: string, b: string, from: number, to: number): boolean =>
    !events.some((e) => e.at >= from && e.at <= to && (e.node === p || e.node === b))
    && !(xfers.get(`${p}>${b}`) ?? []).some((t) => t >= from && t <= to);
  const acks: MessageFact[] = messages.filter((m) => m.drop === null && m.step !== undefined
    && m.label.startsWith('Ack '));
  acks.sort((a, b) => a.at - b.at || a.step! - b.step!);
  /** Per primary, backup, service and epoch: the last ACK delivered, and the last re-sends. */
  const last = new Map<string, Seen>();
  const resent = new Map<string, Seen[]>();
  const problems: string[] = [];
  let judged = 0;
  for (const a of acks) {
    const hit = ACK.exec(a.label);
    if (hit === null) continue;
    const [svc, epoch, idx, t] = [hit[1]!, hit[2]!, Number(hit[3]), a.at];
    const key = `${a.to}>${a.from} s${svc} ${epoch}`;
    const before = last.get(key);
    last.set(key, { idx, at: t, ours: hit[4] === epoch });
    if (before === undefined || before.ours !== true || before.idx < idx) continue;
    if (!quiet(a.to, a.from, before.at, t)) continue;
    if ((skewed.get(a.to) ?? Infinity) <= t) continue;
    const fresh = executed.get(`${a.to} s${svc} ${idx + 1} @${t}`);
    if (fresh !== undefined && fresh > a.step!) continue;
    // One re-send answers one ACK: a copy of the ACK delivered at the same instant finds it
    // taken (two facts of one update the network duplicated are one send, too).
    if (!upds.delete(`${a.to}>${a.from} s${svc} ${epoch} ${idx} @${t}`)) continue;
    // A re-send from idx, drawn by an ACK that does not advance.
    judged++;
    const recent = (resent.get(key) ?? []).filter((r) => t - r.at < hbUs);
    resent.set(key, [...recent, { idx, at: t }]);
    const prior = recent.find((r) => r.idx >= idx && quiet(a.to, a.from, r.at, t));
    if (prior === undefined || problems.length >= 5) continue;
    problems.push(`s${svc}: primary ${a.to} re-sent ${a.from}'s tail from ${idx} at t=${t}us ` +
      `for ACK e=${epoch} i=${idx} (delivered before: i=${before.idx} at t=${before.at}us), ` +
      `${t - prior.at}us after re-sending it from ${prior.idx} at t=${prior.at}us (under T_hb = ` +
      `${hbUs}us): each echo of a re-send drew another re-send`);
  }
  return { problems, judged };
}

export const opbAckEcho: Property = {
  name: 'opb-ack-echo',
  description: 'P2.4 #5: an ACK that does not advance draws at most one tail re-send per T_hb ' +
    'per index (an Upd/ACK ping-pong otherwise; message record)',
  protocols: ['opb'],
  check(run: RunRecord) {
    return judgedVerdict(this.name, ackEchoProblems(run),
      'no primary re-sent a tail for an ACK that did not advance',
      (judged) => `${judged} tail re-sends for ACKs that did not advance, none repeating ` +
        'one at that index less than T_hb before');
  },
};
