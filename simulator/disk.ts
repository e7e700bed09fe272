/**
 * Each node's disk: writes of `durable(state)` images that land after the disk's write time, in
 * issue order (a later write never lands before an earlier one, as with fsync), so a fact
 * stamped at a write's completion never precedes an earlier write's. A crash loses the writes in
 * flight; the disk keeps the image of the last one that landed.
 */
import { assert } from '../protocol/assert.js';
import type { EventLoop } from './event-loop.js';
import type { NodeRuntime } from './node-runtime.js';
import type { DiskEvent } from './sim-events.js';

export class Disks {
  constructor(private readonly loop: EventLoop, private readonly baseWriteUs: number) {}

  /** How long a write issued now on this node takes (the `disk` fault slows it). */
  writeUs(node: NodeRuntime): number {
    return this.baseWriteUs + node.diskSlowUs;
  }

  /** Issues a write of `image`; returns how long until it lands (0: it landed already). */
  write(node: NodeRuntime, image: unknown, diskUs: number): number {
    const now = this.loop.now;
    const write = ++node.writesIssued;
    const doneAt = Math.max(now + diskUs, node.diskFreeAt);
    node.diskFreeAt = doneAt;
    if (doneAt === now) {
      node.disk = image;
      node.writesDone = write;
      node.diskAsOf = now;
      return 0;
    }
    node.unsynced++;
    this.loop.schedule(doneAt, { k: 'disk', node: node.index, life: node.life, write, image,
      issuedAt: now });
    return doneAt - now;
  }

  landed(node: NodeRuntime, event: DiskEvent): void {
    if (event.life !== node.life) return; // The node crashed while the write was in flight.
    node.unsynced--;
    assert(node.unsynced >= 0, 'disk: more writes completed than issued');
    if (event.write < node.writesDone) return;
    node.disk = event.image;
    node.writesDone = event.write;
    node.diskAsOf = event.issuedAt;
  }

  /** The writes in flight are gone; a new life starts with an idle disk. */
  crashed(node: NodeRuntime): void {
    node.unsynced = 0;
    node.diskFreeAt = 0;
  }
}
