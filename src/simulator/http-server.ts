// The one HTTP server the simulator listens with: reads request bodies, routes /__sim/ to the
// control API and everything else upstream, hands upgrades to the push server, and keeps
// track of sockets, delayed and hung responses so stop() ends everything deterministically.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Reply } from './http-routes.ts';
import { listenOn } from '../server/listen.ts';

export interface HttpHandlers {
  /** Answers now (a Reply) or takes the response over (null: it will answer, or never). */
  upstream(request: IncomingMessage, url: URL, body: string, response: ServerResponse): Reply | null;
  control(method: string, url: URL, body: string): Reply;
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void;
}

const MAX_BODY_BYTES = 1 << 20;
export const CONTROL_PREFIX = '/__sim/';

export function sendReply(response: ServerResponse, reply: Reply): void {
  if (response.writableEnded || response.destroyed) return;
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : Buffer.from(reply.body);
  response.writeHead(reply.status, { ...reply.headers, 'content-length': String(body.length) });
  response.end(body);
}

function requestUrl(request: IncomingMessage): URL {
  return new URL(request.url ?? '/', 'http://simulator.invalid');
}

export class SimulatorHttpServer {
  readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(handlers: HttpHandlers) {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      request.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          sendReply(response, { status: 413, headers: {}, body: '' });
          request.destroy();
          return;
        }
        chunks.push(chunk);
      });
      request.on('end', () => {
        const url = requestUrl(request);
        const body = Buffer.concat(chunks).toString('utf8');
        if (url.pathname.startsWith(CONTROL_PREFIX)) {
          sendReply(response, handlers.control(request.method ?? 'GET', url, body));
          return;
        }
        const reply = handlers.upstream(request, url, body, response);
        if (reply) sendReply(response, reply);
      });
    });
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      handlers.upgrade(request, socket, head, requestUrl(request));
    });
  }

  async listen(port: number, host: string): Promise<number> {
    await listenOn(this.server, port, host, 'SIMULATOR_PORT');
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
      this.sockets.clear();
    });
  }
}
