import { describe, expect, it } from 'vitest';
import { encodeAck, HEARTBEAT_FRAME } from '../../src/collectors/protocol/frames.ts';
import { PushFrameType } from '../../src/collectors/protocol/proto.ts';
import { base64 } from './captures.ts';

const EXT = 'internal_src:pushserver|first_req_ms:1790519971025|wss_msg_type:r|wrds_v:7690224713984906537';

describe('client frames', () => {
  it('the heartbeat is exactly field 7 = "hb", the 4 bytes Douyin clients send', () => {
    expect([...HEARTBEAT_FRAME]).toEqual([0x3a, 0x02, 0x68, 0x62]);
    expect(base64(HEARTBEAT_FRAME)).toBe('OgJoYg==');
  });

  it('an ack holds log_id, "ack" and internal_ext, and nothing else', () => {
    const ack = encodeAck('4901453207607389421', EXT);
    const decoded = PushFrameType.toObject(PushFrameType.decode(ack), { longs: String, bytes: String });
    expect(decoded).toEqual({ logId: '4901453207607389421', payloadType: 'ack', payload: Buffer.from(EXT).toString('base64') });
  });

  it('writes a log_id above 2^63 as an unsigned 10-byte varint', () => {
    // The S13-vectors 3.x client sent exactly these bytes for log_id 2^64 - 1.
    expect(base64(encodeAck('18446744073709551615', EXT))).toBe(
      'EP///////////wE6A2Fja0JcaW50ZXJuYWxfc3JjOnB1c2hzZXJ2ZXJ8Zmlyc3RfcmVxX21zOjE3OTA1MTk5NzEwMjV8d3NzX21zZ190eXBlOnJ8d3Jkc192Ojc2OTAyMjQ3MTM5ODQ5MDY1Mzc=',
    );
  });

  it('writes log_id 0 and an empty internal_ext explicitly, as Douyin clients do', () => {
    expect([...encodeAck('0', '')]).toEqual([0x10, 0x00, 0x3a, 0x03, 0x61, 0x63, 0x6b, 0x42, 0x00]);
  });

  it('encodes internal_ext as UTF-8 with a multi-byte length prefix when long', () => {
    const ext = `扩展${'x'.repeat(200)}`;
    const ack = encodeAck('1', ext);
    const payload = (PushFrameType.decode(ack) as unknown as { payload: Uint8Array }).payload;
    expect(Buffer.from(payload).toString('utf8')).toBe(ext);
    expect(ack.length).toBe(2 + 5 + 1 + 2 + Buffer.byteLength(ext));
  });

  it.each(['', '-1', '12a', '18446744073709551616', ' 1', '1e3'])('refuses log_id %j with a RangeError', (logId) => {
    expect(() => encodeAck(logId, EXT)).toThrow(RangeError);
  });
});
