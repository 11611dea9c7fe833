// One HTTP attempt of one delivery: POST the stored body with fresh Standard Webhooks headers,
// within a connect and a response timeout, reading at most a few KiB of the answer (only its
// start is ever kept, for the delivery's last error). Never throws: every outcome is a value.
import { isIP } from 'node:net';
import { Agent, request } from 'undici';
import { guardedLookup, isPrivateAddress } from './address-guard.ts';
import { isWebhookError } from './errors.ts';
import { webhookHeaders } from './signing.ts';

export interface SenderOptions {
  allowPrivate: boolean;
  connectTimeoutMs: number;
  responseTimeoutMs: number;
  /** Response bytes read at most; the rest is discarded unread. */
  maxResponseBytes?: number;
  userAgent?: string;
}

export interface Attempt {
  id: string;
  url: string;
  secret: string;
  body: string;
  /** Seconds since the epoch, for webhook-timestamp. */
  timestamp: number;
}

export type AttemptOutcome =
  | { kind: 'response'; status: number; excerpt: string }
  | { kind: 'failure'; code: string; message: string };

export interface WebhookSender {
  send(attempt: Attempt): Promise<AttemptOutcome>;
  close(): Promise<void>;
}

const DEFAULT_MAX_RESPONSE_BYTES = 4096;
/** What a delivery keeps of a response body or error: enough to debug, never a whole body. */
export const EXCERPT_CHARS = 200;

export function createWebhookSender(options: SenderOptions): WebhookSender {
  const agent = new Agent({
    connect: { timeout: options.connectTimeoutMs, lookup: guardedLookup(options.allowPrivate) },
    headersTimeout: options.responseTimeoutMs,
    bodyTimeout: options.responseTimeoutMs,
    // A webhook receiver is someone else's server: never keep its sockets beyond a short while.
    keepAliveTimeout: 4_000,
  });
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  return {
    async send(attempt) {
      const url = new URL(attempt.url);
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (!options.allowPrivate && isIP(host) !== 0 && isPrivateAddress(host)) {
        return { kind: 'failure', code: 'WEBHOOK_PRIVATE_ADDRESS', message: `target ${host} is a private address` };
      }
      const abort = AbortSignal.timeout(options.connectTimeoutMs + options.responseTimeoutMs);
      try {
        const response = await request(url, {
          method: 'POST',
          dispatcher: agent,
          signal: abort,
          headers: { ...webhookHeaders(attempt.secret, attempt.id, attempt.timestamp, attempt.body), 'user-agent': options.userAgent ?? 'douyin-live-graphql-webhooks' },
          body: attempt.body,
        });
        const excerpt = await readCapped(response.body, maxBytes);
        return { kind: 'response', status: response.statusCode, excerpt: excerpt.slice(0, EXCERPT_CHARS) };
      } catch (error) {
        return { kind: 'failure', ...describeFailure(error) };
      }
    },
    close: () => agent.close(),
  };
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): unknown }, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= maxBytes) break;
    }
  } catch {
    // A body cut short still tells us the status; what we read is enough.
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}

function describeFailure(error: unknown): { code: string; message: string } {
  if (isWebhookError(error)) return { code: error.code, message: error.message };
  const cause = (error as { cause?: unknown }).cause;
  if (isWebhookError(cause)) return { code: cause.code, message: cause.message };
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return { code: typeof code === 'string' ? code : 'WEBHOOK_SEND_FAILED', message: message.slice(0, EXCERPT_CHARS) };
}
