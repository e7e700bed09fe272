/**
 * The machine: one `switch (event.kind)` that routes every input to the replica of the addressed
 * configuration (or to the machine-level migration handlers), then lets the shared execution
 * module run and the leaders propose.
 */
import { checkParamSchema, type ParamSchema } from '../param-schema.js';
import { assert, assertNever } from '../assert.js';
import type {
  ClientRequest, NodeId, OperatorCommand, OperatorRequester, ProtocolConfig, ProtocolEvent,
  StepResult,
} from '../types.js';
import { addDecision, emFromCheckpoint, initialEm, runExecution } from './execution.js';
import {
  holdRequest, isHeld, onCkptNote, onElectionTimer, onPreempt, onHeartbeatTimer, onLeaderRequest,
  onLogged, onPollReply, pump, rangeFull,
} from './leader.js';
import {
  checkFinished, ensureReplica, learnDefunct, newestKnown, onFinished, onFinishedTimer, onJoin,
  onJoinRequest, onReady, parseMigrate, onRepoMessage, onRepoTimer, redirectClient,
} from './migration.js';
import { flagsOf } from './mutants.js';
import { configGroup } from './observations.js';
import {
  onDecided, onDecidedRange, onElect, onHeartbeat, onPropose, onStateCopy, onStateRequest,
  suspicionAt,
} from './replica.js';
import { ReplicaSet } from './replica-set.js';
import { asLeader, newReplica } from './roles.js';
import { SlotMap } from './slots.js';
import {
  BALLOT_SPAN, type Ctx, type Disk, type Msg, type Params, type Replica, type ReplicaDisk,
  type Request, type State,
} from './types.js';
import { decodeTimer } from './timers.js';
import { replicaWith, stateWith } from './update.js';
import {
  observe, replicaList, reply, send, setTimer, strayInflight, withReplica,
} from './util.js';

/** What each parameter (defaults in index.ts) may be: periods and timeouts positive. */
export const smartParamSchema: ParamSchema = {
  alpha: 'count', checkpointEvery: 'count', maxLogSize: 'count', heartbeatUs: 'period',
  leaderTimeoutUs: 'period', staggerUs: 'natural', finishedUs: 'period',
  checkpointUs: 'natural', checkpointNsPerByte: 'natural', repoNode: 'node-or-null',
  repoWriteUs: 'period', stateBytes: 'natural', fetchRetryUs: 'natural',
  incrementalSlots: 'natural',
};

export function paramsOf(config: ProtocolConfig): Params {
  const p = config.params;
  const num = (k: string): number => {
    const v = p[k];
    const ok = typeof v === 'number' && Number.isInteger(v) && v >= 0;
    assert(ok, `smart: param ${k} must be a non-negative integer`);
    return v as number;
  };
  const repo = p['repoNode'];
  const params: Params = {
    alpha: num('alpha'), checkpointEvery: num('checkpointEvery'), maxLogSize: num('maxLogSize'),
    heartbeatUs: num('heartbeatUs'), leaderTimeoutUs: num('leaderTimeoutUs'),
    staggerUs: num('staggerUs'),
    finishedUs: num('finishedUs'), checkpointUs: num('checkpointUs'),
    checkpointNsPerByte: num('checkpointNsPerByte'),
    repoNode: typeof repo === 'string' ? repo : null, repoWriteUs: num('repoWriteUs'),
    stateBytes: num('stateBytes'), fetchRetryUs: num('fetchRetryUs'),
    incrementalSlots: num('incrementalSlots'),
  };
  assert(params.alpha >= 1, 'smart: alpha must be at least 1');
  assert(params.checkpointEvery >= 1, 'smart: checkpointEvery must be at least 1');
  assert(params.maxLogSize > params.alpha, 'smart: maxLogSize must exceed alpha');
  checkParamSchema('smart', smartParamSchema, p, config.nodes.map((n) => n.id));
  return params;
}

export function init(id: NodeId, config: ProtocolConfig): State {
  const at = config.nodes.findIndex((n) => n.id === id);
  assert(at >= 0, `smart: unknown node ${id}`);
  assert(at < BALLOT_SPAN, `smart: at most ${BALLOT_SPAN} nodes (a ballot's node index)`);
  const flags = flagsOf(config.mutant);
  // smart:ballots-without-index: every machine's ballots name index 0.
  const idx = flags.ballotsWithoutIndex ? 0 : at;
  return {
    id, idx, initial: config.replicas, params: paramsOf(config), flags,
    d: 0, succ: null, replicas: ReplicaSet.empty(), em: initialEm(config.replicas), repo: null,
  };
}

