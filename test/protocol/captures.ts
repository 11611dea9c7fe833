// The shared S13 push recordings (never copied into the repository) and small readers for them.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PushFrameType } from '../../src/collectors/protocol/proto.ts';

export const DANMAKU_DIR = fileURLToPath(new URL('../../../shared/captures/douyin/danmaku/', import.meta.url));

/** A suite title that says why it is skipped when the recordings are missing. */
export function captureSuite(name: string): { title: string; missing: boolean } {
  const missing = !existsSync(`${DANMAKU_DIR}${name}/frames.jsonl`);
  return { title: missing ? `${name} (skipped: ${DANMAKU_DIR}${name} not found)` : name, missing };
}

export interface CaptureLine {
  /** 1-based line number in frames.jsonl, as expected.json counts. */
  line: number;
  dir: 'in' | 'out';
  t: number;
  bytes: Uint8Array;
  room?: string;
  vector?: string;
}

export function readFrames(name: string): CaptureLine[] {
  return readFileSync(`${DANMAKU_DIR}${name}/frames.jsonl`, 'utf8')
    .split('\n')
    .filter((text) => text.trim() !== '')
    .map((text, index) => {
      const raw = JSON.parse(text) as { dir: 'in' | 'out'; t: number; b64: string; room?: string; vector?: string };
      return { line: index + 1, dir: raw.dir, t: raw.t, bytes: Buffer.from(raw.b64, 'base64'), room: raw.room, vector: raw.vector };
    });
}

export function readCaptureJson<T>(name: string, file: string): T {
  return JSON.parse(readFileSync(`${DANMAKU_DIR}${name}/${file}`, 'utf8')) as T;
}

export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** field 7 of a raw PushFrame, read with plain protobufjs: an independent look at the recording. */
export function rawPayloadType(bytes: Uint8Array): string {
  return (PushFrameType.decode(bytes) as unknown as { payloadType: string }).payloadType;
}
