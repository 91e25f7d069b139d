/**
 * Privacy in the dashboard, in chromium against a real server: a deployment's request logging says what it
 * is (off = nothing stored; on = kept N days), its log list shows the REDACTED text the server stored (not
 * what was sent), and an erased customer is shown as erased (its request logs gone) — in English and 简体中文.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from '../../support/mock-upstream.js';
import { adminToken, chromiumMissing, ensureWebBuilt, launchChromium, openPage, screenshot, signInAsAdmin, startTestServer, type TestServer } from './browser.js';

const missing = chromiumMissing();
const ci = process.env.CI === 'true';
if (missing && !ci) console.warn(`skipping browser tests: ${missing}`);

describe.skipIf(Boolean(missing) && !ci)('privacy in the dashboard', { timeout: 180_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let mock: MockUpstream;
  let customerId: string;

  beforeAll(async () => {
    if (missing) throw new Error(missing);
    ensureWebBuilt();
    mock = await startMockUpstream();
    [server, browser] = await Promise.all([startTestServer({ demo: { scale: 0.02 } }), launchChromium()]);
    const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
      const r = await server.api(method, path, body);
      if (r.status >= 300) throw new Error(`${method} ${path}: ${JSON.stringify(r.json)}`);
      return r.json as Record<string, string>;
    };
    await call('POST', '/api/deployments', { name: 'privacy-logged', kind: 'upstream', upstreamUrl: mock.url, upstreamModel: 'm', requestLog: { enabled: true, retentionDays: 5 } });
    await call('POST', '/api/deployments', { name: 'privacy-quiet', kind: 'upstream', upstreamUrl: mock.url, upstreamModel: 'm' });
    const channel = await call('POST', '/api/channels', { name: 'privacy-browser', type: 'direct' });
    const plan = await call('POST', '/api/plans', { name: 'privacy-browser', inputPer1mMicros: 1, outputPer1mMicros: 1 });
    customerId = (await call('POST', '/api/customers', { name: 'Browser Privacy Person', email: 'person@privacy.example' })).id!;
    const { key } = await call('POST', '/api/keys', { customerId, channelId: channel.id, planId: plan.id });
    const res = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'privacy-logged', messages: [{ role: 'user', content: 'write to secret.person@example.com' }], max_tokens: 2 }) });
    expect(res.status).toBe(200);
    await server.running.services.gateway!.requestLog.drain();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    context.setDefaultTimeout(60_000);
    page = await context.newPage();
    page.on('dialog', (d) => void d.accept());
    await signInAsAdmin(page, server.url, adminToken);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.running.stop();
    await mock?.close();
  });

  const rowOf = (table: string, text: string) => page.getByTestId(table).locator('tr', { hasText: text });

  it('says per deployment whether requests are logged, and lists what was stored: redacted', async () => {
    await openPage(page, 'models');
    expect(await rowOf('deployments-table', 'privacy-quiet').getByTestId('deployment-request-log').textContent()).toBe('Off (no request text is stored)');
    const logged = rowOf('deployments-table', 'privacy-logged');
    expect(await logged.getByTestId('deployment-request-log').textContent()).toBe('On · kept 5 days');
    await logged.click();
    await page.getByTestId('request-log-table').waitFor();
    expect(await page.getByTestId('request-log-count').textContent()).toBe('1 logs');
    const text = await page.getByTestId('request-log-table').textContent();
    expect(text).toContain('write to [EMAIL]');
    expect(text).not.toContain('secret.person@example.com');
    expect(await page.getByTestId('request-log-enabled').isChecked()).toBe(true);
    expect(await page.getByTestId('request-log-days').inputValue()).toBe('5');
    await screenshot(page, 'privacy-request-log-desktop');
    // Turning it off is saved and shown in the table.
    await page.getByTestId('request-log-enabled').uncheck();
    await page.getByTestId('request-log-save').click();
    await expect.poll(() => logged.getByTestId('deployment-request-log').textContent()).toBe('Off (no request text is stored)');
    expect((await server.api('GET', '/api/deployments/privacy-logged')).json).toMatchObject({ requestLog: { enabled: false, retentionDays: 5 } });
  });

  it('erases a customer from the customers panel and shows it as erased', async () => {
    await openPage(page, 'keys');
    await page.getByTestId('customers-search').fill('Browser Privacy');
    const row = rowOf('customers-table', 'Browser Privacy Person');
    await row.waitFor();
    expect(await row.textContent()).toContain('person@privacy.example');
    await row.getByTestId('customer-erase').click();
    await expect.poll(() => page.getByTestId('customers-note').textContent()).toBe('Browser Privacy Person erased: 1 keys revoked.');
    await page.getByTestId('customers-search').fill(customerId);
    const erased = rowOf('customers-table', `erased-${customerId}`);
    await erased.waitFor();
    const today = new Date().toISOString().slice(0, 10);
    expect(await erased.getByTestId('customer-erased').textContent()).toBe(`Erased ${today}`);
    expect(await erased.textContent()).not.toContain('person@privacy.example');
    expect(await erased.getByTestId('customer-erase').count()).toBe(0);
    await screenshot(page, 'privacy-customers-desktop');
  });

  it('says the same in 简体中文', async () => {
    await page.getByTestId('lang-zh').click();
    await page.getByTestId('customers-search').fill(customerId);
    const erased = rowOf('customers-table', `erased-${customerId}`);
    await erased.waitFor();
    expect(await erased.getByTestId('customer-erased').textContent()).toBe(`已于 ${new Date().toISOString().slice(0, 10)} 擦除`);
    await openPage(page, 'models');
    expect(await rowOf('deployments-table', 'privacy-quiet').getByTestId('deployment-request-log').textContent()).toBe('关闭（不存储任何请求文本）');
    // The erasure deleted the customer's request logs: the list says so.
    await rowOf('deployments-table', 'privacy-logged').click();
    await expect.poll(() => page.getByTestId('request-log-count').textContent()).toBe('共 0 条日志');
    expect(await page.getByTestId('request-log-panel').textContent()).not.toContain('[EMAIL]');
    await page.getByTestId('lang-en').click();
  });
});
