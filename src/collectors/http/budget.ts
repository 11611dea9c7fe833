// Who an upstream call is for. A GraphQL execution runs inside a budget scope (its caller's key,
// its client's abort signal, its own call count); every upstream call made from it, through any
// DataLoader, finds the scope here without being passed it. Calls outside any scope (collectors,
// status polling) are the gateway's own and queue as one more caller.
import { AsyncLocalStorage } from 'node:async_hooks';
import { UpstreamError } from '../errors.ts';

export interface UpstreamBudget {
  /** Fair-queue key: the API token (or client address), so one caller's requests share one turn. */
  readonly caller: string;
  /** Aborted when the client goes away: its queued calls are dropped and not retried. */
  readonly signal?: AbortSignal | undefined;
  /** Upstream calls this one request may make (UPSTREAM_CALLS_PER_REQUEST). */
  readonly maxCalls: number;
  calls: number;
}

export const GATEWAY_CALLER = 'gateway';

const storage = new AsyncLocalStorage<UpstreamBudget>();

export function withUpstreamBudget<T>(budget: Omit<UpstreamBudget, 'calls'>, run: () => T): T {
  return storage.run({ ...budget, calls: 0 }, run);
}

export function currentBudget(): UpstreamBudget | undefined {
  return storage.getStore();
}

export const upstreamBusy = (why: string, retryAfterMs: number | null) =>
  new UpstreamError('UPSTREAM_BUSY', `the upstream queue is full for this caller: ${why}`, { retryAfterMs });

const goneErrors = new WeakSet<UpstreamError>();

export function clientGone(): UpstreamError {
  const error = new UpstreamError('UPSTREAM_BUSY', 'the client went away before this upstream call was sent');
  goneErrors.add(error);
  return error;
}

/** True for the failure of a call dropped because the client it was made for went away. */
export function isClientGone(error: unknown): boolean {
  return error instanceof UpstreamError && goneErrors.has(error);
}

/** Counts one call against the current request's budget; throws UPSTREAM_BUSY past it. */
export function chargeCall(budget: UpstreamBudget | undefined): void {
  if (budget === undefined) return;
  if (budget.signal?.aborted === true) throw clientGone();
  budget.calls += 1;
  if (budget.calls > budget.maxCalls) throw upstreamBusy(`one request may make at most ${budget.maxCalls} upstream calls`, null);
}
