// With RECORD_DIR set every raw frame of every room is appended to <dir>/<roomId>.jsonl in the
// line format of the shared captures ({dir, t, b64}), so a user can send a recording of a
// misbehaving room and the simulator can replay it.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

export function recordLine(direction: 'in' | 'out', elapsedMs: number, bytes: Uint8Array): string {
  return `${JSON.stringify({ dir: direction, t: elapsedMs, b64: Buffer.from(bytes).toString('base64') })}\n`;
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
    let entry = this.streams.get(roomId);
    if (entry === undefined) {
      const stream = createWriteStream(join(this.directory, `${roomId}.jsonl`), { flags: 'a' });
      // A full disk must not take the gateway down: recording is best effort.
      stream.on('error', () => this.streams.delete(roomId));
      entry = { stream, startedAt: this.now() };
      this.streams.set(roomId, entry);
    }
    entry.stream.write(recordLine(direction, this.now() - entry.startedAt, bytes));
  }

  async close(): Promise<void> {
    const closing = [...this.streams.values()].map(
      ({ stream }) => new Promise<void>((resolve) => stream.end(() => resolve())),
    );
    this.streams.clear();
    await Promise.all(closing);
  }
}
