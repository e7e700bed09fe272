/**
 * A machine executes the decided slot that follows its execution point in the step that learns
 * it (P1.4 step 4: every EM executes decided slots strictly in order, and only a checkpoint save
 * makes it wait, step 6), however it learns it (P1.5: "a lagging or restarted replica restores
 * its last checkpoint from disk, learns missed decisions"; P1.1: a crash followed by a restart
 * is a pause). Two sides:
 * - boot: a machine that restarts from a disk whose checkpoint is K while the same disk holds
 *   slot K+1's decision in a replica's log executes slot K+1 in its boot step (an `exec` fact
 *   of K+1 at the boot instant, since the boot). Stryker #5986 of the seed-49 sample
 *   (`if (e.decided)` → `if (false)` in restoreReplica; smart:restart-forgets-decided) left
 *   those entries decided in the log but unknown to the EM, so every later DECIDED and
 *   DECIDED-RANGE for them was ignored too: the machine stayed at K until a full state copy
 *   came, and every other check held;
 * - receipt: the step that handles a DECIDED or DECIDED-RANGE carrying slot e+1, e being what the
 *   machine had executed before that step, executes slot e+1.
 *
 * Evidence, never the machine's account of what it executed or held:
 * - what it had executed before a step: its `exec` facts and its `ckpt` facts (saved or adopted)
 *   since its last boot, from steps before that one (step numbers; dropped facts of steps a
 *   crash's lost write took count too, by their step instants), and at the boot the checkpoint on
 *   its disk, the highest `ckpt` fact recorded before the boot (recorded means its write landed;
 *   a later image only holds a higher one, with its own fact);
 * - that the disk held slot K+1's decision: a `decide` fact of K+1 in configuration c in the
 *   life before the boot, and a later write of that life that landed (a recorded `logged` or
 *   `ckpt` fact, which a step lists after its write, from that step or a later one): every image
 *   from then on holds the entry, since a replica truncates its log only up to its own
 *   checkpoint (at most K on every landed image), unless the replica of c was destroyed (a
 *   `retire` of c since, or a `defunct` at or above c before the boot: not judged);
 * - the message record for the receipt side: the delivered message and the step that handled it.
 *   A DECIDED-RANGE `s=a..b n=k` carries slot a, and every slot of a..b when k = b − a + 1.
 *
 * Not judged: runs with an amnesia restart (the disk is gone), a machine from its first
 * corruption on; the receipt side without the record or with the cost model (a busy machine
 * handles a message after it arrives), for a message arriving at the instant of its receiver's
 * boot or crash, or at the instant of a step whose facts a crash dropped; and, with a checkpoint
 * time (`checkpointUs` or `checkpointNsPerByte`), a step while the machine's last save since its
 * boot may still block execution (no execution after it yet). Explore trial 1230041 of
 * smart-leader-crash (n2, its clock skewed by -50 ms from the start, handled the DECIDED of slot
 * 1 at 20.9 ms and ran it only once its clock passed 0: the EM read "no save in progress" as
 * `busyUntil` 0) was a protocol bug, fixed (busyUntil null), and is kept as a regression.
 */
import type { MessageFact, RunRecord } from '../simulator/run-record.js';
import { droppedRecord } from './dropped.js';
import { handledMessages } from './handled-messages.js';
import { countBelow, countBelowBy, numberParam, pushTo } from './run-values.js';
import { execIndex } from './smart-exec-index.js';
import {
  checkpoints, decisions, defuncts, executions, loggings, retirements, skip, stepTime,
} from './smart-observations.js';
import { verdictOf, type Property } from './types.js';

type Exec = ReturnType<typeof executions>[number];
type Ckpt = ReturnType<typeof checkpoints>[number];

/** One life of a machine: from a boot (`up`) to the next crash (`down`), by fact order. */
interface Life {
  readonly upAt: number;
  readonly upSeq: number;
  endAt: number;
  endSeq: number;
  /** The checkpoint on its disk at the boot: the highest recorded before it. */
  durable: number;
}

