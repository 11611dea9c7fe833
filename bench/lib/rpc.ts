// Request/response over a child process's IPC channel, the child side. The parent calls a named
// method and awaits its result; one-way notices (no id) carry streams such as "these ids were
// sent at these times". A child whose parent goes away exits, so no bench process outlives a run.

export interface RpcRequest {
  id?: number;
  method: string;
  params?: unknown;
}

export type RpcResponse = { id: number; result: unknown } | { id: number; error: string };

export type RpcHandler = (params: never) => unknown;

export function serveRpc(handlers: Record<string, RpcHandler>): void {
  if (process.send === undefined) throw new Error('this script runs as a bench child process (started with an IPC channel)');
  const channel = process;
  // A reply to a parent that has gone away is dropped: the child is about to exit anyway.
  const send = (response: RpcResponse) => {
    if (channel.connected) channel.send?.(response, undefined, undefined, () => undefined);
  };
  process.on('message', (message: RpcRequest) => {
    const handler = handlers[message.method];
    if (message.id === undefined) {
      handler?.(message.params as never);
      return;
    }
    const id = message.id;
    Promise.resolve()
      .then(() => {
        if (handler === undefined) throw new Error(`no method ${message.method}`);
        return handler(message.params as never);
      })
      .then(
        (result) => send({ id, result: result ?? null } satisfies RpcResponse),
        (error: unknown) => send({ id, error: error instanceof Error ? error.message : String(error) } satisfies RpcResponse),
      );
  });
  process.on('disconnect', () => process.exit(0));
}