export function step(s: State, ev: ProtocolEvent<Msg, Disk>): StepResult<State, Msg> {
  const ctx: Ctx = { now: ev.now, out: [] };
  let next: State;
  switch (ev.kind) {
    case 'restart':
      next = onRestart(s, ev.durable, ctx);
      break;
    case 'message':
      next = onMessage(s, ev.from, ev.msg, ctx);
      break;
    case 'timer':
      next = onTimer(s, ev.timer, ctx);
      break;
    case 'clientRequest':
      next = onRequest(s, opRequest(ev.request), ctx);
      break;
    case 'operator':
      next = onOperator(s, ev.command, ev.from, ctx);
      break;
    default:
      return assertNever(ev, 'event');
  }
  next = afterStep(next, ctx);
  return { state: next, effects: ctx.out };
}

/** Execute what is decided, notice finished ranges, and let every local leader propose. */
function afterStep(s: State, ctx: Ctx): State {
  let state = checkFinished(runExecution(s, ctx, pump), ctx);
  // Proposing decides nothing within the step (even a quorum of one waits for its own LOGGED,
  // which follows the write), so execution has nothing new to run afterwards.
  for (const r of replicaList(state)) {
    if (r.role === 'leader') state = pump(state, r.cfg, ctx);
  }
  return state;
}

export function durable(s: State): Disk {
  const replicas: ReplicaDisk[] = replicaList(s).map((r) => ({
    cfg: r.cfg, members: r.members, first: r.first, promised: r.promised, log: r.log,
    trunc: r.trunc,
    leading: r.role === 'leader' ? r.promised : 0,
  }));
  return { d: s.d, succ: s.succ, ckpt: s.em.ckpt, replicas, repo: s.repo };
}

function onRestart(s: State, disk: Disk | null, ctx: Ctx): State {
  if (disk === null) {
    if (!s.initial.includes(s.id)) return s;
    return ensureReplica(s, 1, s.initial, 1, ctx);
  }
  const em = emFromCheckpoint(disk.ckpt);
  let state = stateWith(s, { d: disk.d, succ: disk.succ, repo: disk.repo, em });
  for (const rd of disk.replicas) {
    if (rd.cfg <= disk.d) continue;
    state = restoreReplica(state, rd, ctx);
  }
  return state;
}

/** A recovering replica is a follower: it never resumes proposing in its old ballot (bug #7). */
function restoreReplica(s: State, rd: ReplicaDisk, ctx: Ctx): State {
  const base = newReplica(rd.cfg, rd.members, rd.first);
  let r: Replica = replicaWith(base, { promised: rd.promised, log: rd.log, trunc: rd.trunc });
  // The leader-amnesia mutant resumes leading in its old ballot, having forgotten its proposals.
  if (s.flags.leaderAmnesia && rd.leading !== 0 && rd.leading === rd.promised) {
    const nextSlot = Math.max(rd.first, s.em.lastExec + 1);
    r = asLeader(r, s.id, {
      nextSlot, repro: new Map(), pollMax: 0, acks: SlotMap.empty(), queue: [], inflight: new Set(),
      cohort: new Map(), stable: s.em.ckpt.index, catchFrom: null, catchTo: 0, retryBelow: nextSlot,
    });
    setTimer(ctx, { kind: 'heartbeat', cfg: rd.cfg }, ctx.now);
    observe(ctx, 'role', { group: configGroup(rd.cfg), role: 'leader', node: s.id });
  }
  setTimer(ctx, { kind: 'election', cfg: rd.cfg }, suspicionAt(s, r, ctx.now));
  let state = withReplica(s, r);
  // The declared mutant smart:restart-forgets-decided leaves them unlearned (Stryker #5986).
  for (const [slot, e] of rd.log.entries()) {
    if (e.decided && !s.flags.restartForgetsDecided) {
      state = addDecision(state, slot, { cfg: rd.cfg, ballot: e.ballot, cmd: e.cmd });
    }
  }
  return state;
}