/** A machine's lives and its execution facts, by sequence number (record order). */
interface Machine {
  readonly node: string;
  readonly lives: Life[];
  /** Its recorded `exec` facts, and their step numbers (-1: none, in hand-made records). */
  execs: Exec[];
  execSteps: number[];
  /** Its recorded `ckpt` facts, saved or adopted. */
  ckpts: Ckpt[];
  /** Facts a crash dropped with its lost write: step instants, slots, and whether executed. */
  lost: { readonly seq: number; readonly at: number; readonly slot: number;
    readonly exec: boolean }[];
}

/** Every machine's lives, and a reader of its facts that gathers them on first use. */
function machinesOf(run: RunRecord): (node: string) => Machine | undefined {
  const out = new Map<string, Machine>();
  for (const e of run.nodeEvents) {
    if (e.kind !== 'up' && e.kind !== 'down') continue;
    let m = out.get(e.node);
    if (m === undefined) {
      out.set(e.node, m = { node: e.node, lives: [], execs: [], execSteps: [], ckpts: [],
        lost: [] });
    }
    const open = m.lives[m.lives.length - 1];
    if (e.kind === 'up') m.lives.push({ upAt: e.at, upSeq: e.seq, endAt: Infinity,
      endSeq: Infinity, durable: 0 });
    else if (open !== undefined && open.endSeq === Infinity) {
      open.endAt = e.at;
      open.endSeq = e.seq;
    }
  }
  let ckpts: Map<string, Ckpt[]> | undefined;
  let lost: Map<string, Machine['lost']> | undefined;
  const built = new Set<string>();
  return (node) => {
    const m = out.get(node);
    if (m === undefined || built.has(node)) return m;
    built.add(node);
    if (ckpts === undefined || lost === undefined) {
      ckpts = new Map();
      for (const c of checkpoints(run)) pushTo(ckpts, c.node, c);
      lost = new Map();
      const dropped = droppedRecord(run);
      for (const o of executions(dropped)) {
        pushTo(lost, o.node, { seq: o.seq, at: o.at, slot: o.data.slot, exec: true });
      }
      for (const o of checkpoints(dropped)) {
        pushTo(lost, o.node, { seq: o.seq, at: o.at, slot: o.data.index, exec: false });
      }
    }
    const all = executions(run);
    m.execs = (execIndex(run).positions.get(node) ?? []).map((i) => all[i]!);
    m.execSteps = m.execs.map(stepNo);
    m.ckpts = ckpts.get(node) ?? [];
    m.lost = lost.get(node) ?? [];
    let c = 0;
    let best = 0;
    for (const life of m.lives) {
      for (; c < m.ckpts.length && m.ckpts[c]!.seq < life.upSeq; c++) {
        best = Math.max(best, m.ckpts[c]!.data.index);
      }
      life.durable = best;
    }
    return m;
  };
}

const seqOf = (o: { readonly seq: number }): number => o.seq;
const stepNo = (o: { readonly step?: number }): number => o.step ?? -1;

interface Sides {
  readonly problems: string[];
  judged: number;
  /** Of which restarts (the boot side). */
  boots: number;
}

/**
 * Whether `node` has a fact of `facts` (recorded `logged` or `ckpt` facts, each listed after its
 * step's write, so that write landed) after sequence number `from` and before `to`: one node's
 * facts are recorded in step order, so that write comes from the step of `from` or a later one.
 */
function wroteAfter(facts: readonly { node: string; seq: number }[], node: string, from: number,
  to: number): boolean {
  for (let i = countBelowBy(facts, seqOf, from + 1); i < facts.length && facts[i]!.seq < to; i++) {
    if (facts[i]!.node === node) return true;
  }
  return false;
}

