// /chat is poll-based: the first poll starts collecting and returns the newest stored messages,
// each later poll returns what was stored since the caller's previous one, every message once per caller, and idle callers let go.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenBucketRateLimiter } from '../../src/server/auth/rate-limiter.ts';
import { ChatSessions } from '../../src/server/rest/chat-sessions.ts';
import { createVendorRestHandler, type VendorRestHandler } from '../../src/server/rest/handler.ts';
import { chatEvent, FakeDouyin, FakeHistory, FakeRooms, OTHER_ROOM_ID, ROOM_ID, viewerCountEvent } from './helpers/fakes.ts';
import { tokenFixture, type TokenFixture } from './helpers/tokens.ts';

let tokens: TokenFixture;
let history: FakeHistory;
let rooms: FakeRooms;
let douyin: FakeDouyin;
let handler: VendorRestHandler;

beforeEach(() => {
  tokens = tokenFixture();
  history = new FakeHistory();
  rooms = new FakeRooms();
  douyin = new FakeDouyin();
  handler = createVendorRestHandler({
    douyin,
    rooms,
    history,
    auth: tokens.auth,
    rateLimiter: new TokenBucketRateLimiter({ perMinute: 10_000 }),
    chat: { idleMs: 60_000 },
  });
});

afterEach(() => {
  handler.close();
  tokens.cleanup();
  vi.useRealTimers();
});

interface ChatBody {
  code: number;
  data: { messages: { msg_id: number; payload: { content: string } }[]; cursor: string; fetch_interval: number; ignores: string[] };
}

async function poll(token: string, roomId = ROOM_ID): Promise<ChatBody> {
  const response = await handler(new Request(`http://gateway/douyin/liveroom/chat?room_id=${roomId}&token=${token}`));
  expect(response?.status).toBe(200);
  return JSON.parse((await response?.text()) ?? '') as ChatBody;
}

const contents = (body: ChatBody) => body.data.messages.map((message) => message.payload.content);

describe('chat polling', () => {
  it('the first poll starts collecting and returns the most recent stored messages', async () => {
    history.append(chatEvent('older'), viewerCountEvent(), chatEvent('before the first poll'));
    const first = await poll(tokens.good);
    expect(contents(first)).toEqual(['older', 'before the first poll']);
    expect(rooms.active(ROOM_ID)).toBe(1);
    expect(first.data.fetch_interval).toBe(1000);
    expect(douyin.calls).toEqual([]);
    // The next poll starts right after them.
    history.append(chatEvent('after'));
    expect(contents(await poll(tokens.good))).toEqual(['after']);
  });

  it('the first poll returns at most a page, the newest', async () => {
    const sessions = new ChatSessions({ rooms, history, pageSize: 2 });
    history.append(...['1', '2', '3', '4', '5'].map((text) => chatEvent(text)));
    const first = await sessions.poll('token:a', ROOM_ID);
    expect(first.events.map((event) => (event as { content: string }).content)).toEqual(['4', '5']);
    expect((await sessions.poll('token:a', ROOM_ID)).events).toEqual([]);
    sessions.close();
  });

  it('returns each message once, in order, across polls', async () => {
    await poll(tokens.good);
    history.append(chatEvent('one'), chatEvent('two'));
    expect(contents(await poll(tokens.good))).toEqual(['one', 'two']);
    expect(contents(await poll(tokens.good))).toEqual([]);
    history.append(chatEvent('three'));
    const third = await poll(tokens.good);
    expect(contents(third)).toEqual(['three']);
    expect(third.data.cursor).not.toBe('');
    // One watch however often the caller polls.
    expect(rooms.watchCalls).toBe(1);
  });

  it('keeps a separate cursor per token', async () => {
    await poll(tokens.good);
    history.append(chatEvent('one'));
    await poll(tokens.other);
    history.append(chatEvent('two'));
    expect(contents(await poll(tokens.good))).toEqual(['one', 'two']);
    expect(contents(await poll(tokens.other))).toEqual(['two']);
    expect(contents(await poll(tokens.good))).toEqual([]);
    expect(rooms.active(ROOM_ID)).toBe(2);
  });

  it('keeps a separate cursor per room', async () => {
    await poll(tokens.good, ROOM_ID);
    await poll(tokens.good, OTHER_ROOM_ID);
    history.append(chatEvent('here', ROOM_ID), chatEvent('there', OTHER_ROOM_ID));
    expect(contents(await poll(tokens.good, OTHER_ROOM_ID))).toEqual(['there']);
    expect(contents(await poll(tokens.good, ROOM_ID))).toEqual(['here']);
  });

  it('leaves out what the vendor\'s chat did not carry (viewer counts) and says so in ignores', async () => {
    await poll(tokens.good);
    history.append(viewerCountEvent(), chatEvent('visible'));
    const body = await poll(tokens.good);
    expect(contents(body)).toEqual(['visible']);
    expect(body.data.ignores).toContain('WebcastRoomUserSeqMessage');
  });

  it('never returns a message twice to concurrent polls of one caller', async () => {
    await poll(tokens.good);
    history.append(chatEvent('a'), chatEvent('b'), chatEvent('c'));
    const [x, y] = await Promise.all([poll(tokens.good), poll(tokens.good)]);
    expect([...contents(x), ...contents(y)].sort()).toEqual(['a', 'b', 'c']);
  });
});

