/**
 * The execution module (EM), one per machine and shared by all of its replicas: executes decided
 * slots strictly in order, keeps the KV store, the configuration table and the reply cache (all
 * replicated state), saves checkpoints, and installs checkpoints received by state transfer.
 */
import { assert } from '../assert.js';
import { emptyStore, fnv1a32, kvApply, kvCanonical, kvDigest } from '../kv.js';
import { mapWith } from '../map-with.js';
import type { NodeId } from '../types.js';
import { ensureReplica, learnDefunct, onMigrationExecuted } from './migration.js';
import { checkpointBytes } from './size.js';
import { SlotMap } from './slots.js';
import type {
  CacheEntry, CfgEntry, Checkpoint, Cmd, Ctx, Decision, Em, Leader, MigrateCmd, Params, State,
} from './types.js';
import { emWith, leaderWith, leadWith, stateWith } from './update.js';
import {
  cfgOf, cmdKey, MIGRATED, observe, openRequests, persist, replicaList, reply, send, setTimer,
  strayInflight, withReplica,
} from './util.js';

export function digestOf(c: Omit<Checkpoint, 'digest'>): string {
  const table = c.table.map((e) => `${e.num}:${e.members.join(',')}:${e.first}:${e.last ?? '-'}`);
  const clients = [...c.cache.keys()].sort();
  const cache = clients.map((k) => {
    const entry = c.cache.get(k)!;
    return `${k}=${entry.seq}:${JSON.stringify(entry.result)}`;
  });
  const store = kvCanonical(c.store);
  const parts = [c.index, store, table.join(';'), cache.join(';'), c.migrations.join(',')];
  const text = parts.join('|');
  return fnv1a32(text);
}

/** Every machine starts from this one (immutable) reply cache, so cacheWith's memo can hit. */
const EMPTY_CACHE: ReadonlyMap<string, CacheEntry> = new Map();

export function initialEm(initial: readonly NodeId[]): Em {
  const table: CfgEntry[] = [{ num: 1, members: initial, first: 1, last: null }];
  const cache = EMPTY_CACHE;
  const base = { index: 0, store: emptyStore, table, cache, migrations: [] };
  const ckpt: Checkpoint = { ...base, digest: digestOf(base) };
  return emFromCheckpoint(ckpt);
}

export function emFromCheckpoint(ckpt: Checkpoint): Em {
  return {
    lastExec: ckpt.index, store: ckpt.store, table: ckpt.table, cache: ckpt.cache,
    migrations: ckpt.migrations, decided: SlotMap.empty(), executed: SlotMap.empty(), ckpt,
    busyUntil: null, sinceCkpt: 0, fetch: null,
  };
}

/** Queues a decision learned by a local replica; slots already executed are ignored. */
export function addDecision(s: State, slot: number, dec: Decision): State {
  if (slot <= s.em.lastExec) return s;
  const existing = s.em.decided.get(slot);
  if (existing !== undefined) {
    // A second copy of the same decision (from DECIDED and a catch-up, say) changes nothing.
    if (existing.cfg === dec.cfg && cmdKey(existing.cmd) === cmdKey(dec.cmd)) return s;
    // Two configurations decided the same slot: only a broken protocol gets here. Keep the
    // newer configuration's decision; the checkers see both "decide" observations.
    if (existing.cfg > dec.cfg) return s;
  }
  const decided = s.em.decided.set(slot, dec);
  return stateWith(s, { em: emWith(s.em, { decided }) });
}

/**
 * What the machine does for configuration `cfg` right after executing a MIGRATE it decided:
 * its leader (if local) proposes what it now may, nulls up to the known LastSlot (P1.6 step 4).
 * A parameter so that the EM need not know the leader (machine.ts passes leader.ts's pump).
 */
export type AfterMigrate = (s: State, cfg: number, ctx: Ctx) => State;

