// Room info bodies: web/enter (by web_rid) and reflow (by room_id).
import type { LiveRoom } from '../../model.ts';
import { badShape, checkEnvelope, mapped, signal, type Mapped } from './envelope.ts';
import { mapRoom } from './room.ts';
import { mapUser } from './user.ts';
import { int, list, record } from './values.ts';

/** web/enter's top-level room_status: 0 = live, 2 = not live (protocol §1.2). */
const ENTER_LIVE = 0;
const ENTER_NOT_LIVE = 2;

/**
 * web/enter: `data.data[0]` is the anchor's current or last room; `data.user` is the anchor,
 * used when the room has no `owner` (ended rooms).
 * status_code 4001038 (or no room at all) is the not-found signal.
 */
export function mapEnterBody(body: unknown, webRid: string): Mapped<LiveRoom> {
  const envelope = checkEnvelope(body);
  if (!envelope.ok) return envelope;
  const data = record(envelope.value.data);
  if (data === null) return badShape('web/enter answered without data');
  const first = list(data.data)[0];
  const room = mapRoom(first, { anchor: mapUser(data.user), webRid });
  if (room === null) return signal({ kind: 'NOT_FOUND', statusCode: null, message: `web_rid ${webRid} has no room` });
  if (room.status !== 'UNKNOWN') return mapped(room);
  // A room without its own status still has web/enter's top-level room_status.
  const top = int(data.room_status);
  if (top === ENTER_LIVE) return mapped({ ...room, status: 'LIVE' });
  if (top === ENTER_NOT_LIVE) return mapped({ ...room, status: 'ENDED' });
  return mapped(room);
}

/** reflow/info: `data.room` is the room with its owner (including owner.web_rid), ended rooms too. */
export function mapReflowBody(body: unknown, roomId: string): Mapped<LiveRoom> {
  const envelope = checkEnvelope(body);
  if (!envelope.ok) return envelope;
  const data = record(envelope.value.data);
  if (data === null) return badShape('reflow answered without data');
  const room = mapRoom(data.room);
  if (room === null) return signal({ kind: 'NOT_FOUND', statusCode: null, message: `room ${roomId} is unknown to reflow` });
  return mapped(room);
}