describe('chat sessions', () => {
  it('releases the room after idleMs without polls, and resumes from the cursor on the next poll', async () => {
    vi.useFakeTimers();
    const sessions = new ChatSessions({ rooms, history, idleMs: 5 * 60_000 });
    await sessions.poll('token:a', ROOM_ID);
    expect(rooms.active(ROOM_ID)).toBe(1);
    await vi.advanceTimersByTimeAsync(5 * 60_000 - 1);
    expect(rooms.active(ROOM_ID)).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(rooms.active(ROOM_ID)).toBe(0);
    history.append(chatEvent('while away'));
    const back = await sessions.poll('token:a', ROOM_ID);
    expect(back.events.map((event) => (event as { content: string }).content)).toEqual(['while away']);
    expect(rooms.active(ROOM_ID)).toBe(1);
    sessions.close();
    expect(rooms.active(ROOM_ID)).toBe(0);
  });

  it('each poll pushes the idle deadline back', async () => {
    vi.useFakeTimers();
    const sessions = new ChatSessions({ rooms, history, idleMs: 1_000 });
    await sessions.poll('token:a', ROOM_ID);
    await vi.advanceTimersByTimeAsync(900);
    await sessions.poll('token:a', ROOM_ID);
    await vi.advanceTimersByTimeAsync(900);
    expect(rooms.active(ROOM_ID)).toBe(1);
    sessions.close();
  });

  it('forgets the least recently polled caller beyond maxSessions, releasing its room', async () => {
    const sessions = new ChatSessions({ rooms, history, maxSessions: 2 });
    await sessions.poll('token:a', ROOM_ID);
    await sessions.poll('token:b', ROOM_ID);
    await sessions.poll('token:a', ROOM_ID);
    await sessions.poll('token:c', ROOM_ID);
    expect(sessions.size()).toBe(2);
    expect(rooms.active(ROOM_ID)).toBe(2);
    // b was dropped: its next poll is a first poll again (the newest page, 'late' included).
    history.append(chatEvent('late'));
    expect((await sessions.poll('token:a', ROOM_ID)).events).toHaveLength(1);
    history.append(chatEvent('later'));
    expect((await sessions.poll('token:b', ROOM_ID)).events.map((event) => (event as { content: string }).content)).toEqual(['late', 'later']);
    sessions.close();
  });

  it('returns at most pageSize messages per poll and the rest on the next', async () => {
    const sessions = new ChatSessions({ rooms, history, pageSize: 2 });
    await sessions.poll('token:a', ROOM_ID);
    history.append(...['1', '2', '3', '4', '5'].map((text) => chatEvent(text)));
    const sizes = [];
    for (let i = 0; i < 4; i += 1) sizes.push((await sessions.poll('token:a', ROOM_ID)).events.length);
    expect(sizes).toEqual([2, 2, 1, 0]);
    sessions.close();
  });

  it('handler.close() releases every room chat polling holds', async () => {
    await poll(tokens.good, ROOM_ID);
    await poll(tokens.other, OTHER_ROOM_ID);
    handler.close();
    expect(rooms.active(ROOM_ID) + rooms.active(OTHER_ROOM_ID)).toBe(0);
  });

  it('a failed poll does not block the caller\'s next one', async () => {
    let fail = true;
    const flaky = {
      latestCursor: (roomId: string) => (fail ? Promise.reject(new Error('down')) : history.latestCursor(roomId)),
      listEvents: history.listEvents.bind(history),
    };
    const sessions = new ChatSessions({ rooms, history: flaky });
    await expect(sessions.poll('token:a', ROOM_ID)).rejects.toThrow('down');
    fail = false;
    await expect(sessions.poll('token:a', ROOM_ID)).resolves.toMatchObject({ events: [] });
    sessions.close();
  });
});
