// `npm start` on a port another process holds: a one-line refusal naming the variable to change,
// exit 2, no stack trace; the same for the built-in simulator's port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdPort, type HeldPort } from '../support/held-port.ts';
import { startMain } from './fixtures/gateway-main.ts';

describe('npm start on a port already in use', () => {
  let held: HeldPort;
  let port: number;

  beforeAll(async () => {
    held = await holdPort();
    port = held.port;
  });
  afterAll(() => held.release());

  it.each([
    ['PORT', { PORT: 'held', SIMULATOR_PORT: '0' }],
    ['SIMULATOR_PORT', { PORT: '0', SIMULATOR_PORT: 'held' }],
  ])('refuses a held %s with exit 2 and what to set', async (variable, ports) => {
    const env = Object.fromEntries(Object.entries(ports).map(([key, value]) => [key, value === 'held' ? String(port) : value]));
    const gateway = startMain({ ...env, HOST: '127.0.0.1', DATA_DIR: 'memory://', LOG_LEVEL: 'warn' });
    const { code } = await gateway.exited;
    expect(code).toBe(2);
    expect(gateway.stderr().trim()).toBe(
      `127.0.0.1:${port} is already in use by another process: stop that process or set ${variable} to a free port (PORT_IN_USE)`,
    );
  }, 60_000);
});
