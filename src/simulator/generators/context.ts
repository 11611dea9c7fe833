// What every message generator gets: randomness, time, the room and a source of ids. Given the
// same inputs a generator produces the same bytes and the same change to the room.
import type { GiftTruth, MessageKind } from '../ground-truth.ts';
import type { Prng } from '../prng.ts';
import type { RoomModel } from '../room-model.ts';

export interface GenerateContext {
  prng: Prng;
  nowMs: number;
  room: RoomModel;
  /** The next 64-bit snowflake id of this room (msg ids, gift group ids). */
  nextId(): string;
  /** URLs of an image URI, served by the simulator. */
  imageUrls(uri: string): string[];
}

export interface GeneratedMessage {
  kind: MessageKind;
  method: string;
  msgId: string;
  /** The encoded typed message (Message.payload). */
  payload: Uint8Array;
  userId: string | null;
  text?: string;
  gift?: GiftTruth;
  action?: number;
}
