// A room's stored history: a Relay connection over its events and aggregates over them. Both
// need the event store; without one they fail with HISTORY_DISABLED.
import type { RoomEvent, RoomEventType } from '../domain/events.ts';
import type { EventPage, GifterTotal, RoomStats } from '../store/event-store.ts';
import { boundedIntArg } from './arguments.ts';
import { builder } from './builder.ts';
import type { EventHistory, SchemaContext } from './context.ts';
import { callPort, historyDisabled } from './errors.ts';
import { RoomEventRef, RoomEventTypeEnum } from './events.ts';
import { LiveRoomRef } from './room.ts';
import { UserRef } from './user.ts';

interface EventConnection {
  page: EventPage;
  after: string | null;
}

interface EventEdge {
  cursor: string;
  node: RoomEvent;
}

const PageInfoRef = builder.objectRef<EventConnection>('PageInfo').implement({
  description: 'Relay page information.',
  fields: (t) => ({
    hasNextPage: t.boolean({ resolve: ({ page }) => page.hasNextPage }),
    hasPreviousPage: t.boolean({
      description: 'True when the page was asked for after a cursor (there are events before it).',
      resolve: ({ after }) => after !== null,
    }),
    startCursor: t.string({ nullable: true, resolve: ({ page }) => page.events[0]?.cursor ?? null }),
    endCursor: t.string({ nullable: true, resolve: ({ page }) => page.endCursor }),
  }),
});

const RoomEventEdgeRef = builder.objectRef<EventEdge>('RoomEventEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.expose('node', { type: RoomEventRef }),
  }),
});

const RoomEventConnectionRef = builder.objectRef<EventConnection>('RoomEventConnection').implement({
  description: 'A page of stored events, oldest first.',
  fields: (t) => ({
    edges: t.field({
      type: [RoomEventEdgeRef],
      resolve: ({ page }) => page.events.map((node) => ({ cursor: node.cursor ?? '', node })),
    }),
    nodes: t.field({ type: [RoomEventRef], resolve: ({ page }) => page.events }),
    pageInfo: t.field({ type: PageInfoRef, resolve: (connection) => connection }),
  }),
});

const MessageTypeCountRef = builder.objectRef<{ type: RoomEventType; count: number }>('MessageTypeCount').implement({
  fields: (t) => ({
    type: t.expose('type', { type: RoomEventTypeEnum }),
    count: t.expose('count', { type: 'SafeInt' }),
  }),
});

const GifterRef = builder.objectRef<GifterTotal>('Gifter').implement({
  description: 'A viewer\'s gift total in the stored history.',
  fields: (t) => ({
    userId: t.exposeID('userId'),
    user: t.expose('user', { type: UserRef, nullable: true, description: 'The latest stored profile, when one was seen.' }),
    giftCount: t.expose('giftCount', { type: 'SafeInt', description: 'Gifts given, each combo counted once.' }),
    diamonds: t.expose('diamonds', { type: 'SafeInt', description: 'Diamonds given.' }),
  }),
});

const RoomHistoryStatsRef = builder.objectRef<RoomStats>('RoomHistoryStats').implement({
  description: "Aggregates over the room's stored events (what the gateway saw, not Douyin's own totals).",
  fields: (t) => ({
    messagesByType: t.field({
      type: [MessageTypeCountRef],
      description: 'Stored events per kind, most frequent first.',
      resolve: (stats) =>
        Object.entries(stats.messagesByType)
          .map(([type, count]) => ({ type: type as RoomEventType, count: count ?? 0 }))
          .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)),
    }),
    totalMessages: t.expose('totalMessages', { type: 'SafeInt' }),
    uniqueChatters: t.expose('uniqueChatters', { type: 'SafeInt', description: 'Distinct users who chatted.' }),
    likes: t.expose('likesTotal', { type: 'SafeInt', description: 'Likes in the stored like bursts.' }),
    follows: t.expose('follows', { type: 'SafeInt' }),
    giftDiamonds: t.expose('giftDiamondsTotal', { type: 'SafeInt', description: 'Diamonds of all gifts, each combo counted once.' }),
    topGifters: t.field({
      type: [GifterRef],
      args: { first: t.arg.int({ defaultValue: 10, required: true, description: '0–100.' }) },
      description: 'Highest givers first.',
      resolve: (stats, args) => stats.topGifters.slice(0, boundedIntArg(args.first, 'first', 0, 100)),
    }),
    peakViewers: t.expose('peakViewers', { type: 'SafeInt', nullable: true, description: 'Most people watching at once.' }),
    currentViewers: t.expose('currentViewers', { type: 'SafeInt', nullable: true, description: 'The latest viewer count.' }),
    firstEventAt: t.expose('firstEventAt', { type: 'DateTime', nullable: true }),
    lastEventAt: t.expose('lastEventAt', { type: 'DateTime', nullable: true }),
  }),
});

function historyOf(context: SchemaContext): EventHistory {
  if (context.history === null) throw historyDisabled();
  return context.history;
}

builder.objectFields(LiveRoomRef, (t) => ({
  events: t.field({
    type: RoomEventConnectionRef,
    nullable: true,
    description: "The room's stored events, oldest first (needs the event store).",
    args: {
      first: t.arg.int({ defaultValue: 20, required: true, description: 'Page size, 1–100.' }),
      after: t.arg.string({ description: 'A cursor from an earlier page.' }),
      types: t.arg({ type: [RoomEventTypeEnum], required: false, description: 'Only these kinds; all when omitted.' }),
      since: t.arg({ type: 'DateTime', required: false, description: 'Only events created at or after this time.' }),
    },
    resolve: async (room, args, context) => {
      const first = boundedIntArg(args.first, 'first', 1, 100);
      const history = historyOf(context);
      const after = args.after ?? null;
      const page = await callPort(() =>
        history.listEvents(room.id, { first, after, types: args.types ?? null, since: args.since ?? null }),
      );
      return { page, after };
    },
  }),
  stats: t.field({
    type: RoomHistoryStatsRef,
    nullable: true,
    description: "Aggregates over the room's stored events (needs the event store).",
    resolve: (room, _args, context) => {
      const history = historyOf(context);
      return callPort(() => history.roomStats(room.id));
    },
  }),
}));
