// createWebhook's guards through the schema itself: coded errors before anything is stored.
import { graphql } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createWebhookAdmin } from '../../../src/live/webhooks/admin.ts';
import type { MonitorStore } from '../../../src/store/monitor-store.ts';
import { schema } from '../../../src/schema/index.ts';

function storeThatMustNotBeCalled(): MonitorStore {
  return new Proxy({} as MonitorStore, {
    get: (_target, name) => () => {
      throw new Error(`the store was called (${String(name)})`);
    },
  });
}

async function create(input: Record<string, unknown>, allowPrivate = false) {
  const webhooks = createWebhookAdmin({ store: storeThatMustNotBeCalled(), allowPrivate, maxAgeMs: 1000 });
  return graphql({
    schema,
    source: 'mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret } }',
    variableValues: { input },
    contextValue: { webhooks },
  });
}

describe('createWebhook input checks', () => {
  it('refuses a loopback target without WEBHOOK_ALLOW_PRIVATE, with a coded error', async () => {
    const result = await create({ url: 'http://127.0.0.1:8080/hook', events: ['LIVE_STARTED'] });
    expect(result.errors?.[0]?.extensions?.code).toBe('WEBHOOK_PRIVATE_ADDRESS');
    const linkLocal = await create({ url: 'http://169.254.169.254/latest', events: ['LIVE_STARTED'] });
    expect(linkLocal.errors?.[0]?.extensions?.code).toBe('WEBHOOK_PRIVATE_ADDRESS');
  });

  it('refuses inputs a webhook cannot work with', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ url: 'ftp://example.com/x', events: ['FOLLOW'] }, 'WEBHOOK_BAD_URL'],
      [{ url: 'https://user:pw@example.com/x', events: ['FOLLOW'] }, 'WEBHOOK_BAD_URL'],
      [{ url: 'https://example.com/x', events: [] }, 'WEBHOOK_BAD_INPUT'],
      [{ url: 'https://example.com/x', events: ['CHAT_KEYWORD'] }, 'WEBHOOK_BAD_INPUT'],
      [{ url: 'https://example.com/x', events: ['VIEWER_THRESHOLD'] }, 'WEBHOOK_BAD_INPUT'],
      [{ url: 'https://example.com/x', events: ['GIFT'], minDiamonds: -1 }, 'WEBHOOK_BAD_INPUT'],
    ];
    for (const [input, code] of cases) {
      const result = await create(input, true);
      expect(result.errors?.[0]?.extensions?.code, JSON.stringify(input)).toBe(code);
    }
  });
});
