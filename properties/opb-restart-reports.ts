/**
 * The report contract of the generic `state` / `retired` facts (properties/convergence.ts keeps
 * each node's last `state` per group until it reports `retired`, "when a replica leaves its
 * group"), across a restart. A restart rebuilds the node's replicas from its disk (or, from an
 * empty disk, its initial placement's replicas, empty): one it reported before may be gone with
 * no LEAVE (a replica its repair JOIN added, then the disk was lost). So at each boot (the
 * simulator's `up` fact, not the node's tally), every service whose last report from that node
 * was a `state` must be reported again at the boot: its `state` if the node booted with that
 * replica (from the heartbeat armed for the boot instant: its step within T_hb), its `retired`
 * if not (from the boot's own step). Otherwise the lost replica's old
 * digest stays in every comparison of last reports, however long the node runs without it.
 * Found by mutation (Stryker #2125 of the seed-52 sample: the restart's `retired` never
 * reported; no OPB check read the fact, C2 compares the heartbeats' digests instead).
 * A boot's report that a crash of that same life dropped (its step listed it after a write the
 * crash lost: `writes-lost`, properties/dropped.ts) was made in time, so it counts: the node
 * never ran on without reporting, and the next boot owes the report again, as the old `state`
 * is still the last one recorded (explore trial 1740772 of opb-lone-replica-restart: the boot
 * heartbeat's re-claim waited on a slow disk, and a restart 29.6 ms later lost it). A life that
 * a crash ends within T_hb of its boot, before any report, owes none: its deadline never came.
 */
import type { Observation, RunRecord } from '../simulator/run-record.js';
import { droppedRecord } from './dropped.js';
import { readCommon } from './observed.js';
import { numberParam, stepTime } from './run-values.js';
import { verdictOf, type Property } from './types.js';

const groupOf = (o: Observation): string =>
  (o.data as { readonly group?: string } | null)?.group ?? '';

/** Per node and group: its `state` and `retired` reports, in trace (seq) order. */
function reportsByNode(run: RunRecord): Map<string, Map<string, Observation[]>> {
  const byNode = new Map<string, Map<string, Observation[]>>();
  const reports = [...readCommon(run, 'state'), ...readCommon(run, 'retired')]
    .sort((a, b) => a.seq - b.seq);
  for (const o of reports) {
    let groups = byNode.get(o.node);
    if (groups === undefined) byNode.set(o.node, groups = new Map());
    const g = groupOf(o);
    const list = groups.get(g);
    if (list === undefined) groups.set(g, [o]);
    else list.push(o);
  }
  return byNode;
}

/** Per boot, each service left reported as hosted and not reported again at the boot. */
export function unreportedAtBoot(run: RunRecord): string[] {
  const boots = run.nodeEvents.filter((e) => e.kind === 'up');
  if (boots.length === 0) return [];
  const byNode = reportsByNode(run);
  // The same for reports a crash dropped with a lost write (`at`: their step; `seq`: the crash).
  const dropped = reportsByNode(droppedRecord(run));
  const hbUs = numberParam(run, 'hbUs', 50_000);
  const problems: string[] = [];
  for (const boot of boots) {
    // The crash that ended this life came before the node's next boot.
    const nextBoot = boots.find((e) => e.node === boot.node && e.seq > boot.seq);
    for (const [group, list] of byNode.get(boot.node) ?? []) {
      const before = list.filter((o) => o.seq < boot.seq).pop();
      if (before === undefined || before.label !== 'state') continue;
      const after = list.find((o) => o.seq > boot.seq);
      // The `retired` comes from the boot's own step; the `state` from its first heartbeat,
      // armed for the boot instant: a step that may wait for a busy CPU (cost model) and whose
      // fact may wait behind a disk write, so it counts by when its step ran, within T_hb.
      if (after !== undefined && stepTime(after) <= boot.at + hbUs) continue;
      // Or its report was made in time and dropped by the crash that ended this life.
      const lost = dropped.get(boot.node)?.get(group)?.find((o) => o.seq > boot.seq
        && (nextBoot === undefined || o.seq < nextBoot.seq));
      if (lost !== undefined && lost.at <= boot.at + hbUs) continue;
      // Or the life ended before its report was due: a crash within T_hb of the boot (at its
      // very instant in explore trial 1880230 of opb-notice-handed-late-read, before the boot
      // heartbeat's step ran). The next boot owes the report again (the old `state` is still
      // the last one recorded).
      const down = run.nodeEvents.find((e) => e.node === boot.node && e.kind === 'down'
        && e.seq > boot.seq && (nextBoot === undefined || e.seq < nextBoot.seq));
      if (down !== undefined && down.at < boot.at + hbUs
        && (after === undefined || after.seq > down.seq)) {
        continue;
      }
      const next = after === undefined ? 'never reported it again'
        : `reported it next at t=${after.at}us (${after.label})`;
      problems.push(`${boot.node} booted at t=${boot.at}us` +
        `${boot.emptyDisk === true ? ' from an empty disk' : ''}, last reported state of ` +
        `${group || 'its group'} at t=${before.at}us, and ${next}: neither its state nor ` +
        'retired at the boot');
    }
  }
  return problems;
}

export const opbRestartReports: Property = {
  name: 'opb-restart-reports',
  description: 'a restarted node reports again, at its boot, every service it reported state ' +
    'for: its state, or retired if it booted without that replica',
  protocols: ['opb'],
  check(run: RunRecord) {
    const restarts = run.nodeEvents.filter((e) => e.kind === 'up' && e.at > 0).length;
    if (restarts === 0) {
      return { property: this.name, status: 'skip', message: 'no node restarted' };
    }
    return verdictOf(this.name, unreportedAtBoot(run), { restarts },
      `${restarts} restart(s) reported every service reported before`);
  },
};
