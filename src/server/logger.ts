// Structured logs. Secrets (the Douyin cookie, API tokens, signer credentials, database
// passwords) are redacted by key wherever they appear, so a config or request dump is safe.
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { LogLevel } from '../config.ts';
import { REDACTED, redactError } from './auth/redact.ts';

export type { Logger } from 'pino';

const SECRET_KEYS = ['cookie', 'cookies', 'token', 'tokens', 'authorization', 'password', 'secret', 'databaseUrl', 'apiKey', 'signature'];

/** Secret keys at the top level and up to three levels down (pino matches paths, not names). */
export const REDACT_PATHS: string[] = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]).concat([
  'req.headers["set-cookie"]',
  'res.headers["set-cookie"]',
  '*.headers["set-cookie"]',
  '*.headers["x-api-key"]',
]);

export interface LoggerSettings {
  level?: LogLevel;
  /** Where lines go; stdout by default. Tests pass a stream to read them. */
  destination?: DestinationStream;
  /** Written on every line, so a fleet's merged logs say which instance spoke. */
  instanceId?: string;
}

export function createLogger(settings: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    base: { service: 'douyin-live-graphql', ...(settings.instanceId === undefined ? {} : { instance: settings.instanceId }) },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    // Every `{ err }` goes through here, so no call site has to remember to scrub an error.
    serializers: { err: redactError },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return settings.destination === undefined ? pino(options) : pino(options, settings.destination);
}
