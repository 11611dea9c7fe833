// issue 16 item 4, work cancelled when its client goes away: only that client's work. Identical
// calls in flight are shared, so a second caller may be waiting on a call queued in the first
// caller's turn; the first caller leaving must not fail the second's request.
import { describe, expect, it } from 'vitest';
import { withUpstreamBudget } from '../../src/collectors/http/budget.ts';
import { json, useHarness } from './client-harness.ts';

const harnessOf = useHarness();

const ROOM_ID = '7690183442860198697';
const REFLOW = `{"data":{"room":{"id":${ROOM_ID},"id_str":"${ROOM_ID}","status":2,"title":"t","owner_user_id":1,"owner":{"id":1,"id_str":"1","nickname":"n"}},"user":{}},"extra":{"now":1},"status_code":0}`;

describe('a gone client\'s call shared with another caller', () => {
  it('is sent for the caller still waiting, who gets the room; the gone one gets UPSTREAM_BUSY', async () => {
    harnessOf().routes.set('/webcast/room/reflow/info/', (_req, res) => json(res, REFLOW));
    // One token a second: the first call takes it, the shared one has to queue.
    const { api } = harnessOf().client({ ratePerSec: 1, rateBurst: 1, retries: 0 });
    await api.roomByRoomId(ROOM_ID);
    const gone = new AbortController();
    const first = withUpstreamBudget({ caller: 'token:a', signal: gone.signal, maxCalls: 10 }, () => api.roomByRoomId(ROOM_ID)).catch((error: unknown) => error);
    const second = withUpstreamBudget({ caller: 'token:b', signal: new AbortController().signal, maxCalls: 10 }, () => api.roomByRoomId(ROOM_ID));
    gone.abort();
    expect(await first).toMatchObject({ code: 'UPSTREAM_BUSY' });
    expect(await second).toMatchObject({ id: ROOM_ID, title: 't' });
    const sent = harnessOf().server.requests.filter((request) => request.path === '/webcast/room/reflow/info/');
    expect(sent).toHaveLength(2);
  });
});