/** Executes every decided slot that directly follows lastExec. */
export function runExecution(s: State, ctx: Ctx, afterMigrate: AfterMigrate): State {
  let state = s;
  for (;;) {
    const busy = state.em.busyUntil;
    if (busy !== null && ctx.now < busy) return state; // The 'exec' timer resumes execution.
    const slot = state.em.lastExec + 1;
    const dec = state.em.decided.get(slot);
    if (dec === undefined) return state;
    state = executeSlot(state, slot, dec, ctx, afterMigrate);
    assert(state.em.lastExec === slot, 'smart: execution must advance by exactly one slot');
  }
}

function executeSlot(
  s: State, slot: number, dec: Decision, ctx: Ctx, afterMigrate: AfterMigrate,
): State {
  const { cfg, cmd } = dec;
  const owner = cfgOf(s.em.table, slot);
  // Pair assertion with the leader's range rule: a slot is executed only as decided by its owner.
  if (owner !== null && !s.flags.latestConfigOnly && owner !== cfg) {
    assert(false, `smart: slot ${slot} decided by cfg ${cfg} but owned by cfg ${owner}`);
  }
  const before = s.em.table;
  let em = collectConfigurations(s, slot);
  const decided = em.decided.delete(slot);
  // P1.4 step 7: a checkpoint every `checkpointEvery` requests; a null (a filled slot) is none.
  // Counted here, in the one copy of the EM that executing makes: nothing this function calls
  // before the checkpoint below reads or resets the count.
  const sinceCkpt = em.sinceCkpt + (cmd.t === 'null' ? 0 : 1);
  em = emWith(em, {
    decided, executed: retain(em.executed, slot, dec, s.params), lastExec: slot, sinceCkpt,
  });
  let state: State = settleInflight(stateWith(s, { em }));
  const collected = em.table === before ? undefined : before.find((e) => !em.table.includes(e));
  // The log-size rule made the collected configuration's LastSlot stable in a successor.
  if (collected !== undefined) state = learnDefunct(state, collected.num, 'gc', ctx);
  if (cmd.t === 'op') state = executeOp(state, slot, cfg, cmd, ctx);
  const created = cmd.t === 'migrate' && !state.em.migrations.includes(cmd.id);
  if (cmd.t === 'migrate') state = executeMigrate(state, slot, cfg, cmd, ctx);
  const store = kvDigest(state.em.store);
  observe(ctx, 'exec', { slot, command: cmdKey(cmd), store });
  // P1.6's after_execute sketch: JOINs, then the leader null-fills up to the LastSlot it now
  // knows, before the next slot runs and before this slot's checkpoint (P1.9's phase 2,
  // "executing it incl. sending JOINs and proposing nulls"). Proposing decides nothing
  // within the step, so the slots executed next are the same; what moves is when the
  // PROPOSEs leave (ahead of the replies of later slots). Ambiguous in P1.6: step 4 says
  // nulls for all still-unproposed slots, while "How α interacts with migration" fills them
  // "with nulls if no client requests". We read it as the leader's one proposing rule
  // (pump): requests already queued here when MIGRATE executes keep their arrival order and
  // take free old-range slots first, nulls the rest; later requests find the range full.
  if (created) state = afterMigrate(state, cfg, ctx);
  assert(state.em.sinceCkpt === sinceCkpt, 'smart: only a checkpoint resets the count');
  // Nulls alone (a leader filling gaps after every election) must not stall the log-size rule:
  // a checkpoint at least every maxLogSize − α slots keeps the stable index within its reach.
  const nullsOnly = slot - state.em.ckpt.index >= s.params.maxLogSize - s.params.alpha;
  const due = sinceCkpt >= s.params.checkpointEvery || s.flags.checkpointEverySlot;
  if (due || nullsOnly || isFinalSlot(state, slot)) {
    state = pauseFor(saveCheckpoint(state, ctx), ctx);
  }
  return state;
}

