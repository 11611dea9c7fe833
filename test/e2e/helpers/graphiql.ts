// Driving GraphiQL's tabs from a test. GraphiQL takes a tab's operation name from its editor a
// moment after the switch (debounced, later still on a loaded machine): an execute before then
// sends the previous tab's name ("Cannot infer operation …", from GraphiQL's own fetcher). A
// user seeing that runs it again; so does a test, and only then.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The response pane's text, spaces normalized (Monaco renders no-break spaces). */
export async function responseText(page: Page): Promise<string> {
  return ((await page.locator('.graphiql-response').textContent()) ?? '').replace(/\s+/g, ' ');
}

/** Switches to tab `index` (named `name`), waits until its operation is in the editor, and runs it. */
export async function runTab(page: Page, index: number, name: string, operationKeyword: string): Promise<void> {
  await page.locator('.graphiql-tab').nth(index).locator('button').first().click();
  await page.locator('.graphiql-tab-active', { hasText: name }).waitFor({ timeout: 30_000 });
  await expect.poll(async () => (await page.locator('.graphiql-query-editor').textContent()) ?? '', { timeout: 30_000 }).toContain(operationKeyword);
  await page.locator('.graphiql-execute-button').click();
}

/** Waits for `done`, running the tab again only while GraphiQL still answers with the previous tab's operation name. */
export async function untilRan(page: Page, done: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  await expect
    .poll(
      async () => {
        if (await done()) return true;
        if ((await responseText(page)).includes('Cannot infer operation')) await page.locator('.graphiql-execute-button').click();
        return false;
      },
      { timeout: timeoutMs, message: what },
    )
    .toBe(true);
}
