// An append-only list that keeps only its newest `capacity` entries, in O(1) per append.

export class BoundedLog<T> {
  private items: T[] = [];
  private start = 0;
  private evictedCount = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  push(item: T): void {
    this.items.push(item);
    if (this.items.length - this.start > this.capacity) {
      this.start++;
      this.evictedCount++;
      // Compact now and then so the array does not grow without bound.
      if (this.start >= this.capacity) {
        this.items = this.items.slice(this.start);
        this.start = 0;
      }
    }
  }

  get size(): number {
    return this.items.length - this.start;
  }

  /** Entries dropped to stay within capacity. */
  get evicted(): number {
    return this.evictedCount;
  }

  toArray(): T[] {
    return this.items.slice(this.start);
  }

  first(): T | undefined {
    return this.items[this.start];
  }

  /** The newest entries after the last one for which `stop` is true, oldest first. */
  tailWhile(stop: (item: T) => boolean): T[] {
    const out: T[] = [];
    for (let i = this.items.length - 1; i >= this.start; i--) {
      const item = this.items[i] as T;
      if (stop(item)) break;
      out.push(item);
    }
    return out.reverse();
  }

  clear(): void {
    this.items = [];
    this.start = 0;
  }
}
