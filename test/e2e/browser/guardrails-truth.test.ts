/**
 * The Models page tells the truth about guardrails, in a real browser against a real server with the demo
 * workspace: what a deployment's guardrails check and do, and how many refusals, redactions and flags the
 * ledger holds for each — after real /v1 requests were refused, redacted and flagged — in English and in
 * 简体中文; a guardrail added, turned off and removed from the page is what the API then says.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seedCustomer } from '../../support/gateway-workspace.js';
import { adminToken, chromiumMissing, openPage, screenshot, signInAsAdmin, useDemoBrowser } from './browser.js';

const missing = chromiumMissing();
const ci = process.env.CI === 'true';
if (missing && !ci) console.warn(`skipping browser tests: ${missing}`);

const MODEL = 'qudao-brown';

describe.skipIf(Boolean(missing) && !ci)('guardrails on the Models page tell the truth', { timeout: 300_000 }, () => {
  let page: Page;
  const suite = useDemoBrowser({
    setup: async () => {
      const api = suite.server.api;
      expect((await api('POST', `/api/deployments/${MODEL}/guardrails`, { name: 'secret project', stage: 'input', kind: 'blocklist', action: 'refuse', terms: ['nightingale'] })).status).toBe(201);
      expect((await api('POST', `/api/deployments/${MODEL}/guardrails`, { name: 'greetings', stage: 'input', kind: 'blocklist', action: 'flag', terms: ['hello'] })).status).toBe(201);
      const { customerId, channelId } = await seedCustomer(suite.server.running.services.store);
      const key = await api('POST', '/api/keys', { name: 'guardrails truth', customerId, channelId, planId: 'plan_demo_starter' });
      const secret = (key.json as { key: string }).key;
      const chat = (content: string) => fetch(`${suite.server.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content }], max_tokens: 2 }) });
      expect((await chat('tell me about Nightingale')).status).toBe(400);
      expect((await chat('about nightingale again')).status).toBe(400);
      expect((await chat('hello')).status).toBe(200);
      const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
      context.setDefaultTimeout(60_000);
      page = await context.newPage();
      await signInAsAdmin(page, suite.server.url, adminToken);
    },
  });

  const row = (name: string) => page.getByTestId('guardrails-table').locator('tbody tr', { hasText: name });
  const cells = async (name: string) => (await row(name).locator('td').allTextContents()).map((c) => c.trim());

  it('lists what each guardrail checks and does, with the ledger\'s counts', async () => {
    await openPage(page, 'models');
    await page.getByTestId('guardrail-deployment').selectOption({ label: MODEL });
    await expect.poll(() => row('secret project').count(), { timeout: 20_000 }).toBe(1);
    // name, stage, check, action (a select), setting, on, refusals, redactions, flags
    const refuse = await cells('secret project');
    expect([refuse[0], refuse[1], refuse[2], refuse[4], refuse[5], refuse[6], refuse[7], refuse[8]]).toEqual(['secret project', 'Input', 'Blocklist', 'nightingale', '✓', '2', '0', '0']);
    expect(await row('secret project').getByTestId('guardrail-row-action').inputValue()).toBe('refuse');
    const flag = await cells('greetings');
    expect([flag[6], flag[7], flag[8]]).toEqual(['0', '0', '1']);
    const { json } = await suite.server.api('GET', `/api/deployments/${MODEL}/guardrails/stats`);
    const stats = (json as { data: { name: string; refusals: number; flags: number }[] }).data;
    expect(stats.find((s) => s.name === 'secret project')?.refusals).toBe(2);
    await screenshot(page, 'guardrails-truth');
  });

  it('adds, turns off and removes a guardrail from the page, and the API agrees', async () => {
    await openPage(page, 'models');
    await page.getByTestId('guardrail-deployment').selectOption({ label: MODEL });
    await page.getByTestId('guardrail-name').fill('card numbers');
    await page.getByTestId('guardrail-kind').selectOption('regex');
    await page.getByTestId('guardrail-action').selectOption('redact');
    await page.getByTestId('guardrail-setting').fill('\\d{4} \\d{4} \\d{4} \\d{4}');
    await page.getByTestId('guardrail-add').click();
    await expect.poll(() => row('card numbers').count(), { timeout: 20_000 }).toBe(1);
    const added = await cells('card numbers');
    expect([added[1], added[2], added[4]]).toEqual(['Input', 'Patterns', '\\d{4} \\d{4} \\d{4} \\d{4}']);
    await row('card numbers').getByTestId('guardrail-toggle').click();
    await expect.poll(async () => (await cells('card numbers'))[5], { timeout: 20_000 }).toBe('Off');
    const listed = (await suite.server.api('GET', `/api/deployments/${MODEL}/guardrails`)).json as { data: { name: string; enabled: boolean; kind: string; action: string }[] };
    expect(listed.data.find((g) => g.name === 'card numbers')).toMatchObject({ enabled: false, kind: 'regex', action: 'redact' });
    // A pattern RE2 cannot run is refused, and the page says which.
    await page.getByTestId('guardrail-name').fill('backref');
    await page.getByTestId('guardrail-kind').selectOption('regex');
    await page.getByTestId('guardrail-setting').fill('(a)\\1');
    await page.getByTestId('guardrail-add').click();
    await expect.poll(() => page.locator('.error').first().textContent(), { timeout: 20_000 }).toContain('patterns.0');
    await row('card numbers').getByTestId('guardrail-remove').click();
    await expect.poll(() => row('card numbers').count(), { timeout: 20_000 }).toBe(0);
    const after = (await suite.server.api('GET', `/api/deployments/${MODEL}/guardrails`)).json as { data: { name: string }[] };
    expect(after.data.map((g) => g.name).sort()).toEqual(['greetings', 'secret project']);
  });

  it('says the same in 简体中文', async () => {
    await page.getByTestId('lang-zh').click();
    await openPage(page, 'models');
    await page.getByTestId('guardrail-deployment').selectOption({ label: MODEL });
    await expect.poll(() => row('secret project').count(), { timeout: 20_000 }).toBe(1);
    const refuse = await cells('secret project');
    expect([refuse[1], refuse[2], refuse[6]]).toEqual(['输入', '屏蔽词', '2']);
    const headers = await page.getByTestId('guardrails-table').locator('th').allTextContents();
    expect(headers).toEqual(expect.arrayContaining(['阶段', '检查', '动作', '拒绝次数', '遮盖次数', '标记次数']));
    expect(await row('secret project').getByTestId('guardrail-row-action').locator('option:checked').textContent()).toBe('拒绝');
    await screenshot(page, 'guardrails-truth-zh');
    await page.getByTestId('lang-en').click();
  });
});
