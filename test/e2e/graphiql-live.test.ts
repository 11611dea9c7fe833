// issue 5 proof on the real stack: GraphiQL in headless Chromium opens its default subscription
// tab on the simulator's first room and shows the simulator's chats as they are sent.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, until, type Stack } from './stack.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping GraphiQL live e2e: ${CHROMIUM} is missing (apt-get install -y chromium)`);

describe.skipIf(!hasChromium)('GraphiQL over the simulator', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });

  afterAll(async () => {
    if (page !== undefined) {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: `${ARTIFACTS}graphiql-live-simulator-last.png` }).catch(() => undefined);
    }
    await browser?.close();
    await stack?.close();
  });

  it('runs the default roomEvents tab and shows live chats from the simulator', async () => {
    const room = stack.sim.liveRooms()[0]!;
    expect(stack.gateway.graphiqlRoomId).toBe(room.id);
    await page.goto(stack.url, { waitUntil: 'load' });
    await page.locator('.graphiql-tab').nth(1).waitFor({ timeout: 30_000 });
    await page.locator('.graphiql-tab').nth(1).locator('button').first().click();
    await page.locator('.graphiql-execute-button').click();
    await until(() => stack.sim.connections().some((c) => c.roomId === room.id && c.heartbeatsReceived > 0), 'the gateway to connect upstream', 30_000);

    const paneText = async () => ((await page.locator('.graphiql-response').textContent()) ?? '').replace(/\s+/g, ' ');
    const chats = room.emit(5, { kinds: ['chat'] });
    const last = chats.at(-1)!;
    // GraphiQL shows the newest result of a subscription: the last chat sent.
    await expect.poll(paneText, { timeout: 30_000 }).toContain(`"content": "${last.text}"`);
    expect(await paneText()).toContain('ChatEvent');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}graphiql-live-simulator.png` });
  }, 120_000);
});
