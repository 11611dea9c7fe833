// The GraphQL over HTTP conformance audits of graphql-http, run against the real /graphql.
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers.ts';

let running: TestApp;
let url = '';

beforeAll(async () => {
  running = createTestApp();
  url = (await running.app.start(0, '127.0.0.1')).url;
});
afterAll(async () => {
  await running.app.stop();
});

const audits = serverAudits({ url: () => url });

describe('GraphQL over HTTP', () => {
  it('has MUST audits to run', () => {
    expect(audits.filter((audit) => audit.name.startsWith('MUST')).length).toBeGreaterThan(10);
  });

  it.each(audits.filter((audit) => audit.name.startsWith('MUST')).map((audit) => [audit.name, audit] as const))('%s', async (_name, audit) => {
    const result = await audit.fn();
    if (result.status !== 'ok') {
      const body = await result.response.text().catch(() => '');
      expect.fail(`${result.reason} (status ${result.response.status}: ${body.slice(0, 200)})`);
    }
  });
});
