// One interval for all the sockets of a server instead of a timer or two per socket: each
// idle graphql-ws client kept a keep-alive interval and graphql-ws' own connection_init
// timeout (retained after it fired), with their closures, for as long as it stayed connected.
// Members are told the time at every tick and keep their own deadlines, so a deadline is met
// within one tick after it passes.

/** What a SharedClock drives. */
export interface Ticking {
  tick(now: number): void;
}

export class SharedClock<T extends Ticking> {
  private readonly members = new Set<T>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    /** Time between ticks. */
    readonly everyMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.members.size;
  }

  /** The interval runs (unref'd) only while there are members. */
  add(member: T): void {
    this.members.add(member);
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.tick(), this.everyMs);
    this.timer.unref();
  }

  delete(member: T): void {
    this.members.delete(member);
    if (this.members.size > 0 || this.timer === null) return;
    clearInterval(this.timer);
    this.timer = null;
  }

  /** Tells every member the time. */
  tick(): void {
    const now = this.now();
    // A member may leave while it ticks (a socket it closes): Set iteration allows that.
    for (const member of this.members) member.tick(now);
  }

  /** True while the interval is set (for tests: none is left behind). */
  get running(): boolean {
    return this.timer !== null;
  }
}
