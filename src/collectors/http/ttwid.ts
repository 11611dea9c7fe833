// The anonymous `ttwid` cookie Douyin wants on every call (protocol §2.2): obtained by the
// client itself from the web root's Set-Cookie, cached, and refreshed after a TTL or when a
// call comes back empty. A configured cookie that already holds a ttwid is used as it is.

export interface TtwidOptions {
  /** Fetches the web root and returns its Set-Cookie headers. */
  fetchSetCookies: () => Promise<string[]>;
  now: () => number;
  ttlMs: number;
  /** When the root set no ttwid, ask again only after this long (the page is ~1 MB). */
  retryMs: number;
}

export function ttwidFromSetCookies(setCookies: readonly string[]): string | null {
  for (const header of setCookies) {
    const match = /^\s*ttwid=([^;]*)/i.exec(header);
    if (match && match[1] !== '') return match[1]!;
  }
  return null;
}

export function cookieHas(cookie: string | null, name: string): boolean {
  return cookie !== null && new RegExp(`(^|;\\s*)${name}=`).test(cookie);
}

export class TtwidStore {
  private value: string | null = null;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<string | null> | null = null;

  constructor(private readonly options: TtwidOptions) {}

  /** The ttwid, and whether it came from the cache (a cached one may be stale). */
  async get(): Promise<{ ttwid: string | null; cached: boolean }> {
    const age = this.options.now() - this.fetchedAt;
    const fresh = this.value !== null ? age < this.options.ttlMs : age < this.options.retryMs;
    if (fresh) return { ttwid: this.value, cached: true };
    return { ttwid: await this.refresh(), cached: false };
  }

  invalidate(): void {
    this.fetchedAt = Number.NEGATIVE_INFINITY;
  }

  private refresh(): Promise<string | null> {
    // Concurrent callers share one fetch of the web root.
    this.pending ??= this.options
      .fetchSetCookies()
      .then((cookies) => {
        this.value = ttwidFromSetCookies(cookies) ?? this.value;
        this.fetchedAt = this.options.now();
        return this.value;
      })
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }
}
