/**
 * SMART's timers as a closed union, and the one encode / decode pair between them and the
 * simulator's timer names. The names are what the trace records and what a pending timer of the
 * same name is replaced by, so their spelling ("el:3") is part of the pinned traces.
 */

/** Per-configuration timers: each replica has at most one of each kind pending. */
export type ReplicaTimer = {
  /** Suspicion of the leader, heartbeats, telling the successor, writing to the repository. */
  readonly kind: 'election' | 'heartbeat' | 'finished' | 'repository';
  readonly cfg: number;
};

/** Machine-wide: execution resumes once the final-state checkpoint is saved. */
export type ExecutionTimer = { readonly kind: 'execution' };

export type SmartTimer = ReplicaTimer | ExecutionTimer;

const PREFIX: Readonly<Record<SmartTimer['kind'], string>> = {
  election: 'el', heartbeat: 'hb', finished: 'fin', repository: 'repo', execution: 'exec',
};

const KIND_OF: ReadonlyMap<string, SmartTimer['kind']> = new Map(
  Object.entries(PREFIX).map(([kind, prefix]) => [prefix, kind as SmartTimer['kind']]),
);

/** The execution timer has no configuration; its name keeps the "prefix:number" shape. */
const EXECUTION_NAME = `${PREFIX.execution}:0`;

export function encodeTimer(timer: SmartTimer): string {
  if (timer.kind === 'execution') return EXECUTION_NAME;
  return `${PREFIX[timer.kind]}:${timer.cfg}`;
}

const NAME = /^([a-z]+):(0|[1-9][0-9]*)$/;

/** The timer `encodeTimer` named `name`, or null for a name it never produces. */
export function decodeTimer(name: string): SmartTimer | null {
  if (name === EXECUTION_NAME) return { kind: 'execution' };
  const match = NAME.exec(name);
  if (match === null) return null;
  const kind = KIND_OF.get(match[1]!);
  if (kind === undefined || kind === 'execution') return null;
  return { kind, cfg: Number(match[2]) };
}
