// Several cookie + proxy pairs to reach Douyin through (DOUYIN_COOKIES, DOUYIN_PROXIES). HTTP
// calls take the healthy pairs in turn; each room's push connection sticks to one pair, rooms
// spread evenly. A pair Douyin refuses (captcha, 403, an empty body, handshake 415) or whose
// proxy stops answering is quarantined with a doubling backoff, and traffic moves to the others;
// with none left the pool is degraded and calls fail at once with UPSTREAM_DEGRADED.
// A watch may pin its room to a cookie or a proxy (by the ids the upstreamPool query shows): the
// room then streams only through matching pairs, and waits (UPSTREAM_DEGRADED) rather than
// leave them, since a pin is asked for where only that cookie or that address will do (the
// anchor's own account sees gifts Douyin hides from others; a region's proxy).
import { createHash } from 'node:crypto';
import { UpstreamError } from '../errors.ts';
import type { ProxySpec } from '../proxy/proxy-url.ts';

export interface PoolEntry {
  /** The Cookie header sent with this pair; null for an anonymous pair. Secret. */
  cookie: string | null;
  /** The proxy this pair's traffic goes through; null for direct. */
  proxy: ProxySpec | null;
}

export interface PoolPair extends PoolEntry {
  /** Stable across reloads of the lists for the same cookie and proxy; safe to show. */
  id: string;
  /** The cookie's own id (what a watch pins); null for an anonymous pair. */
  cookieId: string | null;
  /** The proxy's own id (what a watch pins); null for direct. */
  proxyId: string | null;
  /** The cookie's names with their values masked, e.g. `sessionid=***; uid_tt=***`. */
  cookieLabel: string | null;
  /** The proxy URL with its password masked. */
  proxyLabel: string | null;
}

export type PairState = 'HEALTHY' | 'QUARANTINED';

/** What went wrong with a pair: Douyin said no, or nothing answered through its proxy. */
export interface PairFailure {
  kind: 'refused' | 'no-answer';
  reason: string;
}

export interface PairSnapshot {
  id: string;
  cookie: string | null;
  cookieId: string | null;
  proxy: string | null;
  proxyId: string | null;
  state: PairState;
  /** ms since the epoch; null while healthy. */
  quarantinedUntil: number | null;
  lastFailure: string | null;
  lastFailureAt: number | null;
  rooms: string[];
  calls: number;
  failures: number;
  quarantines: number;
}

export interface PoolSnapshot {
  degraded: boolean;
  healthy: number;
  pairs: PairSnapshot[];
}

/** A watch's pin: the cookie and/or proxy (by id) its room must stream through; null leaves it free. */
export interface PairPin {
  cookie: string | null;
  proxy: string | null;
}

export type PoolChange =
  | { kind: 'pair'; pair: PairSnapshot; previous: PairState }
  | { kind: 'pool'; degraded: boolean }
  /** A room's pin was set or released: its stream checks that its pair still fits. */
  | { kind: 'pin'; roomId: string }
  /** The lists were re-read: a room whose pair is gone from them moves. */
  | { kind: 'lists' };

export interface UpstreamPoolOptions {
  /** The first quarantine; each further one in a row doubles it. */
  quarantineMs: number;
  maxQuarantineMs: number;
  /** Calls in a row that got no answer through a pair's proxy before it is quarantined. */
  noAnswersToQuarantine?: number;
  now?: () => number;
}

interface PairHealth {
  pair: PoolPair;
  state: PairState;
  quarantinedUntil: number | null;
  /** Quarantines since the last success: the next one lasts 2^strikes times the first. */
  strikes: number;
  noAnswersInARow: number;
  lastFailure: string | null;
  lastFailureAt: number | null;
  rooms: Set<string>;
  calls: number;
  failures: number;
  quarantines: number;
}

const shortHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 8);

function proxyKey(proxy: ProxySpec): string {
  return `${proxy.protocol}://${proxy.username ?? ''}:${proxy.password ?? ''}@${proxy.host}:${proxy.port}`;
}

export function pairId(entry: PoolEntry): string {
  return `pair-${shortHash(`${entry.cookie ?? ''}\n${entry.proxy === null ? '' : proxyKey(entry.proxy)}`)}`;
}

/** A cookie's id: a hash, so a pin names a cookie without the secret passing through the API or the store. */
export function cookieId(cookie: string): string {
  return `cookie-${shortHash(cookie)}`;
}

