// The access log: one line per response at LOG_LEVEL info, and no per-request work at all when
// that level is off (the line would be dropped anyway).
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/server/logger.ts';
import { useAccessLog } from '../../src/server/plugins.ts';
import { LogCapture } from './helpers.ts';

const request = new Request('http://gateway.test/douyin/room?token=secret-value&room_id=1');
const response = new Response('{}', { status: 200 });

function run(level: 'info' | 'warn'): { logs: LogCapture; hooks: ReturnType<typeof useAccessLog> } {
  const logs = new LogCapture();
  const hooks = useAccessLog(createLogger({ level, destination: logs }), () => 0);
  (hooks.onRequest as ((payload: { request: Request }) => void) | undefined)?.({ request });
  (hooks.onResponse as ((payload: { request: Request; response: Response }) => void) | undefined)?.({ request, response });
  return { logs, hooks };
}

describe('useAccessLog', () => {
  it('writes one line per response at info, with secret query values masked', async () => {
    const { logs } = run('info');
    await new Promise((resolve) => setImmediate(resolve));
    const lines = logs.lines.filter((line) => line.msg === 'request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ method: 'GET', status: 200, ms: 0 });
    expect(String(lines[0]!.url)).not.toContain('secret-value');
  });

  it('adds no hook at all when info is off', () => {
    const { logs, hooks } = run('warn');
    expect([hooks.onRequest, hooks.onResponse]).toEqual([undefined, undefined]);
    expect(logs.lines).toEqual([]);
  });
});
