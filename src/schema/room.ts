import type { GraphQLResolveInfo } from 'graphql';
import type { LiveRoom } from '../domain/model.ts';
import { boundedIntArg, roomRefsArg, singleRoomRefArg } from './arguments.ts';
import { builder } from './builder.ts';
import { callPort } from './errors.ts';
import { ImageRef } from './image.ts';
import { loadLiveStatuses, loadRoom, primeRooms } from './loaders.ts';
import { ConnectionStateEnum, RoomStatusEnum } from './status.ts';
import { selectedFieldNames } from './selection.ts';
import { StreamUrlRef } from './stream.ts';
import { UserRef } from './user.ts';

export const LiveRoomRef = builder.objectRef<LiveRoom>('LiveRoom').implement({
  description:
    "One broadcast of an anchor. Fields come from Douyin's room info (web/enter or reflow) unless they say otherwise.",
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The room_id of this broadcast (19 digits; new every broadcast).' }),
    webRid: t.exposeID('webRid', {
      nullable: true,
      description: "The anchor's fixed room number (web_rid, 11–12 digits): live.douyin.com/<webRid>.",
    }),
    title: t.exposeString('title'),
    status: t.expose('status', { type: RoomStatusEnum }),
    isLive: t.loadable({
      type: 'Boolean',
      nullable: true,
      description:
        "Whether the room is broadcasting now, from Douyin's batched live-status check (one upstream call for every " +
        'room in the operation). Null when Douyin did not report the room.',
      load: (roomIds: string[], context) => loadLiveStatuses(roomIds, context),
      resolve: (room) => room.id,
    }),
    owner: t.expose('owner', { type: UserRef, nullable: true, description: 'The anchor.' }),
    cover: t.expose('cover', { type: ImageRef, nullable: true }),
    viewerCount: t.expose('viewerCount', {
      type: 'SafeInt',
      nullable: true,
      description: 'People watching now, as of the room info fetch.',
    }),
    totalViewers: t.expose('totalViewers', {
      type: 'SafeInt',
      nullable: true,
      description: 'People who have watched this broadcast in total.',
    }),
    likeCount: t.expose('likeCount', { type: 'SafeInt', nullable: true, description: 'Likes of this broadcast so far.' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true, description: 'When the broadcast started.' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true, description: 'When it ended; null while live.' }),
    streamUrls: t.expose('streamUrls', {
      type: [StreamUrlRef],
      description: 'Pull URLs, FLV and HLS, one per quality Douyin offers. Empty when not live.',
    }),
    hasCommerceGoods: t.exposeBoolean('hasCommerceGoods', { description: 'Whether the room sells products (a cart).' }),
    category: t.exposeString('category', { nullable: true, description: 'Partition or game tag, when Douyin shows one.' }),
    connectionState: t.field({
      type: ConnectionStateEnum,
      nullable: true,
      description: "The gateway's collector for this room; null when nobody is watching it.",
      resolve: (room, _args, context) => context.rooms.connectionState(room.id),
    }),
  }),
});

builder.queryField('liveRoom', (t) =>
  t.field({
    type: LiveRoomRef,
    nullable: true,
    description:
      "A broadcast by room_id, or the anchor's current (or last) broadcast by web_rid. Give exactly one. " +
      'ROOM_NOT_FOUND when Douyin has no such room.',
    args: {
      roomId: t.arg.id({ description: 'The 19-digit room_id.' }),
      webRid: t.arg.id({ description: "The anchor's room number from live.douyin.com/<webRid>." }),
    },
    resolve: (_root, args, context) => loadRoom(context, singleRoomRefArg(args)),
  }),
);

builder.queryField('liveRooms', (t) =>
  t.field({
    type: [LiveRoomRef],
    nullable: { list: false, items: true },
    description:
      'Many rooms at once, in the order asked; each id is a room_id (17+ digits) or a web_rid. A room that fails ' +
      'is null with its error in `errors`. At most 100 ids. Selecting `isLive` and only `id` besides costs one live-status ' +
      'call per 50 room_ids and no room-info call; a room_id Douyin does not know is then `isLive: false` rather ' +
      'than ROOM_NOT_FOUND (a web_rid still needs its room info to find the room_id).',
    args: { ids: t.arg.idList({ required: true }) },
    resolve: async (_root, args, context, info) => {
      const refs = roomRefsArg(args.ids, 'ids');
      if (!isStatusOnly(info)) return refs.map((ref) => loadRoom(context, ref));
      const rooms = refs.map((ref) => (ref.kind === 'roomId' ? Promise.resolve(roomKnownById(ref.roomId)) : loadRoom(context, ref)));
      // Every room settled before isLive resolves, so all of them share one live-status batch.
      await Promise.allSettled(rooms);
      return rooms;
    },
  }),
);

/** What a status-only selection reads: the id, and isLive from the batched live-status check. */
const STATUS_ONLY_FIELDS: ReadonlySet<string> = new Set(['id', 'isLive', '__typename']);

/** isLive and nothing beyond the id: without isLive, the room info is what tells a room exists. */
function isStatusOnly(info: GraphQLResolveInfo): boolean {
  const names = selectedFieldNames(info);
  return names.has('isLive') && [...names].every((name) => STATUS_ONLY_FIELDS.has(name));
}

/**
 * A room known by its id alone, for a selection that reads nothing else (STATUS_ONLY_FIELDS):
 * no other field of it is ever resolved, so its placeholders are never served.
 */
function roomKnownById(roomId: string): LiveRoom {
  return {
    id: roomId,
    webRid: null,
    title: '',
    status: 'UNKNOWN',
    owner: null,
    cover: null,
    viewerCount: null,
    totalViewers: null,
    likeCount: null,
    startedAt: null,
    finishedAt: null,
    streamUrls: [],
    hasCommerceGoods: false,
    category: null,
  };
}

builder.queryField('liveFeed', (t) =>
  t.field({
    type: [LiveRoomRef],
    nullable: true,
    description: "Rooms live now, from Douyin's recommendation feed: a fresh random sample on every call (no paging).",
    args: { first: t.arg.int({ defaultValue: 20, required: true, description: 'At most this many rooms, 1–100.' }) },
    resolve: async (_root, args, context) => {
      const first = boundedIntArg(args.first, 'first', 1, 100);
      const rooms = (await callPort(() => context.douyin.feed())).slice(0, first);
      primeRooms(context, rooms);
      return rooms;
    },
  }),
);