export function proxyId(proxy: ProxySpec): string {
  return `proxy-${shortHash(proxyKey(proxy))}`;
}

function fitsPin(pair: PoolPair, pin: PairPin | undefined): boolean {
  if (pin === undefined) return true;
  return (pin.cookie === null || pin.cookie === pair.cookieId) && (pin.proxy === null || pin.proxy === pair.proxyId);
}

export function maskCookie(cookie: string): string {
  return cookie
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => `${part.split('=')[0]!.trim()}=***`)
    .join('; ');
}

/**
 * The pairs for the lists as given: as many as the longer list, each cookie keeping one proxy
 * (a cookie seen from many addresses is itself a risk signal), the shorter list reused in turn.
 */
export function pairEntries(cookies: readonly (string | null)[], proxies: readonly (ProxySpec | null)[]): PoolEntry[] {
  const cookieList = cookies.length === 0 ? [null] : cookies;
  const proxyList = proxies.length === 0 ? [null] : proxies;
  const count = Math.max(cookieList.length, proxyList.length);
  const entries: PoolEntry[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i += 1) {
    const entry = { cookie: cookieList[i % cookieList.length]!, proxy: proxyList[i % proxyList.length]! };
    const id = pairId(entry);
    if (seen.has(id)) continue;
    seen.add(id);
    entries.push(entry);
  }
  return entries;
}

export const poolDegraded = (retryAfterMs: number | null) =>
  new UpstreamError(
    'UPSTREAM_DEGRADED',
    `every upstream cookie/proxy pair is quarantined${retryAfterMs === null ? '' : `; the first is tried again in ${Math.ceil(retryAfterMs / 1000)} s`}`,
    { retryAfterMs },
  );

export class UpstreamPool {
  private health: PairHealth[] = [];
  private readonly byRoom = new Map<string, PairHealth>();
  /** Each room's pins, oldest first; the oldest applies (one room may be watched twice). */
  private readonly pins = new Map<string, PairPin[]>();
  private readonly listeners = new Set<(change: PoolChange) => void>();
  private turn = 0;
  private wasDegraded = false;
  private wakeTimer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(
    entries: readonly PoolEntry[],
    private readonly options: UpstreamPoolOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.replaceEntries(entries);
  }

  /** New lists (a file changed): pairs that stay keep their health and rooms; rooms of dropped pairs move. */
  replaceEntries(entries: readonly PoolEntry[]): void {
    const kept = new Map(this.health.map((h) => [h.pair.id, h]));
    this.health = entries.map((entry) => {
      const id = pairId(entry);
      return kept.get(id) ?? this.fresh(entry, id);
    });
    const live = new Set(this.health);
    for (const [roomId, health] of this.byRoom) if (!live.has(health)) this.byRoom.delete(roomId);
    // The constructor's first lists have no listener yet; later ones must reach the rooms, or a
    // cookie taken out of the file would go on streaming until its socket happened to drop.
    this.emit({ kind: 'lists' });
    this.afterChange();
  }

  get size(): number {
    return this.health.length;
  }

  /** A pair for one HTTP call: the preferred one while healthy, else the healthy pairs in turn. */
  pick(preferred: string | null = null): PoolPair {
    this.expireQuarantines();
    if (preferred !== null) {
      const wanted = this.health.find((h) => h.pair.id === preferred && h.state === 'HEALTHY');
      if (wanted !== undefined) return wanted.pair;
    }
    const count = this.health.length;
    for (let step = 0; step < count; step += 1) {
      const candidate = this.health[(this.turn + step) % count]!;
      if (candidate.state !== 'HEALTHY') continue;
      this.turn = (this.turn + step + 1) % count;
      return candidate.pair;
    }
    throw poolDegraded(this.msUntilFirstReturn());
  }

  /**
   * The room's pair: kept while healthy (and fitting the room's pin), else the healthy fitting
   * pair with fewest rooms; null when none is.
   */
  pairForRoom(roomId: string): PoolPair | null {
    this.expireQuarantines();
    const pin = this.pinOf(roomId);
    const current = this.byRoom.get(roomId);
    if (current !== undefined && current.state === 'HEALTHY' && this.health.includes(current) && fitsPin(current.pair, pin)) return current.pair;
    current?.rooms.delete(roomId);
    this.byRoom.delete(roomId);
    let best: PairHealth | null = null;
    for (const candidate of this.health) {
      if (candidate.state !== 'HEALTHY' || !fitsPin(candidate.pair, pin)) continue;
      if (best === null || candidate.rooms.size < best.rooms.size) best = candidate;
    }
    if (best === null) return null;
    best.rooms.add(roomId);
    this.byRoom.set(roomId, best);
    return best.pair;
  }