/** Em.executed with `slot` added and slots more than `incrementalSlots` behind it dropped. */
function retain(
  executed: SlotMap<Decision>, slot: number, dec: Decision, p: Params,
): SlotMap<Decision> {
  if (p.incrementalSlots === 0) return executed;
  return executed.set(slot, dec).above(slot - p.incrementalSlots);
}

/**
 * LibSMART blocks execution while it saves a checkpoint (P1.4 step 7, "a known implementation
 * artefact"): the next slot runs once it is on disk, after checkpointUs plus checkpointNsPerByte
 * per byte of what it holds. Requests keep arriving, being proposed and decided meanwhile.
 */
function pauseFor(s: State, ctx: Ctx): State {
  const { checkpointUs, checkpointNsPerByte, stateBytes } = s.params;
  const bytesUs = checkpointNsPerByte === 0 ? 0
    : Math.round((checkpointBytes(s.em.ckpt) + stateBytes) * checkpointNsPerByte / 1000);
  const pauseUs = checkpointUs + bytesUs;
  if (pauseUs === 0 || s.flags.checkpointNoPause) return s;
  const busyUntil = ctx.now + pauseUs;
  setTimer(ctx, { kind: 'execution' }, busyUntil);
  return stateWith(s, { em: emWith(s.em, { busyUntil }) });
}

/** P1.6 step 11: before executing n, forget configuration C if n - MaximumLogSize = LastSlot_C. */
function collectConfigurations(s: State, slot: number): Em {
  const gone = slot - s.params.maxLogSize;
  const table = s.em.table;
  let victim: CfgEntry | undefined;
  for (let i = 0; i < table.length && victim === undefined; i++) {
    if (table[i]!.last === gone) victim = table[i];
  }
  if (victim === undefined) return s.em;
  assert(s.em.table.length > 1, 'smart: the newest configuration is never collected');
  return emWith(s.em, { table: s.em.table.filter((e) => e.num !== victim.num) });
}

function executeOp(
  s: State, slot: number, cfg: number, cmd: Extract<Cmd, { t: 'op' }>, ctx: Ctx,
): State {
  const cached = s.em.cache.get(cmd.client);
  const leading = s.replicas.get(cfg)?.role === 'leader';
  const state = s;
  if (cached !== undefined && cached.seq >= cmd.seq && !s.flags.noReplyCache) {
    // A duplicate (a retry decided twice): answer from the reply cache, never re-execute.
    const result = cached.result;
    const same = cached.seq === cmd.seq;
    // The declared mutant smart:no-cached-answer leaves the client to its request timeout.
    if (leading && same && !s.flags.noCachedAnswer) {
      reply(ctx, cmd.client, cmd.seq, { type: 'done', result });
    }
    return state;
  }
  const { store, result } = kvApply(s.em.store, cmd.op);
  const cache = cacheWith(s.em.cache, cmd, result);
  observe(ctx, 'apply', { slot, client: cmd.client, seq: cmd.seq });
  if (leading) reply(ctx, cmd.client, cmd.seq, { type: 'done', result });
  return stateWith(state, { em: emWith(state.em, { store, cache }) });
}

/**
 * The last few reply-cache updates, by identity of the cache, the command and its result. All
 * three are immutable and every replica executes the very same command object (it travels
 * inside the messages) on the very same cache (by induction from EMPTY_CACHE) with the very
 * same result (kvApply's memo): the first replica to execute a slot copies the cache, the
 * others reuse that copy, as they do the store. A small ring, so nothing outlives a run long.
 */
const CACHE_MEMO = 16;
interface CacheMemo {
  from: Em['cache'] | null;
  cmd: OpCmd | null;
  result: unknown;
  out: Em['cache'] | null;
}
const cacheMemo: CacheMemo[] = Array.from({ length: CACHE_MEMO },
  () => ({ from: null, cmd: null, result: null, out: null }));
