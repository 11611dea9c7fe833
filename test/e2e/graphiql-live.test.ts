// GraphiQL in headless Chromium over the gateway's own simulator, as `npm start` serves it: every
// starter tab runs at first load on a fresh store, and again after a restart on the same store,
// where the simulator's seed (kept in the store) brings back the same rooms.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { responseText, runTab, untilRan } from './helpers/graphiql.ts';
import { startStack, type Stack } from './stack.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping GraphiQL live e2e: ${CHROMIUM} is missing (apt-get install -y chromium)`);

describe.skipIf(!hasChromium)('GraphiQL over the simulator', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'graphiql-live-'));
  let stack: Stack | undefined;
  let browser: Browser;
  let page: Page;

  const start = () => startStack({ gatewaySimulator: true, env: { DATA_DIR: join(dataDir, 'data') } });
  // Monaco renders spaces as no-break spaces: compare normalized text.
  const paneText = () => responseText(page);

  /** Opens GraphiQL as a returning browser would (tabs remembered) and runs each tab in turn. */
  async function runEveryTab(running: Stack, roomId: string): Promise<void> {
    await page.goto(running.url, { waitUntil: 'load' });
    const tabs = page.locator('.graphiql-tab');
    await tabs.nth(1).waitFor({ timeout: 30_000 });
    expect(await tabs.allTextContents()).toEqual([expect.stringMatching(/Room/), expect.stringMatching(/LiveEvents/)]);

    // Tab 1, as it opens: the room query with its variables.
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(paneText, { timeout: 30_000 }).toContain(`"id": "${roomId}"`);
    expect(await paneText()).not.toContain('"errors"');

    // Tab 2: the live subscription shows the simulator's traffic as it arrives.
    await runTab(page, 1, 'LiveEvents', 'subscription');
    await untilRan(page, async () => (await paneText()).includes('"__typename":'), 'live events in the pane');
    expect(await paneText()).not.toContain('"errors"');
    await page.locator('.graphiql-execute-button').click(); // stops the subscription
    await tabs.nth(0).locator('button').first().click();
  }

  beforeAll(async () => {
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
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs every starter tab on a fresh store and again after a restart, on the same room', async () => {
    stack = await start();
    const roomId = stack.gateway.graphiqlRoomId!;
    expect(roomId).toBe(stack.sim.liveRooms()[0]!.id);
    await runEveryTab(stack, roomId);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}graphiql-live-simulator.png` });

    await stack.close();
    stack = await start();
    expect(stack.gateway.graphiqlRoomId).toBe(roomId);
    await runEveryTab(stack, roomId);
  }, 240_000);
});