  /** Whether the room may stream through this pair now: healthy and fitting its pin. */
  suits(roomId: string, id: string): boolean {
    const health = this.find(id);
    return health !== undefined && this.isHealthy(id) && fitsPin(health.pair, this.pinOf(roomId));
  }

  /**
   * Pins a room to a cookie and/or proxy until the returned release is called. A pin no pair
   * fits (checkPin says why) is still kept: the room waits, degraded, until the lists fit it.
   */
  pinRoom(roomId: string, pin: PairPin): () => void {
    const pins = this.pins.get(roomId) ?? [];
    const mine = { ...pin };
    pins.push(mine);
    this.pins.set(roomId, pins);
    this.emit({ kind: 'pin', roomId });
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.pins.get(roomId) ?? []).filter((entry) => entry !== mine);
      if (left.length === 0) this.pins.delete(roomId);
      else this.pins.set(roomId, left);
      this.emit({ kind: 'pin', roomId });
    };
  }

  /** Why no pair of the pool fits a pin, or null when one does. */
  checkPin(pin: PairPin): string | null {
    return this.pairsFitting(pin).length > 0 ? null : describePinMiss(pin, this.health.map((h) => h.pair));
  }

  /** The ids of the pairs a pin lets a room use, whatever their health. */
  pairsFitting(pin: PairPin): string[] {
    return this.health.filter((h) => fitsPin(h.pair, pin)).map((h) => h.pair.id);
  }

  /** The pin that applies to a room, if any. */
  pinOf(roomId: string): PairPin | undefined {
    return this.pins.get(roomId)?.[0];
  }

  /** Why a room has no pair: said in its UPSTREAM_DEGRADED state. */
  noPairReason(roomId: string): string {
    const pin = this.pinOf(roomId);
    if (pin === undefined) return 'every upstream cookie/proxy pair is quarantined';
    const fitting = this.pairsFitting(pin);
    if (fitting.length === 0) return `the room is pinned (${describePin(pin)}) and no pair of the pool fits it any more`;
    return `the room is pinned (${describePin(pin)}) and every pair that fits is quarantined`;
  }

  releaseRoom(roomId: string): void {
    this.byRoom.get(roomId)?.rooms.delete(roomId);
    this.byRoom.delete(roomId);
  }

  /** Whether the lists still hold this pair. */
  has(id: string): boolean {
    return this.find(id) !== undefined;
  }

  isHealthy(id: string): boolean {
    this.expireQuarantines();
    return this.health.some((h) => h.pair.id === id && h.state === 'HEALTHY');
  }

  succeeded(id: string): void {
    const health = this.find(id);
    if (health === undefined) return;
    health.calls += 1;
    health.noAnswersInARow = 0;
    health.strikes = 0;
  }

  /** An answer that says nothing about the pair (a room not found, a login wall): it was reached. */
  answered(id: string): void {
    const health = this.find(id);
    if (health === undefined) return;
    health.calls += 1;
    health.noAnswersInARow = 0;
  }

  /** Whether any pair sends a cookie (a logged-in call is possible at all). */
  hasCookies(): boolean {
    return this.health.some((h) => h.pair.cookie !== null);
  }

  failed(id: string, failure: PairFailure): void {
    const health = this.find(id);
    if (health === undefined) return;
    health.calls += 1;
    health.failures += 1;
    health.lastFailure = failure.reason;
    health.lastFailureAt = this.now();
    if (failure.kind === 'no-answer') {
      health.noAnswersInARow += 1;
      // Without a proxy, no answer means Douyin itself is out of reach (UPSTREAM_UNREACHABLE):
      // another pair would fare no better.
      if (health.pair.proxy === null || health.noAnswersInARow < (this.options.noAnswersToQuarantine ?? 3)) return;
    }
    this.quarantine(health);
  }

  snapshot(): PoolSnapshot {
    this.expireQuarantines();
    const pairs = this.health.map((h) => this.pairSnapshot(h));
    const healthy = pairs.filter((p) => p.state === 'HEALTHY').length;
    return { degraded: healthy === 0, healthy, pairs };
  }

  onChange(listener: (change: PoolChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    if (this.wakeTimer !== null) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    this.listeners.clear();
  }

  private fresh(entry: PoolEntry, id: string): PairHealth {
    const pair: PoolPair = {
      ...entry,
      id,
      cookieId: entry.cookie === null ? null : cookieId(entry.cookie),
      proxyId: entry.proxy === null ? null : proxyId(entry.proxy),
      cookieLabel: entry.cookie === null ? null : maskCookie(entry.cookie),
      proxyLabel: entry.proxy?.display ?? null,
    };
    return { pair, state: 'HEALTHY', quarantinedUntil: null, strikes: 0, noAnswersInARow: 0, lastFailure: null, lastFailureAt: null, rooms: new Set(), calls: 0, failures: 0, quarantines: 0 };
  }

  private find(id: string): PairHealth | undefined {
    return this.health.find((h) => h.pair.id === id);
  }

  private quarantine(health: PairHealth): void {
    if (health.state === 'QUARANTINED') return;
    const ms = Math.min(this.options.maxQuarantineMs, this.options.quarantineMs * 2 ** health.strikes);
    health.strikes += 1;
    health.noAnswersInARow = 0;
    health.quarantines += 1;
    health.state = 'QUARANTINED';
    health.quarantinedUntil = this.now() + ms;
    this.emit({ kind: 'pair', pair: this.pairSnapshot(health), previous: 'HEALTHY' });
    this.afterChange();
  }

  /** A pair whose quarantine is over is tried again (on probation: its strikes stay until a call succeeds). */
  private expireQuarantines(): void {
    const now = this.now();
    let changed = false;
    for (const health of this.health) {
      if (health.state !== 'QUARANTINED' || health.quarantinedUntil === null || health.quarantinedUntil > now) continue;
      health.state = 'HEALTHY';
      health.quarantinedUntil = null;
      changed = true;
      this.emit({ kind: 'pair', pair: this.pairSnapshot(health), previous: 'QUARANTINED' });
    }
    if (changed) this.afterChange();
  }

  private afterChange(): void {
    const degraded = this.health.length > 0 && this.health.every((h) => h.state !== 'HEALTHY');
    if (degraded !== this.wasDegraded) {
      this.wasDegraded = degraded;
      this.emit({ kind: 'pool', degraded });
    }
    this.armWake();
  }

  /** Wakes when the first quarantine ends, so rooms waiting for a pair move without being asked. */
  private armWake(): void {
    if (this.wakeTimer !== null) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    const wait = this.msUntilFirstReturn();
    if (wait === null) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      this.expireQuarantines();
    }, wait + 1);
    this.wakeTimer.unref();
  }

  private msUntilFirstReturn(): number | null {
    const ends = this.health.flatMap((h) => (h.quarantinedUntil === null ? [] : [h.quarantinedUntil]));
    return ends.length === 0 ? null : Math.max(0, Math.min(...ends) - this.now());
  }

  private pairSnapshot(health: PairHealth): PairSnapshot {
    return {
      id: health.pair.id,
      cookie: health.pair.cookieLabel,
      cookieId: health.pair.cookieId,
      proxy: health.pair.proxyLabel,
      proxyId: health.pair.proxyId,
      state: health.state,
      quarantinedUntil: health.quarantinedUntil,
      lastFailure: health.lastFailure,
      lastFailureAt: health.lastFailureAt,
      rooms: [...health.rooms].sort(),
      calls: health.calls,
      failures: health.failures,
      quarantines: health.quarantines,
    };
  }

  private emit(change: PoolChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }
}

function describePin(pin: PairPin): string {
  return [pin.cookie === null ? null : `cookie ${pin.cookie}`, pin.proxy === null ? null : `proxy ${pin.proxy}`].filter((part) => part !== null).join(', ');
}

function describePinMiss(pin: PairPin, pairs: readonly PoolPair[]): string {
  const cookies = new Set(pairs.map((p) => p.cookieId));
  const proxies = new Set(pairs.map((p) => p.proxyId));
  if (pin.cookie !== null && !cookies.has(pin.cookie)) return `no pair of the upstream pool has cookie ${pin.cookie} (see upstreamPool { pairs { cookieId } })`;
  if (pin.proxy !== null && !proxies.has(pin.proxy)) return `no pair of the upstream pool has proxy ${pin.proxy} (see upstreamPool { pairs { proxyId } })`;
  return `no pair of the upstream pool has both cookie ${pin.cookie} and proxy ${pin.proxy}`;
}