let cacheNext = 0;

type OpCmd = Extract<Cmd, { t: 'op' }>;

function cacheWith(cache: Em['cache'], cmd: OpCmd, result: CacheEntry['result']): Em['cache'] {
  for (let i = 0; i < CACHE_MEMO; i++) {
    const e = cacheMemo[i]!;
    if (e.cmd === cmd && e.from === cache && e.result === result) return e.out!;
  }
  const out = mapWith(cache, cmd.client, { seq: cmd.seq, result });
  const e = cacheMemo[cacheNext]!;
  cacheNext = (cacheNext + 1) % CACHE_MEMO;
  e.from = cache;
  e.cmd = cmd;
  e.result = result;
  e.out = out;
  return out;
}

/**
 * Drops from every local leader's `inflight` the requests no longer queued or proposed above the
 * executed index. Called wherever a slot settles without the request the leader put there
 * being executed by it: execution itself, a state transfer that jumps past proposed slots (their
 * requests ran elsewhere: executing here never comes, and the keys leaked), and a decision that
 * gives a slot we proposed to another command (that request lost its slot: a retry must be
 * admitted again, not dropped as a duplicate of a proposal that can no longer succeed).
 */
export function settleInflight(s: State): State {
  let state = s;
  for (const r of replicaList(s)) if (r.role === 'leader') state = settleLeader(state, r);
  return state;
}

function settleLeader(s: State, r: Leader): State {
  if (strayInflight(s, r) === undefined) return s;
  const open = openRequests(s, r);
  const inflight = new Set([...r.lead.inflight].filter((key) => open.has(key)));
  return withReplica(s, leaderWith(r, { lead: leadWith(r.lead, { inflight }) }));
}

/**
 * P1.6 step 2: a new configuration owns slots from n+α; its predecessor ends at n+α−1. The
 * leader that executes it answers the operator (so does it for a repeated id, a no-op).
 */
function executeMigrate(s: State, slot: number, cfg: number, cmd: MigrateCmd, ctx: Ctx): State {
  if (s.replicas.get(cfg)?.role === 'leader') reply(ctx, cmd.client, cmd.seq, MIGRATED);
  if (s.em.migrations.includes(cmd.id)) return s;
  const table = s.em.table;
  const latest = table[table.length - 1]!;
  assert(latest.last === null, 'smart: the newest configuration has no LastSlot');
  const first = slot + s.params.alpha;
  assert(first > slot, 'smart: a new configuration starts after its creating slot');
  const created: CfgEntry = { num: latest.num + 1, members: cmd.members, first, last: null };
  const closed: CfgEntry = { ...latest, last: first - 1 };
  // The latest-config-only mutant keeps just the newest configuration (P1.10 #4).
  const next = s.flags.latestConfigOnly ? [created] : [...table.slice(0, -1), closed, created];
  const migrations = [...s.em.migrations, cmd.id];
  observe(ctx, 'cfg', {
    config: created.num, members: [...created.members], first, createdBy: cfg, slot,
  });
  const state = stateWith(s, { em: emWith(s.em, { table: next, migrations }) });
  return onMigrationExecuted(state, cfg, created, ctx);
}

/** An extra checkpoint at every configuration's final state (P1.6 step 6). */
function isFinalSlot(s: State, slot: number): boolean {
  const table = s.em.table;
  for (let i = 0; i < table.length; i++) if (table[i]!.last === slot) return true;
  return false;
}

export function saveCheckpoint(s: State, ctx: Ctx): State {
  const em = s.em;
  const { store, table, cache, migrations } = em;
  const base = { index: em.lastExec, store, table, cache, migrations };
  const ckpt: Checkpoint = { ...base, digest: digestOf(base) };
  persist(ctx, `ckpt ${ckpt.index}`);
  observe(ctx, 'ckpt', { index: ckpt.index, digest: ckpt.digest, configs: configNums(ckpt) });
  if (s.replicas.size > 0) observe(ctx, 'state', { digest: ckpt.digest, applied: ckpt.index });
  const state = stateWith(s, { em: emWith(em, { ckpt, sinceCkpt: 0 }) });
  return noteCheckpoint(state, ckpt.index, ctx);
}

