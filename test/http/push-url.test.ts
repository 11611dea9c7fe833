import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildPushUrl,
  normalizePushBase,
  signatureStub,
  signatureStubInput,
  syntheticCursor,
} from '../../src/collectors/signer/index.ts';
import { captureJson, haveCaptures } from '../mappers-json/captures.ts';

describe('signatureStub', () => {
  it('joins the 13 pairs of protocol §3.3 in order, empty keys included', () => {
    expect(signatureStubInput({ roomId: '7690183442860198697', userUniqueId: '2824504236962640624' })).toBe(
      'live_id=1,aid=6383,version_code=180800,webcast_sdk_version=1.0.15,room_id=7690183442860198697,' +
        'sub_room_id=,sub_channel_id=,did_rule=3,user_unique_id=2824504236962640624,device_platform=web,' +
        'device_type=,ac=,identity=audience',
    );
  });

  it('is the lowercase MD5 hex of that text, different for another room or visitor', () => {
    const params = { roomId: '7690183442860198697', userUniqueId: '2824504236962640624' };
    const stub = signatureStub(params);
    expect(stub).toMatch(/^[0-9a-f]{32}$/);
    expect(stub).toBe(createHash('md5').update(signatureStubInput(params)).digest('hex'));
    expect(signatureStub({ ...params, roomId: '7690183442860198698' })).not.toBe(stub);
    expect(signatureStub({ ...params, userUniqueId: '1' })).not.toBe(stub);
    expect(signatureStub({ ...params, sdkVersion: '1.0.14-beta.0' })).not.toBe(stub);
  });
});

describe.skipIf(!haveCaptures)('buildPushUrl against the recorded handshake (skipped: ../shared/captures is absent)', () => {
  const meta = haveCaptures ? captureJson('danmaku/S13-live', 'meta.json') : null;
  const recorded = new URL(meta?.handshakes[0].url ?? 'wss://x');
  const value = (key: string) => recorded.searchParams.get(key)!;

  it('reproduces the recorded URL byte for byte from its own values', () => {
    const url = buildPushUrl('wss://webcast100-ws-web-lq.douyin.com', {
      roomId: value('room_id'),
      userUniqueId: value('user_unique_id'),
      cursor: value('cursor'),
      signature: value('signature'),
      userAgent: meta.handshakes[0].headers['User-Agent'],
    });
    expect(url).toBe(meta.handshakes[0].url);
  });

  it('sends the same parameter names in the same order', () => {
    const built = new URL(
      buildPushUrl('wss://webcast100-ws-web-lq.douyin.com/', { roomId: '1', userUniqueId: '2', cursor: 'c', signature: 's' }),
    );
    expect([...built.searchParams.keys()]).toEqual([...recorded.searchParams.keys()]);
  });

  it('encodes a signature holding + and / as a value', () => {
    const url = buildPushUrl('wss://h', { roomId: '1', userUniqueId: '2', cursor: 'c', signature: 'a+b/c=' });
    expect(url.endsWith('&signature=a%2Bb%2Fc%3D')).toBe(true);
    expect(new URL(url).searchParams.get('signature')).toBe('a+b/c=');
  });
});

describe('buildPushUrl options', () => {
  it('leaves the signature out when there is none (a stand-in accepts that)', () => {
    const url = new URL(buildPushUrl('ws://127.0.0.1:4100', { roomId: '1', userUniqueId: '2', cursor: 'c', signature: '' }));
    expect(url.searchParams.has('signature')).toBe(false);
    expect(url.searchParams.get('room_id')).toBe('1');
  });

  it('puts internal_ext right after the cursor when it is known', () => {
    const url = new URL(buildPushUrl('wss://h', { roomId: '1', userUniqueId: '2', cursor: 'c', internalExt: 'internal_src:dim|wss_push_did:2' }));
    const keys = [...url.searchParams.keys()];
    expect(keys.indexOf('internal_ext')).toBe(keys.indexOf('cursor') + 1);
    expect(url.searchParams.get('internal_ext')).toBe('internal_src:dim|wss_push_did:2');
  });

  it('writes a synthetic cursor in the page\'s form', () => {
    expect(syntheticCursor(1790519970273.6)).toBe('h-1_t-1790519970273_r-1_d-1_u-1');
  });
});

describe('normalizePushBase', () => {
  it.each([
    ['wss://webcast100-ws-web-lq.douyin.com', 'wss://webcast100-ws-web-lq.douyin.com/webcast/im/push/v2/'],
    ['wss://webcast100-ws-web-lq.douyin.com/', 'wss://webcast100-ws-web-lq.douyin.com/webcast/im/push/v2/'],
    ['https://webcast100-ws-web-hl.douyin.com/webcast/im/push/v2/?a=1', 'wss://webcast100-ws-web-hl.douyin.com/webcast/im/push/v2/'],
    ['http://127.0.0.1:4100/webcast/im/push/v2', 'ws://127.0.0.1:4100/webcast/im/push/v2/'],
    ['wss://a.douyin.com/webcast/im/push/v2/,wss://b.douyin.com', 'wss://a.douyin.com/webcast/im/push/v2/'],
    ['ws://127.0.0.1:4100/prefix', 'ws://127.0.0.1:4100/prefix/webcast/im/push/v2/'],
  ])('%s → %s', (input, expected) => {
    expect(normalizePushBase(input)).toBe(expected);
  });

  it('throws for something that is not a URL', () => {
    expect(() => normalizePushBase('not a url')).toThrow(TypeError);
  });
});
