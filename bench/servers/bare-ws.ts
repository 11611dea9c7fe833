// The practical limit: a bare `ws` server that serializes each event once, as the graphql-ws
// `next` message a subscriber would get, and writes those same bytes to every socket. No
// protocol, no execution: what a Node process can push through N sockets at best.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { BROADCAST_OPERATION_ID } from '../lib/chat-frame.ts';
import type { BenchChat, RunningServer } from './types.ts';

export async function startBareWs(): Promise<RunningServer> {
  const httpServer = createServer((_request, response) => response.writeHead(404).end());
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql' });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const address = httpServer.address();
  if (address === null || typeof address === 'string') throw new Error('the bare ws server is not on a TCP port');
  const url = `http://127.0.0.1:${address.port}/graphql`;
  return {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    publish: (_roomId, chats) => {
      for (const chat of chats) {
        const frame = Buffer.from(JSON.stringify({ id: BROADCAST_OPERATION_ID, type: 'next', payload: { data: { roomEvents: chat } } }));
        for (const socket of wss.clients) socket.send(frame, { binary: false });
      }
    },
    watch: () => {},
    sockets: () => wss.clients.size,
    stop: async () => {
      for (const socket of wss.clients) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
