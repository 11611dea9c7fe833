// Where a bench's events come from, and when each was sent: a simulator room for the gateway
// (it sends over the real push protocol and records every message's sentAt), an IPC publish to
// the server process for the baselines (stamped just before it leaves this process).
import type { SimRoom } from '../../src/simulator/index.ts';
import type { BenchChild } from './child.ts';
import { benchChat } from './chats.ts';

export interface LoadSource {
  roomId: string;
  /** Sends `count` chats now; their event ids and send times (ms since the epoch). */
  emit(count: number): [string, number][];
}

export function simulatorRoomSource(room: SimRoom): LoadSource {
  return {
    roomId: room.id,
    emit: (count) => room.emit(count, { kinds: ['chat'] }).map((record) => [record.msgId, record.sentAt]),
  };
}

export function publishSource(server: BenchChild, roomId = '7400000000000000001'): LoadSource {
  let next = 0;
  return {
    roomId,
    emit: (count) => {
      const chats = Array.from({ length: count }, () => benchChat(next++));
      const sentAt = Date.now();
      server.notify('publish', { roomId, chats });
      return chats.map((chat) => [chat.id, sentAt]);
    },
  };
}
