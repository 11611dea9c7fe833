import type { LiveRoom } from '../../model.ts';
import { badShape, checkEnvelope, mapped, type Mapped } from './envelope.ts';
import { mapRoom } from './room.ts';
import { record } from './values.ts';

/** A feed item is `{type, data: Room}` on the web; older app-side feeds list Rooms directly. */
function roomOfItem(item: unknown): unknown {
  const wrapped = record(record(item)?.data);
  return wrapped ?? item;
}

/** webcast/feed: `data[]`; items that are not rooms (banners, ads) are skipped. */
export function mapFeed(body: unknown): Mapped<LiveRoom[]> {
  const envelope = checkEnvelope(body);
  if (!envelope.ok) return envelope;
  const items = envelope.value.data;
  if (!Array.isArray(items)) return badShape('feed answered without a data list');
  return mapped(items.flatMap((item) => mapRoom(roomOfItem(item)) ?? []));
}
