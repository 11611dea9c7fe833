// The stock baseline: graphql-yoga with graphql-ws wired the way yoga's documentation shows,
// over yoga's in-memory pubsub. graphql-ws executes the subscription document once per
// subscriber per event, which is what the gateway's fan-out is measured against. The same
// server answers `liveRoom` from memory for the HTTP bench.
import { setMaxListeners } from 'node:events';
import { createServer } from 'node:http';
import type { ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { createPubSub, createSchema, createYoga } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { BenchChat, RunningServer } from './types.ts';

const TYPE_DEFS = /* GraphQL */ `
  type User {
    id: ID!
    nickname: String
  }
  interface RoomEvent {
    id: ID!
  }
  type ChatEvent implements RoomEvent {
    id: ID!
    content: String!
    user: User
  }
  type LiveRoom {
    id: ID!
    title: String!
    isLive: Boolean
    owner: User
    viewerCount: Int
  }
  type Query {
    liveRoom(roomId: ID!): LiveRoom
  }
  type Subscription {
    roomEvents(roomId: ID!): RoomEvent!
  }
`;

interface Enveloped {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
}

export interface YogaBaselineOptions {
  /** What `liveRoom` answers with, whatever the id (the gateway's own answer, so sizes match). */
  liveRoom?: Record<string, unknown> | null;
}

export async function startYogaBaseline(options: YogaBaselineOptions = {}): Promise<RunningServer> {
  const eventTarget = new EventTarget();
  // Thousands of subscribers of one topic are the point here, not a listener leak.
  setMaxListeners(0, eventTarget);
  const pubsub = createPubSub<{ roomEvents: [roomId: string, chat: BenchChat] }>({ eventTarget });
  const schema = createSchema({
    typeDefs: TYPE_DEFS,
    resolvers: {
      RoomEvent: { __resolveType: (event: BenchChat) => event.__typename },
      Query: { liveRoom: () => options.liveRoom ?? null },
      Subscription: {
        roomEvents: {
          subscribe: (_root: unknown, args: { roomId: string }) => pubsub.subscribe('roomEvents', args.roomId),
          resolve: (chat: BenchChat) => chat,
        },
      },
    },
  });
  const yoga = createYoga({ schema, logging: false, landingPage: false, graphiql: false });
  const httpServer = createServer(yoga);
  const wss = new WebSocketServer({ server: httpServer, path: yoga.graphqlEndpoint });
  const wsServer = useServer(
    {
      execute: (args) => (args.rootValue as Enveloped).execute(args) as never,
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args) as never,
      onSubscribe: async (ctx, _id, payload) => {
        const enveloped = yoga.getEnveloped({ ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params: payload });
        const document = enveloped.parse(payload.query);
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length > 0) return errors;
        return {
          schema: enveloped.schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue: await enveloped.contextFactory(),
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe } satisfies Enveloped,
        };
      },
    },
    wss,
  );
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const address = httpServer.address();
  if (address === null || typeof address === 'string') throw new Error('the baseline is not on a TCP port');
  const url = `http://127.0.0.1:${address.port}${yoga.graphqlEndpoint}`;
  return {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    publish: (roomId, chats) => {
      for (const chat of chats) pubsub.publish('roomEvents', roomId, chat);
    },
    watch: () => {},
    sockets: () => wss.clients.size,
    stop: async () => {
      for (const socket of wss.clients) socket.terminate();
      await wsServer.dispose();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await yoga.dispose();
    },
  };
}
