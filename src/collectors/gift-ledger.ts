// Douyin sends a combo gift again and again with a rising repeat_count under one group_id, then
// (usually) once more with repeat_end. Counting each message would count a combo many times; the
// ledger turns the stream into deltas so every gift is counted exactly once.
import type { GiftEvent } from '../domain/events.ts';

export interface GiftLedgerOptions {
  /** A combo with no message for this long is final even without repeat_end. */
  idleMs?: number;
  /** Finished combos remembered so a late repeat never counts again. */
  finishedCapacity?: number;
  now?: () => number;
}

interface ComboCount {
  repeatCount: number;
  totalCount: number;
}

interface ComboState extends ComboCount {
  template: GiftEvent;
  lastSeenAt: number;
}

export class GiftLedger {
  private readonly open = new Map<string, ComboState>();
  /** Finished combos by key, oldest first, with the counts they finished at. */
  private readonly finished = new Map<string, ComboCount>();
  private readonly idleMs: number;
  private readonly finishedCapacity: number;
  private readonly now: () => number;

  constructor(options: GiftLedgerOptions = {}) {
    this.idleMs = options.idleMs ?? 15_000;
    this.finishedCapacity = options.finishedCapacity ?? 50_000;
    this.now = options.now ?? Date.now;
  }

  /** The event with phase, delta and running totals corrected for its combo. */
  apply(event: GiftEvent): GiftEvent {
    const key = comboKey(event);
    const perSend = Math.max(event.groupCount, 1);
    const sends = Math.max(event.repeatCount, 1);
    if (key === null) return withTotals(event, 'FINAL', sends * perSend, sends * perSend);

    const open = this.open.get(key);
    const done = open === undefined ? this.finished.get(key) : undefined;
    const previous = open ?? done;
    const previousSends = previous?.repeatCount ?? 0;
    // An out-of-order smaller count adds nothing: the larger one already counted it.
    const newSends = Math.max(sends - previousSends, 0);
    const repeatCount = Math.max(sends, previousSends);
    const totalCount = (previous?.totalCount ?? 0) + newSends * perSend;
    const delta = newSends * perSend;

    // A late echo of a finished combo (repeat_end again, or an old count) adds nothing.
    if (done !== undefined && newSends === 0) return withTotals(event, 'FINAL', 0, totalCount);
    if (event.repeatEnd) {
      this.open.delete(key);
      this.markFinished(key, { repeatCount, totalCount });
      return withTotals(event, 'FINAL', delta, totalCount);
    }
    // A higher count for a combo the idle timeout already finalised: the sender went on, so the
    // combo is open again and only the new sends count.
    this.finished.delete(key);
    this.open.set(key, { template: event, repeatCount, totalCount, lastSeenAt: this.now() });
    return withTotals(event, previous === undefined ? 'STARTED' : 'PROGRESS', delta, totalCount);
  }

  /**
   * Rebuilds combo state from gifts already counted before this ledger existed (stored before a
   * restart, or before the room's collector last stopped), emitting nothing: a combo that goes on
   * then adds only its new sends instead of counting its earlier ones a second time.
   */
  seed(counted: readonly GiftEvent[]): void {
    for (const event of counted) {
      const key = comboKey(event);
      if (key === null) continue;
      if (event.id.startsWith(IDLE_FINAL_PREFIX)) {
        this.open.delete(key);
        this.markFinished(key, { repeatCount: event.repeatCount, totalCount: event.totalCount });
        continue;
      }
      this.apply(event);
      const state = this.open.get(key);
      if (state !== undefined) state.lastSeenAt = event.createdAt;
    }
    // A combo idle for longer than idleMs by its own clock is over; its FINAL was sent back then
    // or is lost with the old process, and a new one now would arrive long after the fact.
    const cutoff = this.now() - this.idleMs;
    for (const [key, state] of this.open) {
      if (state.lastSeenAt > cutoff) continue;
      this.open.delete(key);
      this.markFinished(key, state);
    }
  }

  /**
   * Finalises combos idle for longer than idleMs (Douyin sometimes never sends repeat_end):
   * one FINAL event each, adding nothing, so consumers learn the combo's final total.
   */
  sweep(): GiftEvent[] {
    const cutoff = this.now() - this.idleMs;
    const finals: GiftEvent[] = [];
    for (const [key, state] of this.open) {
      if (state.lastSeenAt > cutoff) continue;
      this.open.delete(key);
      this.markFinished(key, state);
      finals.push(idleFinal(key, state, this.now()));
    }
    return finals;
  }

  /** Finalises every open combo, e.g. when the room ends. */
  flush(): GiftEvent[] {
    const finals = [...this.open].map(([key, state]) => idleFinal(key, state, this.now()));
    for (const [key, state] of this.open) this.markFinished(key, state);
    this.open.clear();
    return finals;
  }

  get openCombos(): number {
    return this.open.size;
  }

  private markFinished(key: string, counts: ComboCount): void {
    this.finished.delete(key);
    this.finished.set(key, { repeatCount: counts.repeatCount, totalCount: counts.totalCount });
    if (this.finished.size > this.finishedCapacity) {
      const oldest = this.finished.keys().next().value;
      if (oldest !== undefined) this.finished.delete(oldest);
    }
  }
}

const IDLE_FINAL_PREFIX = 'combo-final:';

function comboKey(event: GiftEvent): string | null {
  if (!event.gift.combo || event.groupId === '0') return null;
  return `${event.roomId}:${event.user?.id ?? '0'}:${event.gift.id}:${event.groupId}`;
}

function withTotals(event: GiftEvent, phase: GiftEvent['phase'], deltaCount: number, totalCount: number): GiftEvent {
  return { ...event, phase, deltaCount, totalCount, totalDiamonds: totalCount * event.gift.diamondCount };
}

function idleFinal(key: string, state: ComboState, now: number): GiftEvent {
  return {
    ...withTotals(state.template, 'FINAL', 0, state.totalCount),
    // A combo that went on after an idle final finishes again with a larger total: a new id.
    id: `${IDLE_FINAL_PREFIX}${key}:${state.totalCount}`,
    repeatCount: state.repeatCount,
    repeatEnd: false,
    createdAt: now,
    cursor: null,
  };
}
