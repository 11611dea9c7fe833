// Coded webhook failures: the GraphQL layer passes the code to the client as extensions.code.

export type WebhookErrorCode =
  /** The target resolves to a loopback, private or link-local address (WEBHOOK_ALLOW_PRIVATE is off). */
  | 'WEBHOOK_PRIVATE_ADDRESS'
  /** Not an http(s) URL, or one with credentials in it. */
  | 'WEBHOOK_BAD_URL'
  /** The target's host name does not resolve. */
  | 'WEBHOOK_UNRESOLVABLE'
  /** An input the webhook cannot work with (no events, a keyword event without keywords…). */
  | 'WEBHOOK_BAD_INPUT'
  | 'WEBHOOK_NOT_FOUND'
  | 'DELIVERY_NOT_FOUND'
  /** Redelivery asked for a webhook that has been disabled (it answered 410). */
  | 'WEBHOOK_DISABLED';

export class WebhookError extends Error {
  readonly code: WebhookErrorCode;

  constructor(code: WebhookErrorCode, message: string) {
    super(message);
    this.name = 'WebhookError';
    this.code = code;
  }
}

export function isWebhookError(error: unknown): error is WebhookError {
  return error instanceof WebhookError;
}
