// Holds one socket's writes until the end of the current tick, so a burst of frames leaves in
// one write call instead of one system call per frame. Bursts are the common case: the store
// commits events in batches and publishes each batch at once, and one push frame from Douyin
// carries many messages. Only a socket with nothing pending is held, and never past
// `maxHeldBytes`, so after a flush the socket's buffered amount is still only what the kernel
// did not take: the measure the slow-consumer bound needs.

/** The part of a net.Socket (or any Writable) the coalescer drives. */
export interface CorkableStream {
  cork(): void;
  uncork(): void;
  readonly writableLength: number;
  readonly destroyed: boolean;
}

export class WriteCoalescer {
  private holding = false;

  constructor(
    private readonly stream: CorkableStream,
    private readonly maxHeldBytes: number,
    /** Runs after each flush, when the buffered amount means "not taken by the kernel" again. */
    private readonly onFlush: (() => void) | null = null,
  ) {}

  /** True while writes are being held for the end of the tick. */
  get held(): boolean {
    return this.holding;
  }

  /** Call before writing a frame. */
  beforeWrite(): void {
    if (this.holding || this.stream.destroyed || this.stream.writableLength > 0) return;
    this.holding = true;
    this.stream.cork();
    // A tick queued from a promise chain runs once that chain has run dry: after the burst.
    process.nextTick(flushAtTickEnd, this);
  }

  /**
   * Call after writing a frame. True when the frame has gone to the socket (so the caller checks
   * the buffered amount now); false while it is held (onFlush reports it at the tick's end).
   */
  afterWrite(): boolean {
    if (!this.holding) return true;
    if (this.stream.writableLength < this.maxHeldBytes) return false;
    this.release();
    return true;
  }

  flush(): void {
    if (!this.holding) return;
    this.release();
    this.flushed();
  }

  /**
   * Runs onFlush. A subclass may override it instead: a graphql-ws Connection is its socket's
   * coalescer, one object per socket rather than two and a closure.
   */
  protected flushed(): void {
    this.onFlush?.();
  }

  private release(): void {
    this.holding = false;
    this.stream.uncork();
  }
}

/** One function for every coalescer (nextTick passes the coalescer), not a closure kept per socket. */
function flushAtTickEnd(coalescer: WriteCoalescer): void {
  coalescer.flush();
}
