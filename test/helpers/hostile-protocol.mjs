// A deliberately hostile protocol for the reliability tests, loaded through REPLISIM_PROTOCOLS
// (plain JavaScript, so the built CLI and its worker threads can import it). On some seeds the
// first client request makes its step exit the thread, loop forever or exhaust memory; the
// choice is `now % 8` of that request (drawn from the seed's workload), so it is deterministic.
// `mode` pins one behaviour for every seed ("exit", "loop", "oom"), "mixed" picks per seed,
// "none" never misbehaves; "ghost" sends to a node that does not exist, "nan" sets a timer
// for a NaN deadline, "kind" emits an effect of a misspelt kind and "junk" an effect that is a
// bare string (all the protocol's bugs: findings, not internal errors).

const misbehave = (how) => {
  if (how === 'exit') process.exit(3);
  if (how === 'loop') for (;;) { /* a step that never returns */ }
  if (how === 'oom') {
    const hog = [];
    for (;;) hog.push(new Array(1 << 20).fill(hog.length + 0.5));
  }
};

const kinds = ['exit', 'loop', 'oom', 'none', 'none', 'none', 'none', 'none'];

// A single-copy KV at the first replica (clients target it), so good seeds pass every check.
const apply = (store, op) => {
  const old = store[op.key] ?? '';
  if (op.type === 'get') return { store, result: { ok: true, value: old } };
  if (op.type === 'put') return { store: { ...store, [op.key]: op.value }, result: { ok: true } };
  if (op.type === 'append') {
    return { store: { ...store, [op.key]: old + op.value }, result: { ok: true } };
  }
  if (old !== op.expected) return { store, result: { ok: false, value: old } };
  return { store: { ...store, [op.key]: op.value }, result: { ok: true } };
};

export const hostile = {
  name: 'hostile',
  description: 'test protocol: exits, hangs or exhausts memory on some seeds',
  mutants: [],
  client: { target: 'first', onTimeout: 'rotate' },
  // Only faults a single copy survives, so a calm run never violates anything.
  survives: ['skew'],
  defaults: { mode: 'mixed' },
  init: (id, config) => ({ id, mode: String(config.params.mode), armed: true, store: {} }),
  durable: () => null,
  describeMessage: () => 'Nothing',
  step(s, ev) {
    if (ev.kind === 'clientRequest') {
      if (s.armed && s.mode === 'ghost') {
        return { state: s, effects: [{ kind: 'send', to: 'ghost', msg: {} }] };
      }
      if (s.armed && s.mode === 'kind') {
        return { state: s, effects: [{ kind: 'cancelTimr', timer: 'soon' }] };
      }
      if (s.armed && s.mode === 'junk') return { state: s, effects: ['Stryker was here'] };
      if (s.armed && s.mode === 'nan') {
        return { state: s, effects: [{ kind: 'setTimer', timer: 'soon', at: ev.now + NaN }] };
      }
      if (s.armed) {
        misbehave(s.mode === 'mixed' ? kinds[ev.now % 8] : s.mode);
      }
      const { store, result } = apply(s.store, ev.request.op);
      return { state: { ...s, armed: false, store }, effects: [{ kind: 'reply',
        to: ev.request.client, seq: ev.request.seq, outcome: { type: 'done', result } }] };
    }
    return { state: s, effects: [] };
  },
};
