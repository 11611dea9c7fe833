// Douyin re-pushes some messages (about 2.4% of chats, protocol §6.3) and replays recent ones
// after a reconnect with an older cursor: remember the last N ids and let each through once.

export class DedupWindow {
  private readonly seen = new Set<string>();
  private readonly order: string[];
  private next = 0;

  constructor(readonly capacity = 10_000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('dedup capacity must be a positive integer');
    this.order = new Array<string>(capacity);
  }

  /** Whether the id was already let through (without admitting it). */
  has(id: string): boolean {
    return this.seen.has(id);
  }

  /** True the first time an id is offered within the window, false for a repeat. */
  admit(id: string): boolean {
    if (this.seen.has(id)) return false;
    const evicted = this.order[this.next];
    if (evicted !== undefined) this.seen.delete(evicted);
    this.order[this.next] = id;
    this.next = (this.next + 1) % this.capacity;
    this.seen.add(id);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}
