/**
 * The API reference a developer opens, in a real browser: `/api/docs` (Swagger UI served from the npm
 * package, no credentials) loads the server's own `/api/openapi.json` and shows every operation, with the
 * camelCase fields the contract declares — what the page shows is the document the server serves.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, screenshot, startTestServer, type TestServer } from './browser.js';

const missing = chromiumMissing();
const ci = process.env.CI === 'true';
if (missing && !ci) console.warn(`skipping browser tests: ${missing}`);

describe.skipIf(missing !== null && !ci)('the API reference at /api/docs', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    if (missing) throw new Error(missing);
    [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.running.stop();
  });

  it('lists every tag of the served document and each tag\'s operations, without credentials and without fetching anything from elsewhere', async () => {
    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { info: { title: string }; paths: Record<string, Record<string, { tags: string[] }>> };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.values(ops).map((op) => ({ path, tag: op.tags[0]! })));
    const tags = [...new Set(operations.map((o) => o.tag))];
    const page = await browser.newPage();
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) foreign.push(r.url());
    });
    await page.goto(`${server.url}/api/docs`);
    await page.waitForSelector('.opblock-tag', { timeout: 30_000 });
    expect(await page.locator('.info .title').innerText()).toContain(doc.info.title);
    // 150 operations are too many to open at once: the reference lists the tags, and a tag opens its operations.
    expect((await page.locator('.opblock-tag').allInnerTexts()).map((t) => t.split('\n')[0]!.trim()).sort()).toEqual([...tags].sort());
    await page.locator('#operations-tag-customers').click();
    await page.waitForSelector('#operations-customers-get_api_customers__id_');
    const customerOps = operations.filter((o) => o.tag === 'customers').length;
    expect(await page.locator('.opblock-tag-section.is-open .opblock').count()).toBe(customerOps);
    // One operation's answer schema shows the contract's camelCase fields.
    await page.locator('#operations-customers-get_api_customers__id_ .opblock-summary').first().click();
    await page.waitForSelector('#operations-customers-get_api_customers__id_ .responses-wrapper');
    const opened = await page.locator('#operations-customers-get_api_customers__id_').innerText();
    expect(opened).toContain('acquiredChannelId');
    expect(opened).not.toContain('acquired_channel_id');
    await screenshot(page, 'api-docs');
    expect(foreign).toEqual([]);
    await page.close();
  }, 120_000);
});
