// A port another process holds: the simulator refuses it naming SIMULATOR_PORT, and
// `npm run simulator` turns that into a one-line refusal with exit 2 instead of a stack trace.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdPort, type HeldPort } from '../support/held-port.ts';
import { startSimulator } from '../../src/simulator/index.ts';

const MAIN = fileURLToPath(new URL('../../src/simulator/main.ts', import.meta.url));

describe('a simulator port already in use', () => {
  let held: HeldPort;
  let port: number;

  beforeAll(async () => {
    held = await holdPort();
    port = held.port;
  });
  afterAll(() => held.release());

  it('is an error naming SIMULATOR_PORT', async () => {
    await expect(startSimulator({ port, host: '127.0.0.1', autoTraffic: false })).rejects.toMatchObject({
      code: 'PORT_IN_USE',
      variable: 'SIMULATOR_PORT',
      message: `127.0.0.1:${port} is already in use by another process: stop that process or set SIMULATOR_PORT to a free port`,
    });
  });

  it('makes `npm run simulator` exit 2 with that message and no stack trace', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const env = { ...process.env, SIMULATOR_PORT: String(port), SIMULATOR_HOST: '127.0.0.1' };
      execFile(process.execPath, ['--import', 'tsx', MAIN], { env, timeout: 30_000 }, (error, _stdout, stderr) =>
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stderr }),
      );
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`127.0.0.1:${port} is already in use by another process: stop that process or set SIMULATOR_PORT to a free port (PORT_IN_USE)`);
  });
});
