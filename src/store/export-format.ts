// Pure pieces of the export CLI: argument parsing, the JSONL and CSV renderings of an event,
// and the progress line. export-cli.ts does the I/O around them.
import { parseArgs } from 'node:util';
import type { RoomEvent } from '../domain/events.ts';
import { isStorableRoomId } from './cursor.ts';
import { StoreError } from './errors.ts';

export const EXPORT_FORMATS = ['jsonl', 'csv', 'xml', 'ass'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportArgs {
  roomId: string;
  format: ExportFormat;
  /** File to write; null means stdout. */
  out: string | null;
  databaseUrl: string | null;
  dataDir: string;
}

export const EXPORT_USAGE = `usage: npm run export -- --room <room id> [--format jsonl|csv|xml|ass] [--out <file>]
                         [--database-url <postgres://…>] [--data-dir <dir>]
Streams a room's stored events, oldest first, to stdout or --out; progress goes to stderr.
xml (danmaku) and ass (subtitles) hold the chats, timed from the broadcast's start.
Defaults: --format jsonl, --database-url $DATABASE_URL, else the embedded store in --data-dir ($DATA_DIR or ./data).
Stop the gateway before exporting from an embedded store: PGlite allows one process per data directory.`;

export interface ExportEnv {
  DATABASE_URL?: string | undefined;
  DATA_DIR?: string | undefined;
}

/** Throws StoreError BAD_ARGUMENT naming what is wrong; `--help` throws with the usage alone. */
export function parseExportArgs(argv: readonly string[], env: ExportEnv = {}): ExportArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        room: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        'database-url': { type: 'string' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw usageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) throw usageError(null);
  const roomId = String(values.room ?? '').trim();
  if (roomId === '') throw usageError('--room is required');
  if (!isStorableRoomId(roomId)) throw usageError(`--room ${JSON.stringify(roomId)} is not a room id`);
  const format = String(values.format ?? 'jsonl');
  if (!isExportFormat(format)) throw usageError(`--format must be jsonl, csv, xml or ass, not ${JSON.stringify(format)}`);
  const out = typeof values.out === 'string' && values.out !== '' && values.out !== '-' ? values.out : null;
  const databaseUrl = stringOrNull(values['database-url']) ?? stringOrNull(env.DATABASE_URL);
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw usageError('--database-url must start with postgres:// or postgresql://');
  const dataDir = stringOrNull(values['data-dir']) ?? stringOrNull(env.DATA_DIR) ?? './data';
  return { roomId, format, out, databaseUrl, dataDir };
}

function isExportFormat(format: string): format is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(format);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function usageError(problem: string | null): StoreError {
  return new StoreError('BAD_ARGUMENT', problem === null ? EXPORT_USAGE : `${problem}\n${EXPORT_USAGE}`);
}

export function jsonlLine(event: RoomEvent): string {
  return `${JSON.stringify(event)}\n`;
}

export const CSV_COLUMNS = ['cursor', 'id', 'type', 'created_at', 'created_at_iso', 'user_id', 'nickname', 'text', 'json'] as const;

/** RFC 4180: a field with a comma, quote, CR or LF is quoted, and its quotes doubled. Rows end in CRLF. */
export function csvRow(fields: readonly (string | number | null)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return csvRow(CSV_COLUMNS);
}

export function eventCsvRow(event: RoomEvent): string {
  return csvRow([
    event.cursor,
    event.id,
    event.type,
    event.createdAt,
    new Date(event.createdAt).toISOString(),
    event.user?.id ?? null,
    event.user?.nickname ?? null,
    eventText(event),
    JSON.stringify(event),
  ]);
}

/** A one-line human reading of an event for spreadsheets; the json column keeps everything. */
export function eventText(event: RoomEvent): string {
  switch (event.type) {
    case 'ChatEvent':
    case 'EmojiChatEvent':
    case 'RoomNoticeEvent':
    case 'FansClubEvent':
      return event.content;
    case 'GiftEvent':
      return `${event.gift.name} x${event.deltaCount}`;
    case 'LikeEvent':
      return `${event.count} likes`;
    case 'ViewerCountEvent':
      return `${event.current} watching`;
    case 'RoomStatusEvent':
      return event.status;
    case 'StreamGapEvent':
      return event.reason;
    case 'ConnectionStateEvent':
      return event.state;
    case 'RoomIntroEvent':
      return event.intro;
    default:
      return '';
  }
}

/** `[#####-----]  50.0%  500/1000 events`; a total of 0 reads as complete. */
export function renderProgress(done: number, total: number, width = 30): string {
  const fraction = total <= 0 ? 1 : Math.min(1, Math.max(0, done / total));
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(1).padStart(5)}%  ${done}/${total} events`;
}
