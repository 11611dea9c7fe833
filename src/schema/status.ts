import { roomRefsArg } from './arguments.ts';
import { builder } from './builder.ts';
import type { RoomStatusChange } from './context.ts';
import { badUserInput, toCodedError } from './errors.ts';
import { watchedStream } from '../live/watched-stream.ts';
import { resolveRoomIds } from './loaders.ts';

export const RoomStatusEnum = builder.enumType('RoomStatus', {
  description: "A broadcast's state as Douyin reports it (Room.status: 1 preparing, 2 live, 3 paused, 4 ended).",
  values: {
    PREPARING: { description: 'Set up, not yet broadcasting.' },
    LIVE: { description: 'Broadcasting.' },
    PAUSED: { description: 'The anchor paused the broadcast.' },
    ENDED: { description: 'Finished; the room_id will not be used again.' },
    UNKNOWN: { description: 'Douyin sent a status the gateway does not know.' },
  } as const,
});

export const ConnectionStateEnum = builder.enumType('ConnectionState', {
  description: "The gateway's collector for a watched room.",
  values: {
    RESOLVING: { description: 'Looking the room up.' },
    WAITING_FOR_LIVE: { description: 'The room is not live; its status is polled until it is.' },
    UPSTREAM_UNREACHABLE: { description: 'Douyin did not answer (no route, timeout, server error); the room is looked up again with backoff.' },
    UPSTREAM_DEGRADED: {
      description: 'Every cookie/proxy pair of the upstream pool is quarantined (Douyin refused them); the room moves to the first pair that returns.',
    },
    CONNECTING: { description: 'Opening the push connection.' },
    LIVE: { description: 'Receiving events.' },
    STALLED: { description: 'Connected, but no message or heartbeat reply for too long.' },
    RECONNECTING: { description: 'The connection dropped; reconnecting with backoff.' },
    ENDED: { description: 'The broadcast ended; no more events will come.' },
  } as const,
});

export const RoomStatusChangeRef = builder.objectRef<RoomStatusChange>('RoomStatusChange').implement({
  description: "A change of a watched room's collector state or broadcast status.",
  fields: (t) => ({
    roomId: t.exposeID('roomId'),
    anchor: t.exposeID('anchor', { nullable: true, description: "The anchor's web_rid, when the room is followed as one of that anchor's broadcasts (roomStatus given a web_rid)." }),
    at: t.expose('at', { type: 'DateTime' }),
    connectionState: t.expose('connectionState', { type: ConnectionStateEnum, nullable: true }),
    status: t.expose('status', { type: RoomStatusEnum, nullable: true }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why, when the collector said (e.g. the close reason).' }),
  }),
});

builder.subscriptionField('roomStatus', (t) =>
  t.field({
    type: RoomStatusChangeRef,
    description:
      "Each room's current collector state, then every change. Subscribing watches the rooms (starts their " +
      'collectors) until the subscription ends. Accepts room_ids and web_rids; a web_rid follows its anchor from ' +
      'broadcast to broadcast: ENDED, then WAITING_FOR_LIVE, then the next room_id as it resolves and goes live.',
    args: { roomIds: t.arg.idList({ required: true }) },
    subscribe: async (_root, args, context) => {
      if (args.roomIds.length === 0) throw badUserInput('roomIds: give at least one room', 'roomIds');
      const refs = roomRefsArg(args.roomIds, 'roomIds');
      const resolved = await resolveRoomIds(context, refs);
      const roomIds = [...new Set(resolved.filter((_, index) => refs[index]?.kind === 'roomId'))];
      // An anchor starts on the room its web_rid resolved to (a bad web_rid fails here, before anything is watched).
      const anchors = refs.flatMap((ref, index) => (ref.kind === 'webRid' ? [{ webRid: ref.webRid, roomId: resolved[index] as string }] : []));
      return watchedStream(context, roomIds, (signal) => context.statusChanges.subscribe(roomIds, signal, anchors), toCodedError);
    },
    resolve: (change) => change,
  }),
);
