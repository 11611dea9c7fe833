// What the HTTP server is handed by the gateway wiring (src/server/gateway.ts): the schema's
// ports plus what the server itself reports on.
import type { SchemaPorts } from '../schema/context.ts';

export interface ReadinessCheck {
  /** e.g. "upstream", "store", "bus". */
  name: string;
  ok: boolean;
  /** Why not, or a short state ("simulator on port 4100"). Never a secret. */
  detail?: string;
  /** Working but impaired (e.g. Douyin unreachable): reported, yet /ready stays 200. */
  degraded?: boolean;
  /** A machine-readable state where the check has one (upstream: REACHABLE, UPSTREAM_UNREACHABLE…). */
  state?: string;
}

export interface GatewayServices extends Omit<SchemaPorts, 'observer'> {
  /** Dependency checks behind /ready; every check must be ok for a 200. */
  readiness(): Promise<ReadinessCheck[]>;
}
