import { roomStartMs, toMillis } from '../../ids.ts';
import type { LiveRoom, RoomStatus, User } from '../../model.ts';
import { mapImage } from './image.ts';
import { likeCount, totalViewers, viewerCount } from './room-counts.ts';
import { mapStreamUrls } from './stream-urls.ts';
import { mapUser } from './user.ts';
import { at, flag, idOf, int, record, text, type JsonRecord } from './values.ts';

/** Room.status (protocol §1.2): 1 prepare, 2 live, 3 paused, 4 ended. */
const STATUSES: Record<number, RoomStatus> = { 1: 'PREPARING', 2: 'LIVE', 3: 'PAUSED', 4: 'ENDED' };

export function roomStatus(value: unknown): RoomStatus {
  return STATUSES[int(value) ?? -1] ?? 'UNKNOWN';
}

export interface RoomContext {
  /** The anchor when the room itself has no owner object (web/enter's `data.user` of an ended room). */
  anchor?: User | null;
  /** The anchor's web_rid, when the caller knows it (it asked web/enter for it). */
  webRid?: string | null;
}

function startedAt(room: JsonRecord, id: string): number | null {
  return toMillis(int(room.start_time) ?? 0) ?? toMillis(int(room.create_time) ?? 0) ?? roomStartMs(id);
}

/** finish_time is only meaningful once a room ended: live rooms repeat create_time in it. */
function finishedAt(room: JsonRecord, status: RoomStatus): number | null {
  return status === 'ENDED' ? toMillis(int(room.finish_time) ?? 0) : null;
}

/** Douyin's Room object (web/enter, reflow, feed); null when it has no id. */
export function mapRoom(value: unknown, context: RoomContext = {}): LiveRoom | null {
  const room = record(value);
  const id = idOf(room);
  if (room === null || id === null) return null;
  const status = roomStatus(room.status);
  const owner = mapUser(room.owner) ?? context.anchor ?? null;
  return {
    id,
    webRid: context.webRid ?? owner?.webRid ?? null,
    title: text(room.title) ?? '',
    status,
    owner: owner === null ? null : { ...owner, webRid: owner.webRid ?? context.webRid ?? null },
    cover: mapImage(room.cover),
    viewerCount: viewerCount(room),
    totalViewers: totalViewers(room),
    likeCount: likeCount(room),
    startedAt: startedAt(room, id),
    finishedAt: finishedAt(room, status),
    streamUrls: mapStreamUrls(room.stream_url),
    hasCommerceGoods: flag(room.has_commerce_goods),
    category: text(at(room, 'game_data', 'game_tag_info', 'game_tag_name')),
  };
}
