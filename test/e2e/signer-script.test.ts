// docs/signer.md's example script, run as DOUYIN_SIGN_SCRIPT by a whole gateway against a
// simulator that insists on signatures: signed HTTP calls carry its a_bogus (the simulator
// answers unsigned ones with nothing), and the push handshake carries exactly the signature the
// script computes from the X-MS-STUB of that handshake's room_id and user_unique_id.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from '../../src/collectors/http/index.ts';
import { signatureStub } from '../../src/collectors/signer/index.ts';
import { postGraphQL } from './fixtures/graphql-http.ts';
import { startStack, subscribe, until, type Stack } from './stack.ts';

const SCRIPT = fileURLToPath(new URL('../../docs/examples/sign-example.js', import.meta.url));

/** The example's own sign(), run apart from the gateway, to know what a handshake must carry. */
function exampleSign(stub: string, userAgent: string, url: string): { signature: string; a_bogus?: string } {
  const context = vm.createContext({});
  vm.runInContext(readFileSync(SCRIPT, 'utf8'), context);
  return (context.sign as typeof exampleSign)(stub, userAgent, url);
}

function expectedSignature(query: Record<string, string>): string {
  const stub = signatureStub({ roomId: query.room_id ?? '', userUniqueId: query.user_unique_id ?? '' });
  return exampleSign(stub, DEFAULT_PROFILE.userAgent, '').signature;
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    sim: { requireSignature: true, verifySignature: (query) => query.signature === expectedSignature(query) },
    env: { DOUYIN_SIGN_SCRIPT: SCRIPT },
  });
});
afterAll(async () => {
  await stack?.close();
});

describe('the example script signer', () => {
  it('signs the HTTP calls and the push handshake so a signature-checking upstream lets them in', async () => {
    const room = stack.sim.liveRooms()[0]!;
    const answer = await postGraphQL<{ liveRoom: { id: string } }>(stack.url, `query ($webRid: ID!) { liveRoom(webRid: $webRid) { id } }`, { webRid: room.webRid });
    expect(answer.errors).toEqual([]);
    expect(answer.data!.liveRoom.id).toBe(room.id);
    const enter = stack.sim.requests({ kind: 'http' }).filter((r) => r.path === '/webcast/room/web/enter/');
    expect(enter.length).toBeGreaterThan(0);
    for (const call of enter) expect(call.query.a_bogus).toMatch(/^[A-Za-z0-9_-]{16}$/);

    const sub = subscribe<{ roomEvents: { id: string } }>(stack.wsClient(), `subscription ($id: ID!) { roomEvents(roomId: $id, types: [CHAT]) { id } }`, { id: room.id });
    await until(() => stack.sim.connections().some((c) => c.roomId === room.id && c.heartbeatsReceived > 0), 'a signed push connection');
    const sent = room.emit(3, { kinds: ['chat'] }).filter((r) => !r.duplicate);
    await until(() => sub.results.length >= sent.length, 'the chats');
    const handshakes = stack.sim.requests({ kind: 'ws' });
    expect(handshakes.length).toBeGreaterThan(0);
    for (const handshake of handshakes) expect(handshake.query.signature).toBe(expectedSignature(handshake.query));
    sub.stop();
  });

  it('computes a signature that depends on the stub, so the simulator check above tells handshakes apart', () => {
    const query = { room_id: '7000000000000000001', user_unique_id: '7300000000000000001' };
    expect(expectedSignature(query)).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(expectedSignature({ ...query, user_unique_id: '7300000000000000002' })).not.toBe(expectedSignature(query));
  });
});
