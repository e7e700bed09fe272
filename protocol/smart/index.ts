/**
 * SMART (Lorch, Adya, Bolosky, Chaiken, Douceur, Howell; EuroSys 2006): Multi-Paxos with α
 * pipelining and live migration through configuration-specific replicas that share one
 * execution module per machine. See shared/PROTOCOLS.md part P1.
 */
import type { Protocol } from '../types.js';
import { describeMessage, encodeMessage } from './describe.js';
import { durable, init, invariants, step } from './machine.js';
import { smartMutants } from './mutants.js';
import { sizeOf } from './size.js';
import type { Disk, Msg, State } from './types.js';

// Every message type once (a missing or unknown one fails to compile): targeted faults name them.
/** A checkpoint interval no swarm trial reaches: only the forced checkpoints happen. */
const SPARSE_CHECKPOINTS = 1000;

const messageTypes: Record<Msg['t'], true> = {
  propose: true, logged: true, decided: true, heartbeat: true, elect: true, preempt: true,
  pollReply: true, stateRequest: true, stateCopy: true, decidedRange: true, ckptNote: true,
  join: true, joinRequest: true, finished: true, ready: true, defunct: true, repoWrite: true,
  repoRead: true, repoInfo: true,
};

export const smart: Protocol<State, Msg, Disk> = {
  name: 'smart',
  description:
    'SMART: Multi-Paxos RSM with α pipelining and live migration (Lorch et al., EuroSys 2006)',
  mutants: smartMutants,
  client: { target: 'first', onTimeout: 'broadcast', directoryParam: 'repoNode' },
  // Paxos assumes acceptors keep what they logged: losing a disk (amnesia) is beyond its claim.
  survives: ['crash', 'partition', 'pause', 'clog', 'skew', 'slow', 'lossy', 'disk', 'targeted'],
  defaults: {
    // The paper's values except the timeouts: its 3 s leader timeout (the experiments use it)
    // would dominate every simulated fault, so the defaults suspect a leader after 300 ms.
    alpha: 10, checkpointEvery: 50, maxLogSize: 200, heartbeatUs: 50_000,
    leaderTimeoutUs: 300_000, staggerUs: 100_000, finishedUs: 20_000, checkpointUs: 0,
    checkpointNsPerByte: 0,
    repoNode: null, repoWriteUs: 300_000_000, stateBytes: 0, fetchRetryUs: 0,
    // A restarted replica's checkpoint is at most checkpointEvery (50) requests old, and a
    // machine rejoining after one short configuration (Fig. 11's R) missed about 40 slots:
    // 64 covers both, and is what one DECIDED-RANGE carries (MAX_DECIDED_PER_STATE_REPLY).
    incrementalSlots: 64,
  },
  // Small windows and logs make the α rule, checkpoints, truncation and state transfer happen in
  // every trial; the log keeps room for two checkpoints past the window, so progress never waits.
  // One trial in five takes checkpoints rarer than the log allows (every 1000 slots): only the
  // checkpoint P1.4 forces every maxLogSize - alpha slots keeps the log bounded there. The draws
  // are the same in number and order either way, so the other trials' knobs are unchanged.
  swarmParams(draw) {
    const alpha = 1 + draw(10);
    const every = [2, 5, 10, 20, 50][draw(5)]!;
    const slack = draw(20);
    const checkpointEvery = slack % 5 === 4 ? SPARSE_CHECKPOINTS : every;
    return { alpha, checkpointEvery, maxLogSize: alpha + 2 * every + slack };
  },
  // Even sizes too: a quorum formula wrong only for 4 or 6 members must meet one.
  swarmReplicas: [3, 6],
  swarmMigration: (members, id) => ({ name: 'migrate', args: { id, members: [...members] } }),
  // MIGRATE is a request an operator client submits to the leader (P1.6 step 1).
  operatorRequests: ['migrate'],
  messageTypes: Object.keys(messageTypes),
  messageType: (m) => m.t,
  init,
  step,
  durable,
  describeMessage,
  sizeOf,
  encodeMessage,
  invariants,
};
