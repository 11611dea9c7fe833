// Remembers the profiles the writer saved lately, so a viewer who chats fifty times is upserted
// once, not fifty times. A profile is written again when it changed or when its last write is
// older than refreshMs of event time (that keeps users.seen_at fresh enough for retention).
import type { User } from '../domain/model.ts';

interface Saved {
  profile: string;
  at: number;
}

export class SeenUsers {
  private readonly saved = new Map<string, Saved>();

  constructor(
    private readonly maxEntries = 50_000,
    private readonly refreshMs = 3_600_000,
  ) {}

  /** The users that need writing as seen at `at`; remembers them as written. */
  takeChanged(users: readonly User[], at: number): User[] {
    const changed: User[] = [];
    for (const user of users) {
      const profile = JSON.stringify(user);
      const last = this.saved.get(user.id);
      if (last !== undefined && last.profile === profile && at - last.at < this.refreshMs) continue;
      changed.push(user);
      // Re-inserting moves the id to the newest end, so eviction drops the longest-unseen first.
      this.saved.delete(user.id);
      this.saved.set(user.id, { profile, at });
    }
    while (this.saved.size > this.maxEntries) this.saved.delete(this.saved.keys().next().value as string);
    return changed;
  }

  /** Forget users whose write failed, so the next sighting retries them. */
  forget(users: readonly User[]): void {
    for (const user of users) this.saved.delete(user.id);
  }

  get size(): number {
    return this.saved.size;
  }
}
