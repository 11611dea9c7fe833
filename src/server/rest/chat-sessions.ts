// Poll-based chat: one session per (caller, room) holding the caller's cursor into the room's
// stored history and a watch that keeps the room collected. The first poll starts collecting and
// returns the room's most recent stored messages (up to a page), as the vendor's first fetch
// did; every later poll returns what was stored after the caller's cursor and moves it. Polls of one session run one after another, so no message is returned
// twice. A session that is not polled for idleMs releases its watch (the cursor stays, so a
// returning caller resumes); the least recently polled sessions are dropped beyond maxSessions.
import type { RoomEvent } from '../../domain/events.ts';
import type { EventStore } from '../../store/event-store.ts';
import { CHAT_EVENT_TYPES } from './shapes/chat.ts';

export interface ChatSessionOptions {
  rooms: { watch(roomId: string): () => void };
  history: Pick<EventStore, 'listEvents' | 'latestCursor'>;
  idleMs?: number;
  maxSessions?: number;
  /** Messages per poll at most (the store allows 1..1000); the rest come with the next poll. */
  pageSize?: number;
}

export interface ChatPoll {
  events: RoomEvent[];
  /** The caller's cursor after this poll; null until the room has stored anything. */
  cursor: string | null;
}

interface Session {
  roomId: string;
  /** undefined until the first poll has read the room's newest cursor. */
  cursor: string | null | undefined;
  release: (() => void) | null;
  idleTimer: NodeJS.Timeout | null;
  queue: Promise<unknown>;
}

const DEFAULT_IDLE_MS = 5 * 60_000;

export class ChatSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly idleMs: number;
  private readonly maxSessions: number;
  private readonly pageSize: number;

  constructor(private readonly options: ChatSessionOptions) {
    this.idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
    this.maxSessions = options.maxSessions ?? 10_000;
    this.pageSize = Math.min(1000, Math.max(1, options.pageSize ?? 500));
  }

  poll(callerKey: string, roomId: string): Promise<ChatPoll> {
    const session = this.sessionFor(callerKey, roomId);
    const run = session.queue.then(() => this.pollSession(session));
    session.queue = run.catch(() => undefined);
    return run;
  }

  size(): number {
    return this.sessions.size;
  }

  /** Releases every watch; for shutdown. */
  close(): void {
    for (const session of this.sessions.values()) this.stopWatching(session);
    this.sessions.clear();
  }

  private sessionFor(callerKey: string, roomId: string): Session {
    const key = `${callerKey}\u0000${roomId}`;
    let session = this.sessions.get(key);
    if (session !== undefined) {
      this.sessions.delete(key);
    } else {
      session = { roomId, cursor: undefined, release: null, idleTimer: null, queue: Promise.resolve() };
    }
    // Map order is least recently polled first.
    this.sessions.set(key, session);
    this.evictBeyondLimit();
    return session;
  }

  private async pollSession(session: Session): Promise<ChatPoll> {
    if (session.cursor === undefined) return this.firstPoll(session);
    this.keepWatching(session);
    const page = await this.options.history.listEvents(session.roomId, {
      first: this.pageSize,
      after: session.cursor,
      types: CHAT_EVENT_TYPES,
    });
    if (page.endCursor !== null) session.cursor = page.endCursor;
    return { events: page.events, cursor: session.cursor };
  }

  /**
   * The newest page of messages; the cursor moves to the newest of them, so the next poll starts
   * right after it (nothing twice, nothing skipped). Read before watching: what collecting brings
   * in from now on is after it. With nothing stored the mark is the room's newest event.
   */
  private async firstPoll(session: Session): Promise<ChatPoll> {
    const { history } = this.options;
    const page = await history.listEvents(session.roomId, { first: this.pageSize, types: CHAT_EVENT_TYPES, newest: true });
    session.cursor = page.endCursor ?? (await history.latestCursor(session.roomId));
    this.keepWatching(session);
    return { events: page.events, cursor: session.cursor };
  }

  private keepWatching(session: Session): void {
    if (session.release === null) session.release = this.options.rooms.watch(session.roomId);
    if (session.idleTimer !== null) clearTimeout(session.idleTimer);
    session.idleTimer = setTimeout(() => this.stopWatching(session), this.idleMs);
    session.idleTimer.unref();
  }

  private stopWatching(session: Session): void {
    if (session.idleTimer !== null) clearTimeout(session.idleTimer);
    session.idleTimer = null;
    const release = session.release;
    session.release = null;
    release?.();
  }

  private evictBeyondLimit(): void {
    while (this.sessions.size > this.maxSessions) {
      const [oldestKey, oldest] = this.sessions.entries().next().value as [string, Session];
      this.stopWatching(oldest);
      this.sessions.delete(oldestKey);
    }
  }
}
