// watch / unwatch mutations and the watches query. The names are a contract with clients
// (issue 12): keep them.
import { GraphQLError } from 'graphql';
import { WatchError, type WatchManager, type WatchPin, type WatchView } from '../live/watches/watch-manager.ts';
import { builder } from './builder.ts';
import type { SchemaContext } from './context.ts';
import { callPort } from './errors.ts';
import { ConnectionStateEnum } from './status.ts';

const PinRef = builder.objectRef<WatchPin>('UpstreamPin').implement({
  description: 'The cookie and/or proxy of the upstream pool a watched room streams through, and only through.',
  fields: (t) => ({
    cookie: t.exposeID('cookie', { nullable: true, description: 'A cookie id (upstreamPool { pairs { cookieId } }); null for any cookie.' }),
    proxy: t.exposeID('proxy', { nullable: true, description: 'A proxy id (upstreamPool { pairs { proxyId } }); null for any proxy.' }),
  }),
});

const WatchRef = builder.objectRef<WatchView>('Watch').implement({
  description: 'A room, or an anchor followed from broadcast to broadcast, recorded whether anyone subscribes or not.',
  fields: (t) => ({
    id: t.exposeID('id'),
    anchor: t.exposeID('anchor', { nullable: true, description: "The anchor's web_rid, for an anchor watch." }),
    roomId: t.exposeID('roomId', { nullable: true, description: "The room recorded now (an anchor's current or last broadcast); null until found." }),
    label: t.exposeString('label', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    pin: t.field({ type: PinRef, nullable: true, resolve: (watch) => watch.pin }),
    connectionState: t.field({
      type: ConnectionStateEnum,
      nullable: true,
      resolve: (watch, _args, context) => (watch.roomId === null ? null : context.rooms.connectionState(watch.roomId)),
    }),
  }),
});

const PinInput = builder.inputType('UpstreamPinInput', {
  description:
    "Streams the watch's room only through upstream pool pairs with this cookie and/or proxy (by the ids upstreamPool shows). While every such pair is quarantined the room waits in UPSTREAM_DEGRADED instead of using another.",
  fields: (t) => ({
    cookie: t.id({ description: 'A cookie id, e.g. cookie-0123abcd.' }),
    proxy: t.id({ description: 'A proxy id, e.g. proxy-0123abcd.' }),
  }),
});

const WatchInput = builder.inputType('WatchInput', {
  fields: (t) => ({
    anchor: t.id({ description: "An anchor's web_rid or sec_uid: followed to each new broadcast (room_id). A sec_uid is resolved to the web_rid once." }),
    roomId: t.id({ description: 'One broadcast.' }),
    label: t.string(),
    pin: t.field({ type: PinInput, description: 'Refused (BAD_USER_INPUT) when the gateway has no upstream pool or no pair of it fits.' }),
  }),
});

function manager(context: SchemaContext): WatchManager {
  if (!context.watches) throw new GraphQLError('this gateway runs without an event store, so it keeps no watches', { extensions: { code: 'HISTORY_DISABLED' } });
  return context.watches;
}

async function run<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await callPort(work);
  } catch (error) {
    if (error instanceof WatchError) throw new GraphQLError(error.message, { extensions: { code: error.code === 'BAD_WATCH_INPUT' ? 'BAD_USER_INPUT' : error.code } });
    throw error;
  }
}

builder.queryField('watches', (t) => t.field({ type: [WatchRef], resolve: (_root, _args, context) => manager(context).list() }));

builder.mutationField('watch', (t) =>
  t.field({
    type: WatchRef,
    description: 'Exactly one of anchor and roomId. Watching the same target twice returns the existing watch.',
    args: { input: t.arg({ type: WatchInput, required: true }) },
    resolve: (_root, { input }, context) => run(() => manager(context).add(input)),
  }),
);

builder.mutationField('unwatch', (t) =>
  t.boolean({ args: { id: t.arg.id({ required: true }) }, description: 'False when there was no such watch.', resolve: (_root, args, context) => run(() => manager(context).remove(args.id)) }),
);
