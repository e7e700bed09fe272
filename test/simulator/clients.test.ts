/** The closed-loop client's redirects: numbered ones older than what it follows are ignored. */
import { describe, expect, it } from 'vitest';
import type { ClientRequest, ReplyOutcome } from '../../protocol/types.js';
import { SimClient, type ClientHost } from '../../simulator/clients.js';
import { HistoryRecorder } from '../../simulator/history-recorder.js';
import { createPrng } from '../../simulator/prng.js';
import { probeScenario } from '../helpers/scenario.js';

/** A client of n1..n3 whose sends and retries are written down instead of simulated. */
function client(): { c: SimClient; sent: string[]; retries: number[] } {
  const sent: string[] = [];
  const retries: number[] = [];
  const host: ClientHost = {
    sendRequest: (_c: number, to: string, _r: ClientRequest) => { sent.push(to); },
    wakeAt: () => undefined,
    timeoutAt: () => undefined,
    retryAt: (_c: number, _at: number, _seq: number, attempt: number) => { retries.push(attempt); },
    note: () => undefined,
    timedOut: () => undefined,
    noteInvoke: () => undefined,
    noteReturn: () => undefined,
  };
  const spec = probeScenario({ clients: { count: 1 } }).clients;
  const c = new SimClient(0, 'c0', spec, { target: 'first', onTimeout: 'broadcast' },
    ['n1', 'n2', 'n3'], createPrng(1), host, new HistoryRecorder(), 1e9, null);
  return { c, sent, retries };
}

const toCfg2: ReplyOutcome = { type: 'redirect', leader: 'n4', members: ['n4', 'n5'], config: 2 };

describe('client redirects', () => {
  it('follow a newer configuration, then ignore an older one', () => {
    const { c, sent, retries } = client();
    c.wake(0);
    c.onReply(1, toCfg2, 10);
    c.onRetry(1, retries[0]!, 20);
    expect(sent).toEqual(['n1', 'n4']);
    c.onReply(1, { type: 'redirect', leader: 'n2', members: ['n1', 'n2', 'n3'], config: 1 }, 30);
    expect(retries).toEqual([1]); // No resend: the timeout stays in charge.
  });

  it('without a number the stale redirect would send it back to the old members', () => {
    const { c, sent, retries } = client();
    c.wake(0);
    c.onReply(1, toCfg2, 10);
    c.onRetry(1, retries[0]!, 20);
    c.onReply(1, { type: 'redirect', leader: 'n2', members: ['n1', 'n2', 'n3'] }, 30);
    c.onRetry(1, retries[1]!, 40);
    expect(sent).toEqual(['n1', 'n4', 'n2']);
  });
});
