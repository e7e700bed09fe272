// A user protocol in one screen: one copy of a key-value store on the first replica, written to
// disk before every reply; the other nodes redirect clients to it. Replies are cached per client,
// so a retried request is never executed twice. It claims to survive crashes (the disk keeps the
// store), partitions, pauses, slow or lossy links and slow disks, but not amnesia.
// `single-copy:volatile` is its deliberate bug: nothing really reaches the disk.
import { defineProtocol, emptyStore, kvApply } from 'replisim';

const reply = (request, outcome) =>
  ({ kind: 'reply', to: request.client, seq: request.seq, outcome });

export default defineProtocol({
  name: 'single-copy',
  description: 'one copy of a KV store on the first replica, on disk before every reply',
  mutants: [{ name: 'single-copy:volatile', description: 'a crash forgets the whole store' }],
  client: { target: 'first', onTimeout: 'rotate' },
  survives: ['crash', 'partition', 'pause', 'clog', 'skew', 'slow', 'lossy', 'disk'],
  defaults: {},
  init: (id, config) => ({ id, home: config.replicas[0], store: emptyStore, replies: new Map(),
    volatile: config.mutant === 'single-copy:volatile' }),
  durable: (s) => (s.volatile ? null : { store: s.store, replies: s.replies }),
  describeMessage: () => 'none', // Nodes never message each other.
  step(s, ev) {
    if (ev.kind === 'restart') { // Every boot, including the first: reload what is on disk.
      const state = { ...s, store: ev.durable?.store ?? emptyStore,
        replies: ev.durable?.replies ?? new Map() };
      const role = { group: 'kv', role: 'leader', node: s.id };
      return { state, effects: s.id === s.home ? [{ kind: 'observe', label: 'role', data: role }]
        : [] };
    }
    if (ev.kind !== 'clientRequest') return { state: s, effects: [] };
    const request = ev.request;
    if (s.id !== s.home) {
      return { state: s, effects: [reply(request, { type: 'redirect', leader: s.home })] };
    }
    const cached = s.replies.get(request.client);
    if (cached !== undefined && cached.seq > request.seq) return { state: s, effects: [] };
    let state = s;
    let result = cached?.result;
    if (cached?.seq !== request.seq) { // A new request: execute it and remember the reply.
      const applied = kvApply(s.store, request.op);
      result = applied.result;
      state = { ...s, store: applied.store,
        replies: new Map(s.replies).set(request.client, { seq: request.seq, result }) };
    }
    // The reply waits for the disk (even a read's or a retry's: what it saw must survive).
    return { state, effects: [{ kind: 'persist', what: 'store' },
      reply(request, { type: 'done', result })] };
  },
});
