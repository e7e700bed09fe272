import { MalformedHistoryError } from '../linearizability/errors.js';
import { parseEdnHistory } from './jepsen-edn.js';
import { parseJepsenLog } from './jepsen-log.js';
import { parseNative } from './native.js';
import { parsePorcupineKv } from './porcupine-kv.js';
import type { FormatName, ParsedHistory } from './types.js';

export type { FormatName, ParsedHistory } from './types.js';
export { fromNativeHistory, nativeOperations, NATIVE_SCHEMA } from './native.js';
export { parseEdnHistory } from './jepsen-edn.js';
export { parseJepsenLog } from './jepsen-log.js';

const FORMATS: readonly FormatName[] = ['native', 'porcupine-kv', 'jepsen-etcd', 'edn'];
const ALIASES: Readonly<Record<string, FormatName>> = {
  json: 'native',
  kv: 'porcupine-kv',
  porcupine: 'porcupine-kv',
  jepsen: 'jepsen-etcd',
  'jepsen-log': 'jepsen-etcd',
  etcd: 'jepsen-etcd',
  knossos: 'edn',
  'jepsen-edn': 'edn',
};

/** The format names accepted by `parseHistory` (aliases excluded). */
export function formatNames(): string[] {
  return [...FORMATS];
}

/** Resolves a format name or alias; `undefined` when unknown. */
export function resolveFormat(name: string): FormatName | undefined {
  const lower = name.toLowerCase();
  return FORMATS.find((f) => f === lower) ?? ALIASES[lower];
}

const PORCUPINE_KV_LINE = /^\{:process \d+, :type :\w+, :f :\w+, :key "/;

/** Guesses the format from the content; `empty` for a blank text, `undefined` if unrecognised. */
export function detectFormat(text: string): FormatName | 'empty' | undefined {
  const start = text.search(/\S/);
  if (start < 0) return 'empty';
  const firstLine = text.slice(start, (text.indexOf('\n', start) + 1 || text.length + 1) - 1);
  if (/^\{\s*"/.test(text.slice(start, start + 64))) return 'native';
  if (/^(INFO|WARN|WARNING|DEBUG|ERROR|TRACE|FATAL)\b/.test(firstLine)) return 'jepsen-etcd';
  if (PORCUPINE_KV_LINE.test(firstLine)) return 'porcupine-kv';
  if (/^[{[(;#]/.test(firstLine)) return 'edn';
  return undefined;
}

/**
 * Parses a history text. `format` forces a format; otherwise it is detected from the content.
 * An empty (or blank) text is an empty history whatever the format.
 * @throws MalformedHistoryError with a line number when the text is not a valid history.
 */
export function parseHistory(text: string, format?: FormatName): ParsedHistory {
  if (text.trim() === '') return { format: 'empty', kind: 'empty', ops: [], invocations: 0 };
  const chosen = format ?? detectFormat(text);
  switch (chosen) {
    case 'native':
      return parseNative(text);
    case 'porcupine-kv':
      return parsePorcupineKv(text);
    case 'edn':
      return parseEdnHistory(text);
    case 'jepsen-etcd':
      return parseJepsenLog(text);
    case 'empty':
      return { format: 'empty', kind: 'empty', ops: [], invocations: 0 };
    case undefined:
      throw new MalformedHistoryError(
        'unrecognised history format (expected native JSON, a Jepsen log or EDN maps)',
        { line: 1 },
      );
  }
}
