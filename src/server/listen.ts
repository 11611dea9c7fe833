// Binding a port. A port another process holds is an operator's mistake to fix, not a crash: the
// error names the variable that sets the port, so the start-up refusal can say what to change.
import type { Server } from 'node:net';

export class PortInUseError extends Error {
  readonly code = 'PORT_IN_USE';

  constructor(
    /** The setting that chose the port: `PORT`, `SIMULATOR_PORT`. */
    readonly variable: string,
    readonly host: string,
    readonly port: number,
  ) {
    super(`${host}:${port} is already in use by another process: stop that process or set ${variable} to a free port`);
    this.name = 'PortInUseError';
  }
}

export function isPortInUseError(error: unknown): error is PortInUseError {
  return error instanceof PortInUseError;
}

/** Listens on host:port; EADDRINUSE rejects with a PortInUseError naming `variable`, other errors as they are. */
export function listenOn(server: Server, port: number, host: string, variable: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(variable, host, port) : error);
    };
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
}
