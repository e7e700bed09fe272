/**
 * The Redis that carries a swarm across machines (`explore --queue`, `worker --queue`). BullMQ
 * does the queueing, locking and stalled-job recovery; this file only turns the user's
 * `redis://HOST:PORT[/DB]` into a connection and fails in one line when Redis is not there
 * (ioredis would otherwise retry silently for ever).
 */
import type { Redis as RedisClient } from 'ioredis';
import { UsageError } from './errors.js';

/** One queue for every swarm on a Redis; batches carry their run's id in their job id. */
export const QUEUE_NAME = 'replisim-explore';

/** Plain connection fields, accepted by both BullMQ and ioredis. */
export interface RedisFields {
  readonly host: string; readonly port: number; readonly db: number;
  readonly password?: string; readonly username?: string;
  readonly maxRetriesPerRequest: null;
}

export interface RedisTarget {
  readonly url: string;
  readonly options: RedisFields;
}

export function parseRedisUrl(text: string): RedisTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--queue must be a URL like redis://127.0.0.1:6379, got "${text}"`);
  }
  if (url.protocol !== 'redis:') throw new UsageError(`--queue must be a redis:// URL, ` +
    `got "${text}"`);
  const port = url.port === '' ? 6379 : Number(url.port);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new UsageError(`--queue: database must be a ` +
    `non-negative integer, got "${url.pathname.slice(1)}"`);
  const options: RedisFields = {
    host: url.hostname === '' ? '127.0.0.1' : url.hostname, port, db,
    ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
    ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
    // BullMQ's blocking commands must not give up (its documented requirement for workers).
    maxRetriesPerRequest: null,
  };
  return { url: `redis://${options.host}:${port}/${db}`, options };
}

/** Connects once without retries, so an absent or refusing Redis is a clear usage error. */
export async function assertReachable(target: RedisTarget): Promise<void> {
  // Loaded here, not at startup: only `--queue` needs a Redis client (≈ 0.1 CPU-s to load).
  const { Redis } = await import('ioredis');
  const probe: RedisClient = new Redis({ ...target.options, lazyConnect: true, connectTimeout: 5000,
    retryStrategy: () => null, maxRetriesPerRequest: 0 });
  // ioredis rejects with "Connection is closed"; the socket's own error names the cause.
  let cause: unknown = null;
  probe.on('error', (error: unknown) => { cause ??= error; });
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const e = (cause ?? error) as NodeJS.ErrnoException;
    const why = e.code ?? e.message;
    throw new UsageError(`cannot reach Redis at ${target.url}: ${why}`);
  } finally {
    probe.disconnect();
  }
}
