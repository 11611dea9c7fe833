// A loopback port another "process" holds, for tests of what happens when a server cannot bind.
import { createServer } from 'node:net';

export interface HeldPort {
  readonly port: number;
  release(): Promise<void>;
}

export async function holdPort(): Promise<HeldPort> {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  return {
    port: (holder.address() as { port: number }).port,
    release: () => new Promise<void>((resolve) => holder.close(() => resolve())),
  };
}
