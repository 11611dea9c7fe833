// The push URL each connection attempt uses: bootstrapped once from im/fetch (cursor, visitor
// id), resumed with the last frame's cursor and internal_ext, signed through the Signer with a
// stub computed from the very user_unique_id the URL sends; and what happens without im/fetch.
import { afterEach, describe, expect, it } from 'vitest';
import { DouyinHttpClient } from '../../src/collectors/http/index.ts';
import { createPushEndpoint } from '../../src/collectors/push/endpoint.ts';
import { decodeFrame } from '../../src/collectors/protocol/decode.ts';
import { PushConnection } from '../../src/collectors/push/push-connection.ts';
import { DEFAULT_PROFILE } from '../../src/collectors/http/browser-profile.ts';
import { noSigner } from '../../src/collectors/signer/none.ts';
import type { Signer, SignInput } from '../../src/collectors/signer/signer.ts';
import { signatureStub } from '../../src/collectors/signer/stub.ts';
import type { RoomEvent } from '../../src/domain/events.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { FAST_BACKOFF, until, uniqueIds, Upstream } from './helpers/harness.ts';

let upstream: Upstream | null = null;
const stoppers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const stop of stoppers.splice(0).reverse()) await stop();
  await upstream?.stop();
  upstream = null;
});

const IM_FETCH = '/webcast/im/fetch/';

/** A stand-in for a signing service: the signature is derived from the stub it is given. */
function stubSigner(calls: SignInput[]): Signer {
  return {
    kind: 'service',
    sign: async (input) => {
      calls.push(input);
      return { signature: input.stub === '' ? '' : input.stub.slice(0, 16), aBogus: 'a'.repeat(16) };
    },
  };
}

function acceptsStubSignatures(query: Record<string, string>): boolean {
  const expected = signatureStub({ roomId: query.room_id ?? '', userUniqueId: query.user_unique_id ?? '' }).slice(0, 16);
  return query.signature === expected;
}

function connect(sim: Simulator, roomId: string, signer: Signer) {
  const client = new DouyinHttpClient({ webUrl: sim.url, reflowUrl: sim.url, timeoutMs: 5_000, retries: 0, ratePerSec: 10_000, rateBurst: 10_000, signer });
  const events: RoomEvent[] = [];
  const reasons: string[] = [];
  const refusals: { blocked: boolean; status: string }[] = [];
  const connection = new PushConnection({
    roomId,
    endpoint: createPushEndpoint({ roomId, webRid: null, client, signer, pushBase: sim.pushUrl, preferConfigured: true, userAgent: DEFAULT_PROFILE.userAgent }),
    backoff: FAST_BACKOFF,
    blockedBackoff: FAST_BACKOFF,
    onEvents: (batch) => events.push(...batch),
    onReconnect: (reason) => reasons.push(reason),
    onHandshakeRefused: ({ blocked, status }) => refusals.push({ blocked, status }),
  });
  stoppers.push(() => connection.stop());
  connection.start();
  return { connection, events, reasons, refusals };
}

