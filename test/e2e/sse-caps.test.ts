// The per-token subscription cap holds over SSE as it does over graphql-ws: a token cannot dodge
// it by opening event streams, and a stream that ends frees its slot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFile, type TokenFile } from './helpers/vendor.ts';
import { startStack, until, type Stack } from './stack.ts';

const ROOM_EVENTS = 'subscription ($id: ID!) { roomEvents(roomId: $id, types: [CHAT]) { id } }';

describe('subscription caps over SSE', () => {
  let stack: Stack;
  let tokens: TokenFile;
  let token: string;
  let roomId: string;

  beforeAll(async () => {
    tokens = tokenFile();
    token = tokens.add('sse');
    stack = await startStack({ env: { API_TOKENS_FILE: tokens.file, MAX_SUBSCRIPTIONS_PER_TOKEN: '1' } });
    roomId = stack.sim.liveRooms()[0]!.id;
  });
  afterAll(async () => {
    await stack?.close();
    tokens?.cleanup();
  });

  const slotsHeld = () => stack.app.access.caps.tokenCount(`token:${token.split('_')[1]}`);
  const openStream = (signal: AbortSignal) =>
    fetch(stack.url, {
      method: 'POST',
      signal,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: ROOM_EVENTS, variables: { id: roomId } }),
    });

  it('refuses a second stream of the same token with SUBSCRIPTION_LIMIT, and frees the slot when the first ends', async () => {
    const first = new AbortController();
    const held = await openStream(first.signal);
    expect(held.status).toBe(200);
    await until(() => slotsHeld() === 1, 'the first stream to hold its slot');

    const refused = new AbortController();
    const second = await openStream(refused.signal);
    const text = await second.text();
    expect(text).toContain('SUBSCRIPTION_LIMIT');
    expect(slotsHeld()).toBe(1);

    first.abort();
    await held.body?.cancel().catch(() => undefined);
    await until(() => slotsHeld() === 0, 'the slot to be freed when the stream ends');

    const third = new AbortController();
    const admitted = await openStream(third.signal);
    await until(() => slotsHeld() === 1, 'a new stream to take the freed slot');
    expect(admitted.status).toBe(200);
    third.abort();
    await admitted.body?.cancel().catch(() => undefined);
  });
});
