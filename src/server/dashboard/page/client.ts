// The page's one connection to the gateway: a graphql-ws client on /graphql with the token from
// the page's token field (kept in localStorage), queries and subscriptions alike.
import { createClient, type Client } from 'graphql-ws';

export type Connection = 'connecting' | 'connected' | 'closed' | 'refused';

export interface GraphQLErrorLike {
  message: string;
  extensions?: { code?: string };
}

export interface Gateway {
  /** Runs a query or mutation; rejects with the first GraphQL error's message and code. */
  request<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Each result of a subscription until stopped; errors go to onError. */
  subscribe<T>(query: string, variables: Record<string, unknown>, onData: (data: T) => void, onError?: (message: string) => void): () => void;
  onConnection(listener: (state: Connection, detail: string) => void): void;
  /** Reconnects with another token. */
  setToken(token: string): void;
}

const TOKEN_KEY = 'douyin-live-graphql.token';

export class RequestError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

export function connectGateway(): Gateway {
  const listeners: ((state: Connection, detail: string) => void)[] = [];
  const tell = (state: Connection, detail = '') => listeners.forEach((listener) => listener(state, detail));
  let token = localStorage.getItem(TOKEN_KEY) ?? '';
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;

  const open = (): Client =>
    createClient({
      url,
      connectionParams: () => (token === '' ? {} : { token }),
      lazy: false,
      retryAttempts: Number.POSITIVE_INFINITY,
      // A refused token is not retried: the page asks for another.
      shouldRetry: (event) => !(isCloseEvent(event) && event.code === 4403),
      on: {
        connecting: () => tell('connecting'),
        connected: () => tell('connected'),
        closed: (event) => (isCloseEvent(event) && event.code === 4403 ? tell('refused', event.reason) : tell('closed', isCloseEvent(event) ? event.reason : '')),
      },
    });
  let client = open();
  const active = new Set<() => void>();

  return {
    request<T>(query: string, variables: Record<string, unknown> = {}) {
      return new Promise<T>((resolve, reject) => {
        let settled = false;
        client.subscribe<T>(
          { query, variables },
          {
            next: (result) => {
              settled = true;
              const first = result.errors?.[0] as GraphQLErrorLike | undefined;
              if (first) reject(new RequestError(first.message, first.extensions?.code ?? null));
              else resolve(result.data as T);
            },
            error: (error) => reject(new RequestError(describe(error), null)),
            complete: () => {
              if (!settled) reject(new RequestError('no answer', null));
            },
          },
        );
      });
    },
    subscribe<T>(query: string, variables: Record<string, unknown>, onData: (data: T) => void, onError?: (message: string) => void) {
      let stop = () => {};
      const start = () => {
        stop = client.subscribe<T>(
          { query, variables },
          {
            next: (result) => {
              if (result.errors?.length) onError?.((result.errors[0] as GraphQLErrorLike).message);
              if (result.data) onData(result.data as T);
            },
            error: (error) => onError?.(describe(error)),
            complete: () => undefined,
          },
        );
      };
      start();
      const restart = () => {
        stop();
        start();
      };
      active.add(restart);
      return () => {
        active.delete(restart);
        stop();
      };
    },
    onConnection(listener) {
      listeners.push(listener);
    },
    setToken(next) {
      token = next.trim();
      if (token === '') localStorage.removeItem(TOKEN_KEY);
      else localStorage.setItem(TOKEN_KEY, token);
      void client.dispose();
      client = open();
      for (const restart of active) restart();
    },
  };
}

function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return typeof value === 'object' && value !== null && 'code' in value;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (isCloseEvent(error)) return `connection closed (${error.code}${error.reason ? `: ${error.reason}` : ''})`;
  if (Array.isArray(error)) return (error[0] as GraphQLErrorLike | undefined)?.message ?? 'request failed';
  return 'request failed';
}