/** The boot side: a restart from a disk holding K+1's decision executes K+1 in its boot step. */
function bootSide(run: RunRecord, machine: (node: string) => Machine | undefined,
  nodes: readonly string[], unjudged: (node: string, at: number) => boolean, out: Sides): void {
  // The boots that follow a crash, by the slot they must execute (node, then life).
  const wanted = new Map<number, { m: Machine; prev: Life; life: Life }[]>();
  for (const node of nodes) {
    const m = machine(node)!;
    for (let i = 1; i < m.lives.length; i++) {
      const life = m.lives[i]!;
      if (unjudged(node, life.upAt)) continue;
      pushTo(wanted, life.durable + 1, { m, prev: m.lives[i - 1]!, life });
    }
  }
  if (wanted.size === 0) return;
  const judged = new Set<Life>();
  for (const d of decisions(run)) {
    const boots = wanted.get(d.data.slot);
    if (boots === undefined) continue;
    const w = boots.find((b) => b.m.node === d.node && b.prev.upSeq < d.seq
      && d.seq < b.prev.endSeq);
    if (w === undefined || judged.has(w.life)) continue;
    const { m, prev, life } = w;
    const config = d.data.config;
    // The entry reached the disk: a write of that life landed after the step that learnt it.
    if (!wroteAfter(loggings(run), m.node, d.seq, prev.endSeq)
      && !wroteAfter(m.ckpts, m.node, d.seq, prev.endSeq)) continue;
    // And stayed there: the replica was not destroyed since, nor its configuration defunct.
    const gone = retirements(run).some((r) => r.node === m.node && r.data.config === config
      && r.seq > d.seq && r.seq < life.upSeq)
      || defuncts(run).some((f) => f.node === m.node && f.data.config >= config
        && f.seq < life.upSeq);
    if (gone) continue;
    judged.add(life);
    out.judged++;
    out.boots++;
    const slot = life.durable + 1;
    let ran = m.lost.some((x) => x.exec && x.at === life.upAt && x.slot === slot);
    for (let i = countBelowBy(m.execs, seqOf, life.upSeq); i < m.execs.length; i++) {
      const x = m.execs[i]!;
      if (stepTime(x) !== life.upAt || x.seq > life.endSeq) break;
      if (x.data.slot === slot) ran = true;
    }
    if (ran) continue;
    out.problems.push(`${m.node} restarted at t=${life.upAt}us from a disk whose checkpoint ` +
      `is ${life.durable} and whose log held slot ${slot}'s decision (configuration ${config}, ` +
      `learnt at t=${stepTime(d)}us and written before its crash at t=${prev.endAt}us), but ` +
      `did not execute slot ${slot} at boot: a restarted machine learns the decided entries ` +
      'of its own log (P1.1, P1.5)');
  }
}

/** The life of `lives` in which the machine was up at `at`, not booting or crashing then. */
function lifeAtTime(lives: readonly Life[], at: number): Life | undefined {
  for (let i = lives.length - 1; i >= 0; i--) {
    const l = lives[i]!;
    if (l.upAt < at) return at < l.endAt ? l : undefined;
    if (l.upAt === at) return undefined;
  }
  return undefined;
}

/** The slots a DECIDED or DECIDED-RANGE label carries: [first, last, all of them between]. */
function carried(label: string): [number, number, boolean] | null {
  if (label.startsWith('Decided c=')) {
    const at = label.indexOf(' s=');
    if (at < 0) return null;
    const slot = parseInt(label.slice(at + 3), 10);
    return [slot, slot, true];
  }
  if (!label.startsWith('DecidedRange c=')) return null;
  const r = RANGE.exec(label);
  if (r === null) return null;
  const [first, last] = [Number(r[1]), Number(r[2])];
  return [first, last, Number(r[3]) === last - first + 1];
}

const RANGE = /^DecidedRange c=\d+ s=(\d+)\.\.(\d+) n=(\d+)$/;