describe('push endpoint against the simulator', () => {
  it('starts from im/fetch’s cursor and visitor id, asks im/fetch once, and resumes from the last frame', async () => {
    upstream = await Upstream.start();
    const room = upstream.sim.liveRooms()[0]!;
    const earlier = room.emit(5, { kinds: ['chat'] });
    const push = await upstream.openLive(room.id);
    const first = uniqueIds(room.emit(6, { perFrame: 3, kinds: ['chat'] }));
    await until(() => push.upstream().length === first.length, 'the messages');
    upstream.sim.dropConnection(upstream.openConnections(room.id)[0]!.id);
    await until(() => upstream!.handshakes(room.id).length === 2 && push.state() === 'LIVE', 'the reconnect');

    const [opening, resumed] = upstream.handshakes(room.id).map((h) => h.query);
    const fetches = upstream.sim.requests({ path: IM_FETCH });
    expect(fetches).toHaveLength(1);
    expect(opening!.cursor).toMatch(new RegExp(`_r-${BigInt(room.id) + BigInt(earlier.at(-1)!.seq)}_`));
    const did = /wss_push_did:(\d+)/.exec(opening!.internal_ext ?? '')?.[1];
    expect(did).toMatch(/^\d{19}$/);
    expect(opening!.user_unique_id).toBe(did);
    expect(resumed!.user_unique_id).toBe(did);
    expect(push.upstream().map((e) => e.id)).toEqual(first);

    const lastMsg = push.recorded.frames
      .filter((f) => f.direction === 'in')
      .map((f) => decodeFrame(f.bytes))
      .flatMap((r) => (r.ok && r.value.response !== null ? [r.value.response] : []))
      .at(-1)!;
    expect(resumed!.cursor).toBe(lastMsg.cursor);
    expect(resumed!.cursor).toMatch(new RegExp(`_r-${BigInt(room.id) + BigInt(room.lastSeq)}_`));
    expect(resumed!.internal_ext).toBe(lastMsg.internalExt);
    expect(resumed!.internal_ext).toMatch(/^internal_src:pushserver\|/);
  });

  it('signs the push URL with a stub of the user_unique_id it sends, which a checking upstream accepts', async () => {
    const sim = await startSimulator({ seed: 'signed', rooms: 1, autoTraffic: false, requireSignature: true, verifySignature: acceptsStubSignatures });
    stoppers.push(() => sim.stop());
    const room = sim.liveRooms()[0]!;
    const calls: SignInput[] = [];
    const { connection, events } = connect(sim, room.id, stubSigner(calls));
    await until(() => connection.connectionState === 'LIVE', 'LIVE');
    const sent = uniqueIds(room.emit(4, { kinds: ['chat'] }));
    await until(() => events.length === sent.length, 'the messages');
    const handshake = sim.requests({ kind: 'ws' })[0]!;
    expect(handshake.status).toBe(101);
    const pushCall = calls.find((c) => c.stub !== '')!;
    expect(pushCall.stub).toBe(signatureStub({ roomId: room.id, userUniqueId: handshake.query.user_unique_id! }));
    expect(pushCall.userAgent).toBe(DEFAULT_PROFILE.userAgent);
    expect(new URL(pushCall.url).searchParams.get('signature')).toBeNull();
  });

  it('is refused by a checking upstream when no signer is configured, and keeps backing off', async () => {
    const sim = await startSimulator({ seed: 'unsigned', rooms: 1, autoTraffic: false, requireSignature: true, verifySignature: acceptsStubSignatures });
    stoppers.push(() => sim.stop());
    const room = sim.liveRooms()[0]!;
    const { connection, reasons, refusals } = connect(sim, room.id, noSigner);
    await until(() => reasons.length >= 3, 'three refusals');
    expect(connection.connectionState).toBe('RECONNECTING');
    // Told apart from a network failure, so the pool can quarantine the cookie and proxy.
    expect(refusals.slice(0, 3)).toEqual(Array(3).fill({ blocked: true, status: '415' }));
    expect(new Set(reasons)).toEqual(new Set(['handshake refused (415 DEVICE_BLOCKED)']));
    expect(sim.requests({ kind: 'ws' }).every((h) => h.status === 200 && h.query.signature === undefined)).toBe(true);
  });

  it('connects with a synthetic cursor when im/fetch fails, and streams from then on', async () => {
    upstream = await Upstream.start();
    const room = upstream.sim.liveRooms()[0]!;
    upstream.sim.injectFault({ target: { path: IM_FETCH }, fault: { kind: 'rate-limit', retryAfterSeconds: 1 } });
    const push = await upstream.openLive(room.id);
    const sent = uniqueIds(room.emit(4, { kinds: ['chat'] }));
    await until(() => push.upstream().length === sent.length, 'the messages');
    const handshake = upstream.handshakes(room.id)[0]!;
    expect(handshake.query.cursor).toMatch(/^h-1_t-\d+_r-1_d-1_u-1$/);
    expect(handshake.query.internal_ext).toBeUndefined();
    expect(handshake.query.user_unique_id).toBe(upstream.client.visitorId);
    expect(upstream.sim.connections()[0]!.resume).toBe('none');
    expect(push.upstream().map((e) => e.id)).toEqual(sent);
  });
});