function onTimer(s: State, name: string, ctx: Ctx): State {
  const timer = decodeTimer(name);
  assert(timer !== null, `smart: malformed timer ${name}`);
  switch (timer.kind) {
    case 'election':
      return onElectionTimer(s, timer.cfg, ctx);
    case 'heartbeat':
      return onHeartbeatTimer(s, timer.cfg, ctx);
    case 'finished':
      return onFinishedTimer(s, timer.cfg, ctx);
    case 'repository':
      return onRepoTimer(s, timer.cfg, ctx);
    case 'execution':
      return s; // A checkpoint is saved; afterStep resumes execution.
    default:
      return assertNever(timer, 'timer');
  }
}

function onMessage(s: State, from: NodeId, msg: Msg, ctx: Ctx): State {
  switch (msg.t) {
    case 'join':
      return onJoin(s, msg, ctx);
    case 'joinRequest':
      return onJoinRequest(s, from, msg.cfg, ctx);
    case 'defunct':
      return learnDefunct(s, msg.cfg, 'defunct', ctx);
    case 'repoWrite':
    case 'repoRead':
    case 'repoInfo':
      return onRepoMessage(s, from, msg, ctx);
    case 'decided':
      return onDecided(s, msg, ctx);
    case 'stateCopy':
      return onStateCopy(s, msg, ctx);
    case 'stateRequest':
      return onStateRequest(s, from, msg, ctx);
    case 'decidedRange':
      return onDecidedRange(s, msg, ctx);
    default:
      return onReplicaMessage(s, from, msg, ctx);
  }
}

type MachineMsg = 'join' | 'joinRequest' | 'defunct' | 'repoWrite' | 'repoRead' | 'repoInfo'
  | 'decided' | 'stateCopy' | 'stateRequest' | 'decidedRange';
type ReplicaMsg = Exclude<Msg, { t: MachineMsg }>;

/** Messages addressed to one configuration's replica; FINISHED addresses the successor. */
function onReplicaMessage(s: State, from: NodeId, msg: ReplicaMsg, ctx: Ctx): State {
  const target = msg.t === 'finished' ? msg.cfg + 1 : msg.cfg;
  if (target <= s.d) {
    // P1.6 step 9: a machine answers traffic for a defunct configuration with DEFUNCT.
    if (msg.t !== 'ready') send(ctx, from, { t: 'defunct', cfg: target });
    return s;
  }
  const r = s.replicas.get(target);
  if (r === undefined) {
    // P1.6 step 10: traffic for a configuration we have not joined yet asks for the JOIN data.
    const asks = msg.t === 'heartbeat' || msg.t === 'elect'
      || (msg.t === 'finished' && !s.flags.finishedNoJoin);
    if (asks) send(ctx, from, { t: 'joinRequest', cfg: target });
    return s;
  }
  return dispatchReplica(s, from, r, msg, ctx);
}

function dispatchReplica(s: State, from: NodeId, r: Replica, msg: ReplicaMsg, ctx: Ctx): State {
  switch (msg.t) {
    case 'propose':
      return onPropose(s, from, r, msg, ctx);
    case 'logged':
      return onLogged(s, from, r, msg, ctx);
    case 'heartbeat':
      return onHeartbeat(s, from, r, msg, ctx);
    case 'elect':
      return onElect(s, from, r, msg, ctx);
    case 'pollReply':
      return onPollReply(s, from, r, msg, ctx);
    case 'preempt':
      return onPreempt(s, r, msg, ctx);
    case 'ckptNote':
      return onCkptNote(s, from, r, msg.index, ctx);
    case 'finished':
      return onFinished(s, from, msg.cfg, ctx);
    case 'ready':
      return onReady(s, from, msg.cfg, ctx);
    default:
      return assertNever(msg, 'replica message');
  }
}

function opRequest(q: ClientRequest): Request {
  return { t: 'op', client: q.client, seq: q.seq, op: q.op };
}

/**
 * MIGRATE arrives as an operator client's request (Protocol.operatorRequests) and from then on
 * is a request like any other. A command without a requester has nobody to answer and no one
 * to retry it: SMART takes no local operator commands.
 */
function onOperator(
  s: State, command: OperatorCommand, from: OperatorRequester | undefined, ctx: Ctx,
): State {
  if (command.name !== 'migrate' || from === undefined) return s;
  return onRequest(s, parseMigrate(command.args, from), ctx);
}

