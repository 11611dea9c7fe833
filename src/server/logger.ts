// Structured logs. Secrets (the Douyin cookie, API tokens, signer credentials, database
// passwords) are redacted by key wherever they appear, so a config or request dump is safe.
// One JSON object a line for log collectors; on a terminal, the same lines made readable.
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';
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

function censorSet(value: unknown): unknown {
  return value === null || value === undefined || value === '' ? value : REDACTED;
}

export interface LoggerSettings {
  level?: LogLevel;
  /** Where lines go; stdout by default. Tests pass a stream to read them. */
  destination?: DestinationStream;
  /** Written on every line, so a fleet's merged logs say which instance spoke. */
  instanceId?: string;
  /**
   * Human-readable lines (pino-pretty) instead of JSON. By default: when the lines go to stdout
   * and stdout is a terminal; piped or redirected output stays JSON for log collectors.
   */
  pretty?: boolean;
}

export function createLogger(settings: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    base: { service: 'douyin-live-graphql', ...(settings.instanceId === undefined ? {} : { instance: settings.instanceId }) },
    // An unset secret (null, as the config dump gives it) stays null: "[redacted]" would say it was set.
    redact: { paths: REDACT_PATHS, censor: censorSet },
    // Every `{ err }` goes through here, so no call site has to remember to scrub an error.
    serializers: { err: redactError },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const toTerminal = settings.destination === undefined && process.stdout.isTTY === true;
  if (settings.pretty ?? toTerminal) return pino(options, prettyStream(settings.destination));
  return settings.destination === undefined ? pino(options) : pino(options, settings.destination);
}

/**
 * Formats in this thread and writes synchronously, like pino's own stdout default, so the last
 * lines before an exit are not lost in a worker. Secrets are already censored when a line gets here.
 */
function prettyStream(destination: DestinationStream | undefined): DestinationStream {
  return pretty({
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service',
    ...(destination === undefined ? {} : { destination, colorize: false }),
  });
}
