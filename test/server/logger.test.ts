import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/server/logger.ts';
import { LogCapture } from './helpers.ts';

const COOKIE = 'sessionid=5f3b9c0d1e2f; ttwid=1%7Cabcdef';
const TOKEN = 'tok_live_9f8e7d6c5b4a';

function capture() {
  const logs = new LogCapture();
  return { logs, logger: createLogger({ level: 'debug', destination: logs }) };
}

describe('logs', () => {
  it('never print a cookie, token, password or authorization header, however deep it sits', () => {
    const { logs, logger } = capture();
    logger.info({ cookie: COOKIE, token: TOKEN }, 'top level');
    logger.info({ config: { upstream: { cookie: COOKIE }, store: { password: 'hunter2', databaseUrl: 'postgres://u:hunter2@db/x' } } }, 'config');
    logger.info({ req: { headers: { cookie: COOKIE, authorization: `Bearer ${TOKEN}`, 'set-cookie': COOKIE } } }, 'request');
    logger.child({ signer: { token: TOKEN } }).warn('child bindings');

    const text = logs.raw.join('\n');
    for (const secret of [COOKIE, TOKEN, 'hunter2', '5f3b9c0d1e2f']) expect(text).not.toContain(secret);
    expect(logs.lines).toHaveLength(4);
    expect(logs.lines[1]).toMatchObject({ config: { upstream: { cookie: '[redacted]' }, store: { password: '[redacted]' } } });
    expect(logs.lines[2]).toMatchObject({ req: { headers: { authorization: '[redacted]', cookie: '[redacted]' } } });
  });

  it('scrub every logged error through one serializer: message and stack masked, name and code kept', () => {
    const { logs, logger } = capture();
    logger.error({ err: Object.assign(new Error(`upstream said Cookie: ${COOKIE} to ${TOKEN}?%74oken=zzz999`), { code: 'BLOCKED' }) }, 'failed');
    expect(logs.raw.join('\n')).not.toMatch(/5f3b9c0d1e2f|zzz999/);
    expect(logs.lines[0]).toMatchObject({ err: { name: 'Error', code: 'BLOCKED', stack: expect.stringContaining('logger.test.ts') } });
  });

  it('say an unset secret is unset: null stays null, not "[redacted]"', () => {
    const { logs, logger } = capture();
    logger.info({ config: { upstream: { cookie: null }, store: { databaseUrl: null } } }, 'starting');
    logger.info({ config: { upstream: { cookie: COOKIE }, store: { databaseUrl: 'postgres://u:hunter2@db/x' } } }, 'starting');
    expect(logs.lines[0]).toMatchObject({ config: { upstream: { cookie: null }, store: { databaseUrl: null } } });
    expect(logs.lines[1]).toMatchObject({ config: { upstream: { cookie: '[redacted]' }, store: { databaseUrl: '[redacted]' } } });
  });

  it('keeps everything else readable', () => {
    const { logs, logger } = capture();
    logger.info({ roomId: '7690183442860198697', upstream: { webUrl: 'https://live.douyin.com' } }, 'watching');
    expect(logs.lines[0]).toMatchObject({ roomId: '7690183442860198697', upstream: { webUrl: 'https://live.douyin.com' }, msg: 'watching', level: 30 });
  });

  it('honours the level', () => {
    const logs = new LogCapture();
    const logger = createLogger({ level: 'warn', destination: logs });
    logger.info('hidden');
    logger.warn('shown');
    expect(logs.lines.map((line) => line.msg)).toEqual(['shown']);
  });

  it('read as text on a terminal: level, message and fields on a line, secrets still masked', () => {
    const text: string[] = [];
    const terminal = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text.push(chunk.toString('utf8'));
        done();
      },
    });
    const logger = createLogger({ destination: terminal, pretty: true, instanceId: 'gw-1' });
    logger.info({ roomId: '7690183442860198697', config: { upstream: { cookie: COOKIE } } }, 'watching');

    const output = text.join('');
    expect(() => JSON.parse(output) as unknown).toThrow();
    expect(output).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: watching\n/);
    expect(output).toContain('instance: "gw-1"');
    expect(output).toContain('roomId: "7690183442860198697"');
    expect(output).toContain('"cookie": "[redacted]"');
    expect(output).not.toContain('5f3b9c0d1e2f');
    expect(output).not.toContain('douyin-live-graphql');
  });
});
