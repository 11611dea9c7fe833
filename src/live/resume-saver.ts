// Saves each room's upstream resume point once the events before it are stored: the first at once,
// then at most once per interval per room (the newest wins). After a crash the gateway resumes from a point at most one
// interval old: the upstream re-sends a little, and the store's idempotence drops the repeats.
import type { ResumePoint, SavedResumePoint } from '../domain/resume-point.ts';

export interface ResumeSaverOptions {
  /** `epoch`: the lease the point was read under (null: unfenced); a stale one is refused by the store. */
  save(roomId: string, point: SavedResumePoint, epoch: number | null): Promise<void>;
  intervalMs?: number;
  now?: () => number;
  onError?: (error: unknown) => void;
}

export class ResumeSaver {
  private readonly pending = new Map<string, { point: SavedResumePoint; epoch: number | null }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly lastWrite = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: ResumeSaverOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * The room's events up to `point` are stored: remember it, and write it now if the room's last
   * write is an interval old (so a collector that dies in its first second still leaves a point
   * to take over from), else at the end of that interval.
   */
  stored(roomId: string, point: ResumePoint, epoch: number | null = null): void {
    this.pending.set(roomId, { point: { cursor: point.cursor, internalExt: point.internalExt, at: this.now() }, epoch });
    if (this.timers.has(roomId)) return;
    const intervalMs = this.options.intervalMs ?? 1_000;
    const sinceLast = this.now() - (this.lastWrite.get(roomId) ?? Number.NEGATIVE_INFINITY);
    if (sinceLast >= intervalMs) this.write(roomId);
    const timer = setTimeout(() => {
      this.timers.delete(roomId);
      this.write(roomId);
    }, Math.min(intervalMs, Math.max(0, intervalMs - sinceLast)) || intervalMs);
    timer.unref();
    this.timers.set(roomId, timer);
  }

  /** Writes every pending point now (shutdown). */
  async flush(): Promise<void> {
    for (const [roomId, timer] of this.timers) {
      clearTimeout(timer);
      this.timers.delete(roomId);
      this.write(roomId);
    }
    await Promise.all([...this.inFlight]);
  }

  private write(roomId: string): void {
    const pending = this.pending.get(roomId);
    if (pending === undefined) return;
    this.pending.delete(roomId);
    this.lastWrite.set(roomId, this.now());
    const saving = this.options.save(roomId, pending.point, pending.epoch).catch((error: unknown) => this.options.onError?.(error));
    this.inFlight.add(saving);
    void saving.finally(() => this.inFlight.delete(saving));
  }
}