/** The receipt side: the step handling a DECIDED or DECIDED-RANGE with slot e+1 executes it. */
function receiptSide(run: RunRecord, messages: readonly MessageFact[],
  machine: (node: string) => Machine | undefined,
  unjudged: (node: string, at: number) => boolean, out: Sides): void {
  const pauses = numberParam(run, 'checkpointUs', 0) > 0
    || numberParam(run, 'checkpointNsPerByte', 0) > 0;
  for (const msg of messages) {
    if (msg.drop !== null || msg.step === undefined || msg.label.charCodeAt(0) !== 68) continue;
    const slots = carried(msg.label);
    if (slots === null || unjudged(msg.to, msg.at)) continue;
    const m = machine(msg.to);
    const life = m === undefined ? undefined : lifeAtTime(m.lives, msg.at);
    if (m === undefined || life === undefined) continue;
    const step = msg.step;
    // What it had executed before the step: its last execution since the boot, a checkpoint it
    // adopted since, or the one on its disk at the boot.
    const next = countBelow(m.execSteps, step);
    const lastExec = next > 0 && m.execs[next - 1]!.seq > life.upSeq ? m.execs[next - 1]! : null;
    let e = lastExec?.data.slot ?? life.durable;
    // Checkpoint indexes grow within a life: the last one before the step is the highest.
    // Execution may still wait for a save made after the last execution (before the step).
    let saved = false;
    for (let i = countBelowBy(m.ckpts, stepNo, step) - 1; i >= 0; i--) {
      const c = m.ckpts[i]!;
      if (c.seq < life.upSeq || (lastExec !== null && c.seq < lastExec.seq)) break;
      e = Math.max(e, c.data.index);
      if (c.data.transfer !== true) saved = true;
    }
    let unsure = false;
    for (const x of m.lost) {
      if (x.seq < life.upSeq || x.seq > life.endSeq) continue;
      if (x.at === msg.at) unsure = true;
      if (x.at < msg.at) {
        e = Math.max(e, x.slot);
        saved = !x.exec;
      }
    }
    const [first, last, whole] = slots;
    const slot = e + 1;
    if (unsure || slot < first || slot > last || (!whole && slot !== first)) continue;
    // With a checkpoint time, a save since the last execution may still block execution.
    if (pauses && saved) continue;
    out.judged++;
    let ran = false;
    for (let i = next; i < m.execs.length && m.execSteps[i] === step; i++) {
      if (m.execs[i]!.data.slot === slot) ran = true;
    }
    if (ran) continue;
    out.problems.push(`${msg.to} handled ${msg.from}'s ${msg.label} at t=${msg.at}us having ` +
      `executed up to slot ${e}, but did not execute slot ${slot} in that step: a machine ` +
      'executes the decided slot after its execution point when it learns it (P1.4 step 4, ' +
      'P1.5)');
  }
}

export function executesLearnedProblems(run: RunRecord): Sides | string {
  if (run.faults.some((f) => f.kind === 'restart' && f.amnesia === true)) {
    return 'an amnesia restart: a disk was lost';
  }
  const corrupted = new Map<string, number>();
  const booted = new Map<string, number>();
  for (const e of run.nodeEvents) {
    if (e.kind === 'corrupted' && !corrupted.has(e.node)) corrupted.set(e.node, e.at);
    if (e.kind === 'up') booted.set(e.node, (booted.get(e.node) ?? 0) + 1);
  }
  const machine = machinesOf(run);
  const out: Sides = { problems: [], judged: 0, boots: 0 };
  const restarted = [...booted].filter(([, n]) => n > 1).map(([node]) => node);
  const unjudged = (node: string, at: number): boolean => (corrupted.get(node) ?? Infinity) <= at;
  bootSide(run, machine, restarted, unjudged, out);
  const messages = handledMessages(run);
  if (typeof messages !== 'string') receiptSide(run, messages, machine, unjudged, out);
  return out;
}

export const smartExecutesLearned: Property = {
  name: 'smart-executes-learned',
  description: 'a machine executes the decided slot after its execution point in the step that ' +
    'learns it: at a restart from its own disk\'s log, or from a DECIDED or DECIDED-RANGE (the ' +
    'message record)',
  protocols: ['smart'],
  check(run: RunRecord) {
    const r = executesLearnedProblems(run);
    if (typeof r === 'string') return skip(this.name, r);
    if (r.judged === 0) return skip(this.name, 'no restart from a disk holding the next ' +
      'decided slot, and no DECIDED of the next slot handled with the message record');
    return verdictOf(this.name, r.problems, { judged: r.judged, restarts: r.boots },
      `${r.judged} next slots learnt (${r.boots} at a restart, the rest from a DECIDED or ` +
      'DECIDED-RANGE), each executed in the step that learnt it');
  },
};
