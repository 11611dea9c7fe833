// Which rooms a webhook covers (createWebhook's anchors and roomIds), as a table: an anchor given
// by web_rid or by sec_uid covers each of their broadcasts; nothing given covers every room.
import { describe, expect, it } from 'vitest';
import type { WebhookFilter } from '../../../src/live/webhooks/filter.ts';
import { coversRoom } from '../../../src/live/webhooks/trigger.ts';

const ROOM = '7300000000000000001';
const OTHER = '7300000000000000002';
const ANCHOR = { webRid: '700000000001', secUid: 'MS4wLjABAAAAanchor', nickname: '主播' };

function filter(anchors: string[], roomIds: string[]): WebhookFilter {
  return { events: ['LIVE_STARTED'], anchors, roomIds, minDiamonds: null, keywords: [], viewerThreshold: null };
}

describe('coversRoom', () => {
  it.each([
    ['nothing given: every room', filter([], []), ROOM, ANCHOR, true],
    ['nothing given, anchor unknown: still every room', filter([], []), ROOM, null, true],
    ['the room by id', filter([], [ROOM]), ROOM, ANCHOR, true],
    ['another room by id', filter([], [OTHER]), ROOM, ANCHOR, false],
    ['the anchor by web_rid', filter([ANCHOR.webRid], []), ROOM, ANCHOR, true],
    ['the anchor by sec_uid', filter([ANCHOR.secUid], []), ROOM, ANCHOR, true],
    ['another anchor', filter(['700000000002'], []), ROOM, ANCHOR, false],
    ['an anchor, the room\'s anchor not known', filter([ANCHOR.webRid], []), ROOM, null, false],
    ['another anchor, or the room by id', filter(['700000000002'], [ROOM]), ROOM, ANCHOR, true],
  ] as const)('%s', (_name, given, roomId, anchor, expected) => {
    expect(coversRoom(given, roomId, anchor)).toBe(expected);
  });
});