/** The configuration numbers in a checkpoint's table, for checkers of its GC (P1.6 step 11). */
function configNums(ckpt: Checkpoint): number[] {
  return ckpt.table.map((e) => e.num);
}

/** Tells each local replica's leader how far this machine's checkpoints reach (stable index). */
function noteCheckpoint(s: State, index: number, ctx: Ctx): State {
  let state = s;
  for (const r of replicaList(s)) {
    if (r.role === 'leader') {
      const cohort = mapWith(r.lead.cohort, s.id, index);
      state = withReplica(state, leaderWith(r, { lead: leadWith(r.lead, { cohort }) }));
    } else if (r.leader !== null && r.leader !== s.id) {
      send(ctx, r.leader, { t: 'ckptNote', cfg: r.cfg, index });
    }
  }
  return state;
}

/** State transfer: adopt a checkpoint newer than everything executed here. */
export function installCheckpoint(s: State, ckpt: Checkpoint, ctx: Ctx): State {
  if (ckpt.index <= s.em.lastExec) return s;
  // Pair assertion with saveCheckpoint(): the digest was computed over exactly this state.
  assert(ckpt.digest === digestOf(ckpt), 'smart: a transferred checkpoint must match its digest');
  const decided = s.em.decided.above(ckpt.index);
  // A checkpoint save still in progress keeps execution blocked (P1.4 step 7): adopting a newer
  // state does not end it (explore-drawn trial 20181 of smart-leader-fetch-once: n6 executed
  // slot 339 1.8 ms into a 4 ms save, smart-checkpoint-pause).
  const em = emWith(emFromCheckpoint(ckpt), { decided, busyUntil: s.em.busyUntil });
  persist(ctx, `ckpt ${ckpt.index} (transfer)`);
  const configs = configNums(ckpt);
  observe(ctx, 'ckpt', { index: ckpt.index, digest: ckpt.digest, configs, transfer: true });
  const jumped = settleInflight(stateWith(s, { em }));
  const state = adoptTable(noteCheckpoint(jumped, ckpt.index, ctx), ctx);
  // A retired machine may still receive a late copy; it no longer reports a replica state.
  if (state.replicas.size > 0) observe(ctx, 'state', { digest: ckpt.digest, applied: ckpt.index });
  return state;
}

/**
 * After a jump, start replicas for configurations of the table this machine belongs to, and
 * retire replicas of configurations the transferred table no longer holds.
 */
function adoptTable(s: State, ctx: Ctx): State {
  let state = s;
  for (const e of s.em.table) {
    if (e.members.includes(s.id)) state = onTableMember(state, e, ctx);
  }
  return retireCollected(state, ctx);
}

function onTableMember(s: State, e: CfgEntry, ctx: Ctx): State {
  if (e.last !== null && e.last <= s.em.lastExec) return s; // Nothing left for it to do here.
  return ensureReplica(s, e.num, e.members, e.first, ctx);
}

/**
 * P1.6 step 11: a configuration whose entry was garbage-collected from the table is defunct (the
 * log-size rule made its LastSlot stable in a successor). Executing the collecting slot retires it
 * locally; a machine that jumped past that slot by state transfer learns it from the adopted
 * table instead. Entries are collected in slot order, so every configuration older than the
 * oldest remaining entry is gone, including intermediate ones this machine never joined.
 */
function retireCollected(s: State, ctx: Ctx): State {
  const oldest = s.em.table[0];
  if (oldest === undefined || oldest.num - 1 <= s.d) return s;
  return learnDefunct(s, oldest.num - 1, 'gc', ctx);
}
