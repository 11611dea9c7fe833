// The log of upstream requests the simulator served (HTTP calls and push handshakes), so tests
// can count exactly how often the gateway called each endpoint.
import { BoundedLog } from './bounded-log.ts';

export interface RequestLogEntry {
  kind: 'http' | 'ws';
  method: string;
  path: string;
  query: Record<string, string>;
  /** When it arrived, ms. */
  at: number;
  /** Status sent (101 for an accepted push handshake); null while unanswered or hung. */
  status: number | null;
}

export interface RequestFilter {
  kind?: 'http' | 'ws';
  path?: string;
}

export class RequestLog {
  private readonly log: BoundedLog<RequestLogEntry>;

  constructor(capacity: number) {
    this.log = new BoundedLog(capacity);
  }

  record(kind: 'http' | 'ws', method: string, url: URL, at: number): RequestLogEntry {
    const query: Record<string, string> = {};
    for (const [key, value] of url.searchParams) query[key] = value;
    const entry: RequestLogEntry = { kind, method, path: url.pathname, query, at, status: null };
    this.log.push(entry);
    return entry;
  }

  list(filter: RequestFilter = {}): RequestLogEntry[] {
    return this.log
      .toArray()
      .filter((e) => (filter.kind === undefined || e.kind === filter.kind) && (filter.path === undefined || e.path === filter.path))
      .map((e) => ({ ...e, query: { ...e.query } }));
  }

  /** Calls per path, e.g. {'/webcast/room/web/enter/': 2}. */
  countByPath(kind?: 'http' | 'ws'): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const entry of this.log.toArray()) {
      if (kind !== undefined && entry.kind !== kind) continue;
      counts[entry.path] = (counts[entry.path] ?? 0) + 1;
    }
    return counts;
  }

  clear(): void {
    this.log.clear();
  }
}
