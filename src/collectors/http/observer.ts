// A hook for metrics: one report per upstream HTTP request (each retry is its own request),
// so /metrics can count calls and latency by endpoint without this layer knowing Prometheus.
import type { UpstreamErrorCode } from '../errors.ts';

export type UpstreamEndpoint =
  | 'ttwid'
  | 'room.enter'
  | 'room.reflow'
  | 'room.checkAlive'
  | 'ranklist.audience'
  | 'promotions.pop'
  | 'feed'
  | 'gift.list'
  | 'im.fetch';

export interface UpstreamCall {
  endpoint: UpstreamEndpoint;
  durationMs: number;
  outcome: 'ok' | UpstreamErrorCode;
  /** The HTTP status, or null when no response arrived (timeout, network). */
  status: number | null;
  /** 0 for the first try, 1 for the first retry… */
  attempt: number;
  /** The pool pair the call went through; null or absent without a pool. */
  route?: string | null;
}

export interface UpstreamCallObserver {
  onCall(call: UpstreamCall): void;
}

export const noObserver: UpstreamCallObserver = { onCall: () => undefined };
