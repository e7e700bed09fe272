/**
 * Where output goes: with --json, stdout carries exactly one JSON document and all human text
 * goes to stderr; without it, human text goes to stdout.
 */
import type { ChalkInstance } from 'chalk';
import { makeChalk } from '../reports/style.js';

export interface Output {
  readonly json: boolean;
  /** Colours for the human stream. */
  readonly c: ChalkInstance;
  human(text: string): void;
  document(value: unknown): void;
}

export function makeOutput(json: boolean): Output {
  const stream = json ? process.stderr : process.stdout;
  return {
    json,
    c: makeChalk(stream),
    human: (text) => void stream.write(`${text}\n`),
    document: (value) => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
  };
}
