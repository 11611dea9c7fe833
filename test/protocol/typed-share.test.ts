// Issue 13's goal, measured on every real recording: at least 95% of the messages come out as a
// typed event, not an UnknownEvent.
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../src/collectors/protocol/decode.ts';
import { captureSuite, readCaptureJson, readFrames } from './captures.ts';

const RECORDINGS = ['S13-live', 'S13-audience'] as const;

/** Messages of a recording and how many decoded as a typed event. */
function typedShare(name: string): { messages: number; typed: number; unknownByMethod: Record<string, number> } {
  const liveRoom = name === 'S13-live' ? readCaptureJson<{ danmakuKeys: { roomId: string } }>(name, 'meta.json').danmakuKeys.roomId : undefined;
  let messages = 0;
  let typed = 0;
  const unknownByMethod: Record<string, number> = {};
  for (const line of readFrames(name).filter((candidate) => candidate.dir === 'in')) {
    // S13-audience mixes five rooms, so only S13-live is decoded against its room.
    const result = decodeFrame(line.bytes, liveRoom === undefined ? {} : { roomId: liveRoom });
    if (!result.ok) throw new Error(`${name} line ${line.line}: ${result.error.code}`);
    messages += result.value.methods.length;
    for (const event of result.value.events) {
      if (event.type !== 'UnknownEvent') typed += 1;
      else unknownByMethod[event.method] = (unknownByMethod[event.method] ?? 0) + 1;
    }
  }
  return { messages, typed, unknownByMethod };
}

describe.each(RECORDINGS.map((name) => [name, captureSuite(name)] as const))('%s', (name, suite) => {
  it.skipIf(suite.missing)('comes out at least 95% typed', () => {
    const { messages, typed, unknownByMethod } = typedShare(name);
    expect(messages).toBeGreaterThan(300);
    expect(typed / messages, JSON.stringify(unknownByMethod)).toBeGreaterThanOrEqual(0.95);
  });
});
