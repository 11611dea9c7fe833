// Upstream answers kept for a short, per-endpoint freshness window, so a client polling a room
// every second costs Douyin one call per window, not one per poll. The raw body is kept once;
// what readers make of it (the domain model, a vendor route's raw JSON) is derived from that body
// on first use and kept beside it as a "view". Calls for the same key while one is in flight share
// it (single flight). Size is bounded in bytes, least recently used out first. Push events that
// carry the same data refresh a view in place (patch) or drop the entry (invalidate).
import { LRUCache } from 'lru-cache';
import type { UpstreamEndpoint } from '../http/observer.ts';

export type CacheOutcome = 'hit' | 'miss' | 'joined';

export interface ResponseCacheObserver {
  onLookup(endpoint: UpstreamEndpoint, outcome: CacheOutcome): void;
  onPushUpdate(action: 'patched' | 'invalidated', entries: number): void;
}

export const noCacheObserver: ResponseCacheObserver = { onLookup: () => undefined, onPushUpdate: () => undefined };

export interface ResponseCacheOptions {
  maxBytes: number;
  /** How long an answer is served without asking again, per endpoint; endpoints absent are never cached. */
  freshMs: Partial<Record<UpstreamEndpoint, number>>;
  /** Milliseconds, monotonic. */
  now?: () => number;
  observer?: ResponseCacheObserver;
}

/** What one upstream call produced: the body as received and the view the caller asked for. */
export interface Loaded<T> {
  body: Uint8Array;
  value: T;
}

export interface CacheRequest<T> {
  endpoint: UpstreamEndpoint;
  key: string;
  /** Which reading of the body this caller wants ('model', 'raw', …); each is derived once. */
  view: string;
  /** Names that push events use to find this entry (e.g. `room:<id>`), from the loaded value. */
  tags: (value: T) => readonly string[];
  /** Derives this view from a stored body; may throw like the upstream read does. */
  read: (body: Uint8Array) => T;
  /** The upstream call: runs at most once per key at a time. */
  load: () => Promise<Loaded<T>>;
}

type Patch = (value: unknown) => unknown;

interface Entry {
  endpoint: UpstreamEndpoint;
  body: Uint8Array;
  storedAt: number;
  tags: readonly string[];
  views: Map<string, unknown>;
  /** Push updates not yet applied to a view that has not been derived yet, by view. */
  patches: Map<string, Patch[]>;
}

/**
 * Views are objects built from the body; their size is not measurable cheaply, so an entry is
 * counted as twice its body (body + views) plus a fixed overhead.
 */
const ENTRY_OVERHEAD_BYTES = 512;
/** More pending patches than this on one entry: drop it instead (a refetch is cheaper). */
const MAX_PENDING_PATCHES = 32;

export function entrySize(body: Uint8Array): number {
  return body.byteLength * 2 + ENTRY_OVERHEAD_BYTES;
}

export class UpstreamResponseCache {
  private readonly entries: LRUCache<string, Entry>;
  private readonly inFlight = new Map<string, Promise<Entry>>();
  /** When each tag was last invalidated: an answer loaded before that is not stored. */
  private readonly invalidatedAt = new Map<string, number>();
  private readonly tagged = new Map<string, Set<string>>();
  private readonly now: () => number;
  private readonly observer: ResponseCacheObserver;

  constructor(private readonly options: ResponseCacheOptions) {
    this.now = options.now ?? (() => performance.now());
    this.observer = options.observer ?? noCacheObserver;
    this.entries = new LRUCache<string, Entry>({
      maxSize: Math.max(1, options.maxBytes),
      sizeCalculation: (entry) => entrySize(entry.body),
      dispose: (entry, key) => this.untag(key, entry.tags),
    });
  }

  covers(endpoint: UpstreamEndpoint): boolean {
    return (this.options.freshMs[endpoint] ?? 0) > 0 && this.options.maxBytes > 0;
  }

