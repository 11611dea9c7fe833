// graphql-ws on the same HTTP server and path as yoga, executing through yoga's envelop (as
// graphql-yoga documents it) so masking, limits and metrics plugins apply to sockets too.
import type { Server } from 'node:http';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { GatewayYoga } from './yoga.ts';

/** WebSocket close codes this server sends itself (graphql-ws's CloseCode has the protocol's). */
export const ServerCloseCode = {
  /** RFC 6455: the server is going down. */
  GoingAway: 1001,
} as const;

interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
}

export interface GraphQLWsHandle {
  /** Open client sockets. */
  clients(): number;
  /** Says "going away" (1001) to every client, waits up to graceMs for them to go, then cuts the rest. */
  close(graceMs: number): Promise<void>;
}

function waitForClose(socket: WebSocket, ms: number): Promise<void> {
  if (socket.readyState === socket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.terminate();
      resolve();
    }, ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function attachGraphQLWs(httpServer: Server, yoga: GatewayYoga): GraphQLWsHandle {
  // noServer: upgrades are routed here by path, and the HTTP server's own errors (a port in
  // use) stay with whoever started it instead of being re-emitted on the socket server.
  const wss = new WebSocketServer({ noServer: true });
  httpServer.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== yoga.graphqlEndpoint) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (client) => wss.emit('connection', client, request));
  });

  const server = useServer(
    {
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: async (ctx, _id, payload) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
        });
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        const args: ExecutionArgs = {
          schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe } satisfies EnvelopedRoot,
        };
        return args;
      },
    },
    wss,
  );

  return {
    clients: () => wss.clients.size,
    async close(graceMs) {
      const sockets = [...wss.clients];
      for (const socket of sockets) socket.close(ServerCloseCode.GoingAway, 'Server shutting down');
      await Promise.all(sockets.map((socket) => waitForClose(socket, graceMs)));
      await server.dispose();
    },
  };
}
