/**
 * The Models page tells the truth about deployments' providers, in a real browser: each upstream
 * deployment shows the provider the server has, a change made on the page is what the server then holds
 * (and what the gateway calls), and the same reads in 简体中文.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, chromiumMissing, ensureWebBuilt, launchChromium, openPage, signInAsAdmin, startTestServer, type TestServer } from './browser.js';

const missing = chromiumMissing();
const ci = process.env.CI === 'true';
if (missing && !ci) console.warn(`skipping browser tests: ${missing}`);

describe.skipIf(Boolean(missing) && !ci)('deployment providers on the Models page', { timeout: 180_000 }, () => {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const providerOf = async (name: string) => ((await server!.api('GET', `/api/deployments/${name}`)).json as { provider: string }).provider;
  const select = (name: string) => page.getByTestId('deployments-table').locator('tr', { hasText: name }).getByTestId('deployment-provider');
  const shown = (name: string) => select(name).evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? '');

  beforeAll(async () => {
    if (missing) throw new Error(missing);
    ensureWebBuilt();
    [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
    for (const [name, provider] of [['claude-upstream', 'anthropic'], ['vllm-upstream', 'openai-compatible']] as const) {
      const r = await server.api('POST', '/api/deployments', { name, kind: 'upstream', provider, upstreamUrl: 'http://127.0.0.1:9', ...(provider === 'anthropic' ? { apiVersion: '2023-06-01' } : {}) });
      expect(r.status, JSON.stringify(r.json)).toBe(201);
    }
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    context.setDefaultTimeout(60_000);
    page = await context.newPage();
    await signInAsAdmin(page, server.url, adminToken);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.running.stop();
  });

  it('shows each upstream deployment\'s provider as the server has it, and sets it', async () => {
    await openPage(page, 'models');
    expect(await shown('claude-upstream')).toBe('Anthropic');
    expect(await shown('vllm-upstream')).toBe('OpenAI-compatible');
    expect(await page.getByTestId('deployments-table').locator('tr', { hasText: 'claude-upstream' }).textContent()).toContain('(2023-06-01)');
    await select('vllm-upstream').selectOption('gemini');
    await expect.poll(() => providerOf('vllm-upstream')).toBe('gemini');
    await page.reload();
    await openPage(page, 'models');
    expect(await shown('vllm-upstream')).toBe('Google Gemini');
    // The new column still fits at 1280 px.
    const overflowing = await page.evaluate(() => Array.from(document.querySelectorAll('table')).filter((t) => t.scrollWidth > (t.parentElement?.clientWidth ?? 0) + 1).map((t) => t.dataset.testid ?? '?'));
    expect(overflowing).toEqual([]);
  });

  it('says the same in 简体中文', async () => {
    await select('vllm-upstream').selectOption('openai-compatible');
    await expect.poll(() => providerOf('vllm-upstream')).toBe('openai-compatible');
    await page.getByTestId('lang-zh').click();
    await openPage(page, 'models');
    expect(await shown('vllm-upstream')).toBe('OpenAI 兼容');
    expect(await shown('claude-upstream')).toBe('Anthropic');
    expect(await page.getByTestId('deployments-table').locator('th', { hasText: '提供方' }).count()).toBe(1);
    await page.getByTestId('lang-en').click();
  });
});
