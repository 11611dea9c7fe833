// Identical requests in flight share one upstream call: ten resolvers asking for the same room
// in the same moment cost Douyin one request. A finished call is forgotten at once (this is
// not a cache).

export class InFlight {
  private readonly pending = new Map<string, Promise<unknown>>();

  run<T>(key: string, call: () => Promise<T>): Promise<T> {
    const existing = this.pending.get(key);
    if (existing !== undefined) return existing as Promise<T>;
    const promise = call().finally(() => this.pending.delete(key));
    this.pending.set(key, promise);
    return promise;
  }

  get size(): number {
    return this.pending.size;
  }
}
