/**
 * C6 (P2.7) and a holder's copy that went at its recovery. P2.7 excuses a lost acknowledged
 * write once "a crash of the primary and all w acknowledging backups occurred"; C6 counts a
 * copy as gone only when it is: with its disk (an ACK is durable), the primary's also with its
 * write still in flight. A holder whose copy survived its crash on disk may still lose it the
 * way P2.5 says a recovered replica rejoins: it takes the current primary's state, or leaves if
 * that primary's repair replaced it meanwhile. Under `discard` either drops what the primary
 * lacks (reported only). It is that crash's doing, not the protocol's, only when the primary
 * could not have weighed the holder's copy: it claimed after the holder crashed and heard
 * nothing of the service from it between its restart and the claim (else the freshest-history
 * rule, tick.ts `determine`, would have deferred to it). Explore trial 1672319 of
 * opb-handback-lost-ack (k = 2, w = 1, discard), shrunk: n5 answered c0's put (index 1 of 1.n5,
 * acked by n1) and crashed at 0.237 s keeping its disk; n1 crashed at 0.5 s and came back
 * without its disk at 0.8 s; alone, it claimed 801.n1 at 1.3 s, 7 ms after n5's restart and
 * 7.8 ms before n5's first heartbeat reached it; n5 followed it and installed its empty state
 * (a notice for c0, which never asked again). Its second shrink: n5 crashed at 1.077 s, n1
 * claimed at 1.25 s and its repair replaced n5 by n6; n5, back at 2.043 s, left for that
 * membership and handed its log over, reported only.
 */
import type { OpbObserved, World } from './opb-world.js';
import { stepTime, type Moment } from './run-values.js';

/**
 * The step by which holder `x` dropped the write on recovering from a crash after the answer
 * `acked`, as above: its first install of a primary's state once back (before any later crash),
 * or a leave for a primary whose membership no longer names it (a repair replaced it while it was
 * down), handing its log over; and whether that primary had heard from `x` (a Hb or an ACK of the
 * service sent since its restart) by its claim: undefined when the run kept no message record to
 * tell. Only under `discard` (under `merge` both re-submit: installedThenLost, leftThenLost).
 * The caller still checks who held the write after it.
 */
export function recoveryDrop(
  world: World, x: string, acked: OpbObserved<'opb.acked'>, policy: 'merge' | 'discard',
): { readonly drop: Moment & { readonly node: string }; readonly heard: boolean | undefined }
  | undefined {
  if (policy !== 'discard') return undefined;
  const svc = acked.data.service;
  const crashes = (world.down.get(x) ?? []).filter(([a]) => a >= acked.at);
  for (let i = 0; i < crashes.length; i++) {
    const [crash, back] = crashes[i]!;
    const next = crashes[i + 1]?.[0] ?? Infinity;
    const within = (o: Moment & { node: string; data: { service: number } }): boolean =>
      o.node === x && o.data.service === svc && stepTime(o) >= back && stepTime(o) < next;
    const install = world.obs('opb.install').find(within);
    const leave = world.obs('opb.leave').find(within);
    if (install === undefined && leave === undefined) continue;
    let drop: Moment & { readonly node: string };
    let to: string;
    if (install !== undefined && (leave === undefined || install.seq < leave.seq)) {
      if (install.data.resubmitted || install.data.orphans === 0) return undefined;
      drop = install;
      to = install.data.from;
    } else {
      // The leave's hand-over, reported in its step: under `discard`, the log is only reported.
      const l = leave!;
      const handover = world.obs('opb.handover').find((o) => o.node === x
        && o.data.service === svc && o.at === l.at && o.step === l.step);
      if (handover === undefined || handover.data.requests === 0) return undefined;
      drop = l;
      to = handover.data.to;
    }
    let claim: OpbObserved<'opb.role'> | undefined;
    for (const o of world.obs('opb.role')) {
      if (o.seq > drop.seq) break;
      if (o.node === to && o.data.service === svc && o.data.role === 'primary') claim = o;
    }
    // A claim from before the crash, with `x` up, is two primaries at once: C6's fork, not this.
    if (claim === undefined || stepTime(claim) < crash) return undefined;
    const messages = world.run.messages;
    if (messages === undefined) return { drop, heard: undefined };
    const t = stepTime(claim);
    const step = claim.step;
    // Handled by the claim's step: at its instant too, unless the step order puts it after.
    const heard = messages.some((m) => m.from === x && m.to === to && m.drop === null
      && m.sent >= back && (m.label.startsWith(`Hb s${svc} `) || m.label.startsWith(`Ack s${svc} `))
      && (m.at < t
        || (m.at === t && !(m.step !== undefined && step !== undefined && m.step > step))));
    return { drop, heard };
  }
  return undefined;
}
