// GraphiQL in headless Chromium against a real server with fake services: the page loads with
// no network beyond the gateway, the default subscription tab runs over graphql-ws, and live
// events appear in the result pane as the fake source emits them.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { responseText, runTab, untilRan } from './helpers/graphiql.ts';
import { chatEvent, roomIdFor } from '../schema/fakes.ts';
import { createTestApp, type TestApp } from '../server/helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const ROOM = roomIdFor(1);
const hasChromium = existsSync(CHROMIUM);

if (!hasChromium) {
  console.warn(`skipping GraphiQL e2e: ${CHROMIUM} is missing (apt-get install -y chromium)`);
}

describe.skipIf(!hasChromium)('GraphiQL in a browser', () => {
  let running: TestApp;
  let url = '';
  let browser: Browser;
  let page: Page;
  const offsiteRequests: string[] = [];

  beforeAll(async () => {
    running = createTestApp({ graphiqlRoomId: ROOM });
    url = (await running.app.start(0, '127.0.0.1')).url;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const origin = new URL(url).origin;
    await page.route('**/*', (route) => {
      const target = route.request().url();
      if (target.startsWith(origin) || target.startsWith('data:') || target.startsWith('blob:')) return route.continue();
      offsiteRequests.push(target);
      return route.abort();
    });
  });

  afterAll(async () => {
    await browser?.close();
    await running?.app.stop();
  });

  it('loads offline with the two starter tabs', async () => {
    await page.goto(url, { waitUntil: 'load' });
    await page.locator('.graphiql-tab').first().waitFor({ timeout: 20_000 });
    const tabs = await page.locator('.graphiql-tab').allTextContents();
    expect(tabs.length).toBe(2);
    expect(tabs.join(' ')).toMatch(/Room/);
    expect(tabs.join(' ')).toMatch(/LiveEvents/);
    expect(offsiteRequests).toEqual([]);
  });

  it('runs the subscription tab and shows live events as they arrive', async () => {
    await runTab(page, 1, 'LiveEvents', 'subscription');
    await untilRan(page, () => running.fakes.events.open(ROOM) === 1, 'GraphiQL to subscribe over the socket');
    expect(running.fakes.rooms.active()).toEqual([ROOM]);

    const paneText = () => responseText(page);
    running.fakes.events.emit(ROOM, chatEvent(ROOM, 'first live chat'));
    await expect.poll(paneText, { timeout: 20_000 }).toContain('first live chat');
    running.fakes.events.emit(ROOM, chatEvent(ROOM, 'second live chat'));
    await expect.poll(paneText, { timeout: 20_000 }).toContain('second live chat');
    expect(await paneText()).toContain('"__typename": "ChatEvent"');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}graphiql-subscription.png` });
    expect(offsiteRequests).toEqual([]);
  });
});
