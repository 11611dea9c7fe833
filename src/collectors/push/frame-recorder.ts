// With RECORD_DIR set every raw frame of every room is appended to <dir>/<roomId>.jsonl in the
// line format of the shared captures ({dir, t, b64}), so a user can send a recording of a
// misbehaving room and the simulator can replay it.
import { closeSync, createWriteStream, fstatSync, mkdirSync, openSync, readSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

export function recordLine(direction: 'in' | 'out', elapsedMs: number, bytes: Uint8Array): string {
  return `${JSON.stringify({ dir: direction, t: elapsedMs, b64: Buffer.from(bytes).toString('base64') })}\n`;
}

const TAIL_CHUNK = 64 * 1024;

/**
 * The `t` of the last line of an existing recording, or null when there is none. A session
 * appended to the file continues after it, so the times stay in order and a replay plays the
 * sessions one after the other instead of interleaving them.
 */
export function lastRecordedTime(path: string): number | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    let end = fstatSync(fd).size;
    let tail = '';
    while (end > 0) {
      const start = Math.max(0, end - TAIL_CHUNK);
      const chunk = Buffer.alloc(end - start);
      readSync(fd, chunk, 0, chunk.length, start);
      // Lines are JSON of ASCII (base64, digits): one byte per character.
      tail = chunk.toString('latin1') + tail;
      end = start;
      const text = tail.trimEnd();
      const lineStart = text.lastIndexOf('\n');
      if (lineStart >= 0 || end === 0) {
        const match = /^\{[^}]*?"t":(\d+)/.exec(text.slice(lineStart + 1));
        return match === null ? null : Number(match[1]);
      }
    }
    return null;
  } finally {
    closeSync(fd);
  }
}

export class FrameRecorder {
  private readonly streams = new Map<string, { stream: WriteStream; startedAt: number }>();

  constructor(
    private readonly directory: string,
    private readonly now: () => number = Date.now,
  ) {
    mkdirSync(directory, { recursive: true });
  }

  record(roomId: string, direction: 'in' | 'out', bytes: Uint8Array): void {
    if (!/^\d+$/.test(roomId)) return;
    // One clock reading per frame: the first frame of a session is at exactly t = 0 (or right
    // after the previous session) even when opening the file takes past a millisecond tick.
    const now = this.now();
    let entry = this.streams.get(roomId);
    if (entry === undefined) {
      const path = join(this.directory, `${roomId}.jsonl`);
      const previous = lastRecordedTime(path);
      const stream = createWriteStream(path, { flags: 'a' });
      // A full disk must not take the gateway down: recording is best effort.
      stream.on('error', () => this.streams.delete(roomId));
      entry = { stream, startedAt: now - (previous === null ? 0 : previous + 1) };
      this.streams.set(roomId, entry);
    }
    entry.stream.write(recordLine(direction, now - entry.startedAt, bytes));
  }

  async close(): Promise<void> {
    const closing = [...this.streams.values()].map(
      ({ stream }) => new Promise<void>((resolve) => stream.end(() => resolve())),
    );
    this.streams.clear();
    await Promise.all(closing);
  }
}
