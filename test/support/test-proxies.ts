// Proxies the tests run on 127.0.0.1, written on node:net: an HTTP CONNECT proxy and a SOCKS5
// proxy. Each records where it was asked to connect and the first request line sent through
// the tunnel (the upstream is plain http/ws here), so a test sees what went through it.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface Tunnelled {
  destination: string;
  /** Request lines seen in the tunnel, e.g. "GET /webcast/im/push/v2/?room_id=… HTTP/1.1". */
  requests: string[];
}

export interface TestProxy {
  url: string;
  tunnels: Tunnelled[];
  close(): Promise<void>;
}

function relay(client: Socket, host: string, port: number, record: Tunnelled[], ready: (upstream: Socket) => void): void {
  const upstream = connect(port, host, () => {
    ready(upstream);
    const tunnel: Tunnelled = { destination: `${host}:${port}`, requests: [] };
    record.push(tunnel);
    // Keep-alive carries many requests over one tunnel: every request line is recorded.
    client.on('data', (chunk: Buffer) => {
      tunnel.requests.push(...(chunk.toString('latin1').match(/^(GET|POST) \S+ HTTP\/1\.1/gm) ?? []));
    });
    client.pipe(upstream).pipe(client);
  });
  const end = () => {
    client.destroy();
    upstream.destroy();
  };
  upstream.on('error', end);
  client.on('error', end);
  client.on('close', end);
}

async function listen(server: Server, scheme: string, tunnels: Tunnelled[], sockets: Set<Socket>): Promise<TestProxy> {
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    tunnels,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function startConnectProxy(): Promise<TestProxy> {
  const tunnels: Tunnelled[] = [];
  const server = createServer((client) => {
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      client.off('data', onData);
      const match = /^CONNECT ([^\s:]+|\[[^\]]+\]):(\d+) HTTP\/1\.[01]/.exec(head);
      if (match === null) {
        client.end('HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n');
        return;
      }
      relay(client, match[1]!.replace(/^\[|\]$/g, ''), Number(match[2]), tunnels, () => client.write('HTTP/1.1 200 Connection Established\r\n\r\n'));
    };
    client.on('data', onData);
  });
  return listen(server, 'http', tunnels, new Set());
}

export function startSocks5Proxy(): Promise<TestProxy> {
  const tunnels: Tunnelled[] = [];
  const server = createServer((client) => {
    let buffer = Buffer.alloc(0);
    let greeted = false;
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!greeted) {
        if (buffer.length < 2 || buffer.length < 2 + buffer[1]!) return;
        buffer = buffer.subarray(2 + buffer[1]!);
        greeted = true;
        client.write(Buffer.from([5, 0])); // no authentication
      }
      if (buffer.length < 5) return;
      const type = buffer[3]!;
      const addressLength = type === 1 ? 4 : type === 4 ? 16 : 1 + buffer[4]!;
      if (buffer.length < 4 + addressLength + 2) return;
      client.off('data', onData);
      const host =
        type === 1 ? [...buffer.subarray(4, 8)].join('.') : type === 3 ? buffer.subarray(5, 5 + buffer[4]!).toString('latin1') : '::1';
      const port = buffer.readUInt16BE(4 + addressLength);
      relay(client, host, port, tunnels, () => client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0])));
    };
    client.on('data', onData);
  });
  return listen(server, 'socks5', tunnels, new Set());
}
