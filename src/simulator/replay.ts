// A room source that plays recorded frames (the `in` lines of a frames.jsonl capture) to each
// connection byte for byte, so decoders can be tested against real traffic over a real socket.
import { SimulatorError } from './errors.ts';

export interface ReplayFrame {
  /** Offset from the start of the recording, ms. */
  atMs: number;
  bytes: Uint8Array;
}

export type ReplayPace = 'recorded' | 'immediate';

interface RecordedLine {
  dir?: unknown;
  t?: unknown;
  b64?: unknown;
}

/** The server-sent frames of a frames.jsonl text, in order. */
export function parseRecordedFrames(jsonl: string): ReplayFrame[] {
  const frames: ReplayFrame[] = [];
  const lines = jsonl.split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let parsed: RecordedLine;
    try {
      parsed = JSON.parse(line) as RecordedLine;
    } catch {
      throw new SimulatorError('BAD_REQUEST', `recorded frames line ${index + 1} is not JSON`);
    }
    if (parsed.dir !== 'in') return;
    if (typeof parsed.b64 !== 'string' || typeof parsed.t !== 'number') {
      throw new SimulatorError('BAD_REQUEST', `recorded frames line ${index + 1} has no b64/t`);
    }
    frames.push({ atMs: parsed.t, bytes: new Uint8Array(Buffer.from(parsed.b64, 'base64')) });
  });
  return frames;
}
