import { MalformedHistoryError } from '../linearizability/errors.js';
import { oneLine } from './json-bounds.js';

/** An EDN keyword such as `:invoke` (the name is stored without the colon). */
export class Keyword {
  constructor(readonly name: string) {}
}

/** An EDN symbol other than nil/true/false. */
export class Sym {
  constructor(readonly name: string) {}
}

/** An EDN map with the line of its opening brace. Keyword keys are looked up by name. */
export class EdnMap {
  private readonly byKeyword = new Map<string, EdnValue>();
  constructor(
    readonly line: number,
    entries: readonly (readonly [EdnValue, EdnValue])[],
  ) {
    for (const [key, value] of entries) {
      if (key instanceof Keyword) this.byKeyword.set(key.name, value);
    }
  }

  has(name: string): boolean {
    return this.byKeyword.has(name);
  }

  get(name: string): EdnValue | undefined {
    return this.byKeyword.get(name);
  }
}

/** A vector, list or set, with the line of its opening bracket. */
export class EdnSeq {
  constructor(
    readonly line: number,
    readonly items: readonly EdnValue[],
    readonly lines: readonly number[],
  ) {}
}

export type EdnValue = null | boolean | number | string | Keyword | Sym | EdnMap | EdnSeq;

/** Histories nest a few levels; far below what overflows the recursive reader's stack. */
export const MAX_EDN_DEPTH = 200;

const DELIMITERS = new Set([
  ' ', '\t', '\n', '\r', '\f', ',', '(', ')', '[', ']', '{', '}', '"', ';',
]);

/**
 * A small EDN reader: maps, vectors, lists, sets, strings, numbers, keywords, symbols,
 * nil/true/false, comments, `#_` discard and tagged literals (the tag is dropped).
 */
class Reader {
  private pos = 0;
  private depth = 0;
  line = 1;

  constructor(private readonly text: string) {}

  private fail(reason: string, line = this.line): never {
    throw new MalformedHistoryError(reason, { line });
  }

  /** Skips whitespace, commas, comments and discarded forms; true when input remains. */
  skip(): boolean {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text[this.pos] as string;
      if (c === '\n') {
        this.line++;
        this.pos++;
      } else if (c === ' ' || c === '\t' || c === '\r' || c === ',' || c === '\f') {
        this.pos++;
      } else if (c === ';') {
        while (this.pos < text.length && text[this.pos] !== '\n') this.pos++;
      } else if (c === '#' && text[this.pos + 1] === '_') {
        this.pos += 2;
        this.read();
      } else {
        return true;
      }
    }
    return false;
  }

  /** One form; nesting (collections, tags, discards) is bounded so the reader's stack is. */
  read(): EdnValue {
    if (++this.depth > MAX_EDN_DEPTH) this.fail(`forms nested deeper than ${MAX_EDN_DEPTH}`);
    try {
      return this.readForm();
    } finally {
      this.depth--;
    }
  }

  private readForm(): EdnValue {
    if (!this.skip()) this.fail('unexpected end of input');
    const text = this.text;
    const c = text[this.pos] as string;
    const line = this.line;
    if (c === '{') {
      this.pos++;
      const items = this.readUntil('}', line);
      if (items.items.length % 2 !== 0) this.fail('map literal has an odd number of forms', line);
      const entries: [EdnValue, EdnValue][] = [];
      for (let i = 0; i < items.items.length; i += 2) {
        entries.push([items.items[i] as EdnValue, items.items[i + 1] as EdnValue]);
      }
      return new EdnMap(line, entries);
    }
    if (c === '[') {
      this.pos++;
      return this.readUntil(']', line);
    }
    if (c === '(') {
      this.pos++;
      return this.readUntil(')', line);
    }
    if (c === '#' && text[this.pos + 1] === '{') {
      this.pos += 2;
      return this.readUntil('}', line);
    }
    if (c === '#') {
      this.pos++;
      this.readToken();
      return this.read();
    }
    if (c === '"') return this.readString();
    if (c === ')' || c === ']' || c === '}') this.fail(`unexpected '${c}'`);
    if (c === '\\') {
      this.pos++;
      return this.readToken();
    }
    return this.atom(this.readToken(), line);
  }

  private readUntil(close: string, line: number): EdnSeq {
    const items: EdnValue[] = [];
    const lines: number[] = [];
    const open = close === '}' ? '{' : close === ']' ? '[' : '(';
    for (;;) {
      if (!this.skip()) this.fail(`unclosed '${open}'`, line);
      const c = this.text[this.pos];
      if (c === close) {
        this.pos++;
        return new EdnSeq(line, items, lines);
      }
      if (c === ')' || c === ']' || c === '}') this.fail(`unexpected '${c}' (expected '${close}')`);
      lines.push(this.line);
      items.push(this.read());
    }
  }

  private readToken(): string {
    const start = this.pos;
    const text = this.text;
    while (this.pos < text.length && !DELIMITERS.has(text[this.pos] as string)) this.pos++;
    return text.slice(start, this.pos);
  }

  private readString(): string {
    const text = this.text;
    const line = this.line;
    this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= text.length) this.fail('unterminated string', line);
      const c = text[this.pos] as string;
      this.pos++;
      if (c === '"') return out;
      if (c === '\n') this.line++;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = text[this.pos];
      this.pos++;
      if (e === 'n') out += '\n';
      else if (e === 't') out += '\t';
      else if (e === 'r') out += '\r';
      else if (e === 'u') {
        const hex = text.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape in string');
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += 4;
      } else if (e === undefined) this.fail('unterminated string', line);
      else out += e;
    }
  }

  private atom(token: string, line: number): EdnValue {
    if (token === 'nil') return null;
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (token.startsWith(':')) {
      if (token.length === 1) this.fail("a lone ':' is not a keyword", line);
      return new Keyword(token.slice(1));
    }
    if (/^[+-]?\d/.test(token)) {
      const m = /^([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)[NM]?$/.exec(token);
      if (m === null) this.fail(`bad number '${oneLine(token, 40)}'`, line);
      return Number(m[1]);
    }
    if (token.length === 0) {
      this.fail(`unexpected character '${oneLine(this.text[this.pos] ?? '')}'`, line);
    }
    return new Sym(token);
  }
}

/** Reads every top-level form of an EDN text, with the line where each form starts. */
export function readEdnForms(text: string): { forms: EdnValue[]; lines: number[] } {
  const reader = new Reader(text);
  const forms: EdnValue[] = [];
  const lines: number[] = [];
  while (reader.skip()) {
    lines.push(reader.line);
    forms.push(reader.read());
  }
  return { forms, lines };
}