  async get<T>(request: CacheRequest<T>): Promise<T> {
    const stored = this.freshEntry(request.key, request.endpoint);
    if (stored !== undefined) {
      this.observer.onLookup(request.endpoint, 'hit');
      return this.viewOf(stored, request);
    }
    const pending = this.inFlight.get(request.key);
    if (pending !== undefined) {
      this.observer.onLookup(request.endpoint, 'joined');
      return this.viewOf(await pending, request);
    }
    this.observer.onLookup(request.endpoint, 'miss');
    const loading = this.load(request);
    this.inFlight.set(request.key, loading);
    try {
      return (await loading).views.get(request.view) as T;
    } finally {
      this.inFlight.delete(request.key);
    }
  }

  /** Applies `patch` to the named view of every entry with this tag (now, or when it is derived). */
  patch(tag: string, view: string, patch: Patch): number {
    const keys = [...(this.tagged.get(tag) ?? [])];
    for (const key of keys) {
      const entry = this.entries.peek(key);
      if (entry === undefined) continue;
      if (entry.views.has(view)) {
        entry.views.set(view, patch(entry.views.get(view)));
        continue;
      }
      const pending = entry.patches.get(view) ?? [];
      if (pending.length >= MAX_PENDING_PATCHES) this.entries.delete(key);
      else entry.patches.set(view, [...pending, patch]);
    }
    if (keys.length > 0) this.observer.onPushUpdate('patched', keys.length);
    return keys.length;
  }

  /** Drops every entry with this tag, and keeps a call already in flight from storing its answer. */
  invalidate(tag: string): number {
    this.invalidatedAt.set(tag, this.now());
    const keys = [...(this.tagged.get(tag) ?? [])];
    for (const key of keys) this.entries.delete(key);
    if (keys.length > 0) this.observer.onPushUpdate('invalidated', keys.length);
    return keys.length;
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.entries.calculatedSize };
  }

  private freshEntry(key: string, endpoint: UpstreamEndpoint): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (this.now() - entry.storedAt < (this.options.freshMs[endpoint] ?? 0)) return entry;
    this.entries.delete(key);
    return undefined;
  }

  private async load<T>(request: CacheRequest<T>): Promise<Entry> {
    const startedAt = this.now();
    const { body, value } = await request.load();
    const tags = request.tags(value);
    const entry: Entry = { endpoint: request.endpoint, body, storedAt: this.now(), tags, views: new Map([[request.view, value]]), patches: new Map() };
    const invalidatedMeanwhile = tags.some((tag) => (this.invalidatedAt.get(tag) ?? -Infinity) >= startedAt);
    if (!invalidatedMeanwhile && entrySize(body) <= this.options.maxBytes) this.store(request.key, entry);
    this.forgetOldInvalidations();
    return entry;
  }

  private store(key: string, entry: Entry): void {
    this.entries.set(key, entry);
    if (!this.entries.has(key)) return;
    for (const tag of entry.tags) {
      const keys = this.tagged.get(tag) ?? new Set<string>();
      keys.add(key);
      this.tagged.set(tag, keys);
    }
  }

  private untag(key: string, tags: readonly string[]): void {
    for (const tag of tags) {
      const keys = this.tagged.get(tag);
      if (keys === undefined) continue;
      keys.delete(key);
      if (keys.size === 0) this.tagged.delete(tag);
    }
  }

  private viewOf<T>(entry: Entry, request: CacheRequest<T>): T {
    if (entry.views.has(request.view)) return entry.views.get(request.view) as T;
    let value: unknown = request.read(entry.body);
    for (const patch of entry.patches.get(request.view) ?? []) value = patch(value);
    entry.patches.delete(request.view);
    entry.views.set(request.view, value);
    return value as T;
  }

  /** An invalidation only matters to calls that started before it and are still in flight. */
  private forgetOldInvalidations(): void {
    if (this.inFlight.size > 1) return;
    this.invalidatedAt.clear();
  }
}
