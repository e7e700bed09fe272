/**
 * A history that cannot be checked because it is not a well-formed history (a harness or input
 * bug: return before call, duplicate id, unparsable line). Never a verdict: keep it apart from
 * "not linearizable", which is a protocol bug.
 */
export class MalformedHistoryError extends Error {
  /** 1-based line in the source file, when known. */
  readonly line: number | undefined;
  /** Operation id or index, when known. */
  readonly op: number | undefined;
  readonly reason: string;

  constructor(reason: string, where: { line?: number; op?: number } = {}) {
    const parts: string[] = [];
    if (where.line !== undefined) parts.push(`line ${where.line}`);
    if (where.op !== undefined) parts.push(`op ${where.op}`);
    super(parts.length > 0 ? `${parts.join(', ')}: ${reason}` : reason);
    this.name = 'MalformedHistoryError';
    this.line = where.line;
    this.op = where.op;
    this.reason = reason;
  }
}
