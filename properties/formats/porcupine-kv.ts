/**
 * A fast reader for Porcupine's kv logs (one `{:process 3, :type :ok, :f :get, :key "1",
 * :value "x 3 0 y"}` map per line). The general EDN reader builds a map object per event, which
 * made these files several times slower to read than the same history as native JSON. Lines of
 * the exact shape Porcupine writes are read by a cursor over the text; any other line
 * hands the whole file to the general reader, so the results and the errors are the same.
 */
import type { KvOp, KvResult } from '../../protocol/kv-types.js';
import type { Operation } from '../models/types.js';
import { parseEdnHistory } from './jepsen-edn.js';
import type { ParsedHistory } from './types.js';

const TYPES = ['invoke', 'ok', 'fail', 'info'] as const;
const FS = ['get', 'put', 'append'] as const;
type Type = (typeof TYPES)[number];
type F = (typeof FS)[number];

/** One event line, read by a cursor over the text (no per-line slice, no match arrays). */
class Cursor {
  pos = 0;
  line = 0;
  constructor(readonly text: string) {}

  lit(s: string): boolean {
    if (!this.text.startsWith(s, this.pos)) return false;
    this.pos += s.length;
    return true;
  }

  /** A non-negative integer without leading zeros (EDN reads "007" differently), or -1. */
  int(): number {
    const text = this.text;
    const start = this.pos;
    let n = 0;
    for (; this.pos < text.length && this.pos - start < 15; this.pos++) {
      const c = text.charCodeAt(this.pos) - 48;
      if (c < 0 || c > 9) break;
      n = n * 10 + c;
    }
    const digits = this.pos - start;
    return digits === 0 || (digits > 1 && text.charCodeAt(start) === 48) ? -1 : n;
  }

  word<W extends string>(words: readonly W[]): W | undefined {
    for (const w of words) {
      if (this.text.startsWith(w, this.pos) && this.text.charCodeAt(this.pos + w.length) === 44) {
        this.pos += w.length;
        return w;
      }
    }
    return undefined;
  }

  /** The rest of a string literal without escapes, or undefined. */
  str(): string | undefined {
    const end = this.text.indexOf('"', this.pos);
    if (end < 0) return undefined;
    const s = this.text.slice(this.pos, end);
    if (s.includes('\\') || s.includes('\n')) return undefined;
    this.pos = end + 1;
    return s;
  }

  /** Skips blanks to the end of the line; false if something else is there. */
  eol(): boolean {
    const text = this.text;
    for (; this.pos < text.length; this.pos++) {
      const c = text.charCodeAt(this.pos);
      if (c === 10) {
        this.pos++;
        return true;
      }
      if (c !== 32 && c !== 9 && c !== 13) return false;
    }
    return true;
  }
}

interface Open {
  readonly id: number;
  readonly line: number;
  readonly call: number;
  readonly input: KvOp;
}

export function parsePorcupineKv(text: string): ParsedHistory {
  return readFast(text) ?? parseEdnHistory(text, 'kv');
}

/** The history, or undefined when some line is not of the plain shape (or is wrong). */
function readFast(text: string): ParsedHistory | undefined {
  const open = new Map<string, Open>();
  const ops: Operation<KvOp, KvResult>[] = [];
  let invocations = 0;
  let time = 0;
  const cur = new Cursor(text);
  const clients: string[] = [];
  while (cur.pos < text.length) {
    cur.line++;
    const lineStart = cur.pos;
    if (cur.eol()) continue;
    cur.pos = lineStart;
    if (!cur.lit('{:process ')) return undefined;
    const process = cur.int();
    if (process < 0 || !cur.lit(', :type :')) return undefined;
    const type: Type | undefined = cur.word(TYPES);
    if (type === undefined || !cur.lit(', :f :')) return undefined;
    const f: F | undefined = cur.word(FS);
    if (f === undefined || !cur.lit(', :key "')) return undefined;
    const key = cur.str();
    if (key === undefined || !cur.lit(', :value ')) return undefined;
    let value: string | undefined;
    if (!cur.lit('nil')) {
      if (!cur.lit('"')) return undefined;
      value = cur.str();
      if (value === undefined) return undefined;
    }
    if (!cur.lit('}') || !cur.eol()) return undefined;
    const client = process < 4096 ? (clients[process] ??= String(process)) : String(process);
    const t = time++;
    if (type === 'invoke') {
      if (open.has(client)) return undefined;
      let input: KvOp;
      if (f === 'get') input = { type: 'get', key };
      else if (value === undefined) return undefined;
      else input = { type: f, key, value };
      open.set(client, { id: invocations++, line: cur.line, call: t, input });
      continue;
    }
    const pending = open.get(client);
    if (pending === undefined || pending.input.type !== f) return undefined;
    open.delete(client);
    if (type === 'fail') continue;
    const { id, input, call, line } = pending;
    if (type === 'info') {
      ops.push({ id, client, input, call, line, output: undefined, return: Infinity });
    } else {
      const output = f === 'get' ? { ok: true, value: value ?? '' } : { ok: true };
      ops.push({ id, client, input, call, line, output, return: t });
    }
  }
  for (const [client, p] of open) {
    ops.push({ id: p.id, client, input: p.input, output: undefined, call: p.call,
      return: Infinity, line: p.line });
  }
  ops.sort((a, b) => a.id - b.id);
  return { format: 'porcupine-kv', kind: 'kv', ops, invocations };
}
