/**
 * Writers for a recorded client history, next to the readers: native JSON
 * (`replisim/history@1`), Jepsen EDN (one `{:process …, :type …, :f …}` map per line, as
 * Knossos and Jepsen's checkers read) and Porcupine's kv log. Each output reads back with
 * `parseHistory` to the same operations, except where a format cannot say something (below);
 * docs/histories.md describes the formats.
 *
 * Jepsen's conventions: events in time order, an invocation and its completion share a
 * `:process`; a process whose op ended `:info` (indefinite) never invokes again, so the client's
 * later ops take a fresh process number (as Jepsen's workers do after a crash). A failed CAS is
 * `:fail` there (Jepsen's "did not happen"), so the read constraint the native format keeps for
 * it is lost in EDN. Porcupine's kv log has no CAS at all: `porcupineKvText` refuses one.
 */
import type { KvOp } from '../../protocol/kv-types.js';
import type { History, HistoryOp } from '../../simulator/history.js';

/** The native history as a JSON text (what `lincheck` reads without `--format`). */
export function nativeHistoryText(history: History): string {
  return `${JSON.stringify({ schema: history.schema, ops: history.ops }, null, 1)}\n`;
}

interface EdnEvent {
  readonly time: number;
  /** Order within one instant: see `ednLines`. */
  readonly phase: 0 | 1 | 2 | 3 | 4;
  readonly id: number;
  readonly text: string;
}

const str = (s: string): string => JSON.stringify(s);

function fAndValue(input: KvOp): { f: string; value: string } {
  switch (input.type) {
    case 'get': return { f: 'get', value: 'nil' };
    case 'put': return { f: 'put', value: str(input.value) };
    case 'append': return { f: 'append', value: str(input.value) };
    case 'cas': return { f: 'cas', value: `[${str(input.expected)} ${str(input.value)}]` };
  }
}

function completion(op: HistoryOp): { type: string; value: string | null } {
  if (op.status === 'info') return { type: 'info', value: null };
  if (op.status === 'fail' || (op.input.type === 'cas' && op.output?.ok === false)) {
    return { type: 'fail', value: null };
  }
  if (op.input.type === 'get') return { type: 'ok', value: str(op.output?.value ?? '') };
  return { type: 'ok', value: null };
}

/** Jepsen process numbers: a client's own number until one of its ops ends indefinite. */
function processes(history: History): Map<number, number> {
  const clients = [...new Set(history.ops.map((o) => o.client))];
  const next = new Map(clients.map((c, i) => [c, i]));
  const of = new Map<number, number>();
  for (const op of [...history.ops].sort((a, b) => a.call - b.call || a.id - b.id)) {
    const p = next.get(op.client)!;
    of.set(op.id, p);
    if (op.status === 'info') next.set(op.client, p + clients.length);
  }
  return of;
}

/**
 * Jepsen EDN, one map per line with `:time` in nanoseconds of simulated time. Indefinite ops
 * complete `:info` at the end of the history.
 */
export function jepsenEdnText(history: History): string {
  return ednLines(history, true);
}

function ednLines(history: History, withTime: boolean): string {
  const end = Math.max(0, ...history.ops.map((o) => o.return ?? o.call));
  const proc = processes(history);
  const events: EdnEvent[] = [];
  const time = (t: number): string => (withTime ? `, :time ${t * 1000}` : '');
  // Within one instant, closed intervals that touch overlap, so invocations come before
  // completions (0 before 3); but a process that completes and invokes again in that instant
  // must complete first (1, then 2), still before the others' completions. `:info` completions
  // of indefinite ops close the history (4).
  const ends = new Set(history.ops.filter((o) => o.status !== 'info' && o.return !== undefined)
    .map((o) => `${proc.get(o.id)}@${o.return}`));
  const calls = new Set(history.ops.map((o) => `${proc.get(o.id)}@${o.call}`));
  for (const op of history.ops) {
    const { f, value } = fAndValue(op.input);
    const head = `{:process ${proc.get(op.id)}, :type`;
    const key = `:f :${f}, :key ${str(op.input.key)}`;
    const again = ends.has(`${proc.get(op.id)}@${op.call}`);
    events.push({ time: op.call, phase: again ? 2 : 0, id: op.id,
      text: `${head} :invoke, ${key}, :value ${value}${time(op.call)}}` });
    const done = completion(op);
    const at = op.status === 'info' ? end : op.return ?? end;
    const phase = op.status === 'info' ? 4 : calls.has(`${proc.get(op.id)}@${at}`) ? 1 : 3;
    events.push({ time: at, phase, id: op.id,
      text: `${head} :${done.type}, ${key}, :value ${done.value ?? value}${time(at)}}` });
  }
  events.sort((a, b) => a.time - b.time || a.phase - b.phase || a.id - b.id);
  return events.map((e) => `${e.text}\n`).join('');
}

/** Thrown when a history holds what Porcupine's kv log cannot express (a CAS). */
export class UnwritableHistoryError extends Error {}

/** Porcupine's kv log (its `test_data/kv` files): get/put/append only, no `:time`. */
export function porcupineKvText(history: History): string {
  const cas = history.ops.find((o) => o.input.type === 'cas');
  if (cas !== undefined) {
    throw new UnwritableHistoryError(`op #${cas.id} is a cas, which Porcupine's kv log ` +
      'format cannot express (use the native or Jepsen EDN history)');
  }
  return ednLines(history, false);
}