/** REQUEST: the newest local replica's leader takes it; others REDIRECT / NEW-CONFIGURATION. */
function onRequest(s: State, q: Request, ctx: Ctx): State {
  const replicas = replicaList(s);
  const r = replicas[replicas.length - 1];
  if (r === undefined) {
    const info = newestKnown(s);
    const repo = s.params.repoNode;
    if (repo !== null && repo !== s.id) send(ctx, repo, { t: 'repoRead' });
    if (!info.members.includes(s.id)) redirectClient(s, q.client, q.seq, info, ctx);
    return s;
  }
  if (r.role === 'leader') return onLeaderRequest(s, r, q, ctx);
  if (r.role !== 'candidate' && r.leader !== null && r.leader !== s.id) {
    // With the members: after a migration that grew the set, the client may not know the
    // leader at all, and a bare name it cannot place would send it round the old members.
    const redirect = { leader: r.leader, members: r.members, config: r.cfg };
    reply(ctx, q.client, q.seq, { type: 'redirect', ...redirect });
    return s;
  }
  // A candidate, or no leader known yet (the replica has just started, or lost its leader): the
  // request waits for the first leader this replica hears of (releaseHeld), instead of
  // costing the client a whole request timeout (found with the cost model: a 1 s stall of a
  // request sent to a newcomer of a 5-replica migration).
  // But an older replica here that still leads a configuration whose range is full owes the
  // client NEW-CONFIGURATION (P1.6 step 4): a client that knows only that older configuration
  // may reach no other node, and this replica may never hear of a leader (explore seed 680149:
  // n1, cut from the rest of [n5,n6,n1], held the clients of [n1,n2,n3] for 2.4 s). Told once,
  // when first held, so a client sent back here waits for the release instead of spinning.
  // The same when the newer replica is a candidate (explore seed 952098: n1's configuration-2
  // replica campaigned for 2.4 s, cut from n4-n6, the clients' only reachable old member).
  // The declared mutant smart:new-config-on-resend tells only a resend of a held request.
  const first = s.flags.newConfigOnResend ? isHeld(r, q) : !isHeld(r, q);
  if (first && olderFullLeader(s, replicas, r.cfg)) {
    redirectClient(s, q.client, q.seq, newestKnown(s), ctx);
  }
  return holdRequest(s, r, q);
}

/** Whether a replica older than `cfg` here leads with every slot of its range proposed. */
function olderFullLeader(s: State, replicas: readonly Replica[], cfg: number): boolean {
  // The declared mutant smart:newer-holds-silently looks at newer replicas, never leaders here.
  const older = (o: Replica): boolean => (s.flags.newerHoldsSilently ? o.cfg >= cfg : o.cfg < cfg);
  return replicas.some((o) => older(o) && o.role === 'leader' && rangeFull(s, o));
}

/** Cheap structural invariants, run after every step in check mode. */
export function invariants(s: State): string | null {
  if (s.em.lastExec < s.em.ckpt.index) return `EM lastExec ${s.em.lastExec} below its checkpoint`;
  // P1.6 step 11: a configuration collected from the table is defunct here at once.
  const oldest = s.em.table[0];
  if (oldest !== undefined && s.d < oldest.num - 1) {
    return `configuration ${oldest.num - 1} was collected from the table but d=${s.d}`;
  }
  for (const r of s.replicas.values()) {
    if (r.cfg <= s.d) return `replica ${r.cfg} alive although d=${s.d}`;
    const c = r.cfg;
    // The types keep votes and leadership to their roles; a stray spread could still carry them.
    if ((r.role === 'leader') !== ('lead' in r)) return `replica ${c}: role/leadership mismatch`;
    if ((r.role === 'candidate') !== ('votes' in r)) return `replica ${c}: role/votes mismatch`;
    if (r.role !== 'leader') continue;
    if (r.leader !== s.id) return `replica ${c}: a leader names another leader`;
    if (r.lead.nextSlot < r.first) return `replica ${c}: nextSlot below first`;
    // Subset of the queue and the open proposals, hence at most the queue plus α requests: a
    // key of a slot already executed or transferred here is a leak (the set only grows).
    const stray = strayInflight(s, r);
    if (stray !== undefined) {
      return `replica ${c}: inflight holds ${stray}, neither queued nor proposed above ` +
        `lastExec ${s.em.lastExec}`;
    }
  }
  return null;
}
