// /douyin/liveroom/chat: poll for the room's messages since this caller's previous poll.
import { VendorError } from '../errors.ts';
import { requireRoomId } from '../params.ts';
import { vendorChatPage } from '../shapes/chat.ts';
import type { Route } from './route.ts';

export const chatRoute: Route = {
  method: 'GET',
  envelope: 'liveroom',
  async run({ params, chat, callerKey, now }) {
    const roomId = requireRoomId(params);
    if (chat === null) {
      throw new VendorError(503, 'HISTORY_UNAVAILABLE', 'chat polling needs the event store, and this gateway runs without one');
    }
    const poll = await chat.poll(callerKey, roomId);
    return vendorChatPage(poll.events, poll.cursor, now);
  },
};
