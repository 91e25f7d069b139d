/**
 * The Models page and the Playground tell the truth, in a real browser (Debian chromium) against a real
 * `qudao start` with the demo workspace and the bundled model: every model the playground offers answers
 * (a reply that is not empty and does not start with a blank line); a deployment whose upstream is down is
 * shown unhealthy and not offered; a run started from the Models page completes and shows its step and
 * losses, another is stopped from there — in English and in 简体中文.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareData } from '../../../src/pipeline/data/index.js';
import { seedCustomer } from '../../support/gateway-workspace.js';
import { writeTextCorpus } from '../../support/pipeline-data.js';
import { adminToken, chromiumMissing, openPage, screenshot, signInAsAdmin, useDemoBrowser } from './browser.js';

const missing = chromiumMissing();
const ci = process.env.CI === 'true';
if (missing && !ci) console.warn(`skipping browser tests: ${missing}`);

/** A deployment whose upstream nothing listens on (port 9 is discard; nothing serves HTTP there). */
const OFFLINE = 'offline-upstream';

describe.skipIf(Boolean(missing) && !ci)('models and playground tell the truth', { timeout: 300_000 }, () => {
  let page: Page;
  let apiKey = '';
  const root = mkdtempSync(join(tmpdir(), 'qd-models-truth-'));
  const suite = useDemoBrowser({
    setup: async () => {
      await prepareData({ inputs: [writeTextCorpus(join(root, 'text'), 16)], outDir: join(root, 'corpus'), valFraction: 0.25, tokenizer: { kind: 'byte' } });
      const created = await suite.server.api('POST', '/api/deployments', { name: OFFLINE, kind: 'upstream', upstreamUrl: 'http://127.0.0.1:9/v1' });
      expect(created.status, JSON.stringify(created.json)).toBe(201);
      await suite.server.running.services.gateway!.health.checkAll();
      const { customerId, channelId } = await seedCustomer(suite.server.running.services.store);
      const key = await suite.server.api('POST', '/api/keys', { name: 'models truth', customerId: customerId, channelId: channelId, planId: 'plan_demo_starter' });
      expect(key.status, JSON.stringify(key.json)).toBe(201);
      apiKey = (key.json as { key: string }).key;
      const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
      context.setDefaultTimeout(60_000);
      page = await context.newPage();
      await signInAsAdmin(page, suite.server.url, adminToken);
    },
  });

  afterAll(async () => {
    rmSync(root, { recursive: true, force: true });
  });

  it('the starter workspace lists only deployments that answer; one whose upstream is down is marked unhealthy', async () => {
    const { json } = await suite.server.api('GET', '/api/deployments');
    const rows = (json as { data: Array<{ name: string; health: string; healthError: string | null }> }).data;
    expect(rows.filter((d) => d.name !== OFFLINE).map((d) => [d.name, d.health])).toEqual([['qudao-brown', 'healthy']]);
    expect(rows.find((d) => d.name === OFFLINE)).toMatchObject({ health: 'unhealthy', healthError: expect.stringMatching(/ECONNREFUSED/) });
    await openPage(page, 'models');
    const table = page.getByTestId('deployments-table');
    await expect.poll(() => table.locator('tr', { hasText: 'qudao-brown' }).textContent()).toContain('Healthy');
    expect(await table.locator('tr', { hasText: OFFLINE }).textContent()).toMatch(/Unhealthy.*ECONNREFUSED/);
    // Every column (health, last check, last error) fits at 1280 px: no table wider than its card.
    const overflowing = await page.evaluate(() => Array.from(document.querySelectorAll('table')).filter((t) => t.scrollWidth > (t.parentElement?.clientWidth ?? 0) + 1).map((t) => t.dataset.testid ?? '?'));
    expect(overflowing).toEqual([]);
  });

  it('offers in the playground only models that answer, and each answers without a leading blank line', async () => {
    await openPage(page, 'playground');
    await page.getByTestId('playground-key').fill(apiKey);
    await expect.poll(() => page.getByTestId('playground-model').locator('option[value="qudao-brown"]').count(), { timeout: 30_000 }).toBe(1);
    const offered = await page.getByTestId('playground-model').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toContain('qudao-brown');
    expect(offered).not.toContain(OFFLINE);
    expect(await page.getByTestId('playground-hidden').textContent()).toContain(OFFLINE);
    await page.getByTestId('playground-max-tokens').fill('12');
    for (const model of offered) {
      await page.getByTestId('playground-model').selectOption(model);
      await page.getByTestId('chat-input').fill('Hello, who are you?');
      await page.getByTestId('chat-send').click();
      await page.getByTestId('chat-send').waitFor({ timeout: 120_000 }); // back once the stream ended
      const reply = (await page.getByTestId('chat-assistant').last().textContent()) ?? '';
      expect(reply.trim(), `${model} answered nothing`).not.toBe('');
      expect(reply, `${model}'s reply starts with whitespace`).toMatch(/^\S/);
      expect(await page.locator('.error').count(), `${model} shows an error`).toBe(0);
    }
    await screenshot(page, 'models-truth-playground');
  });

  it('starts a run from the Models page; the completed run shows its step, loss and best validation loss', async () => {
    await openPage(page, 'models');
    await page.getByTestId('run-data').fill(join(root, 'corpus'));
    await page.getByTestId('run-out').fill(join(root, 'run'));
    await page.getByTestId('run-steps').fill('4');
    await page.getByTestId('run-start').click();
    await page.getByTestId('run-started').waitFor();
    const row = page.getByTestId('runs-table').locator('tbody tr').first();
    await expect.poll(() => row.textContent(), { timeout: 180_000, interval: 1000 }).toContain('Completed');
    const cells = await row.locator('td').allTextContents();
    // ID, kind, status, step, loss, best validation loss, …
    expect(cells.slice(1, 4)).toEqual(['Pretrain', 'Completed', '4']);
    expect(cells[4]).toMatch(/^\d+\.\d+$/);
    expect(cells[5]).toMatch(/^\d+\.\d+$/);
    await row.click();
    // The curve panel polls every 2 s: it may still show the run as it was while running.
    await expect.poll(() => page.getByTestId('best-val').textContent(), { timeout: 20_000 }).toMatch(/Best validation loss: \d+\.\d+ over the first [\d,]+ of [\d,]+ validation tokens/);
    await screenshot(page, 'models-truth-run');
  });

  it('stops a running run from the Models page and offers to resume it', async () => {
    await openPage(page, 'models');
    await page.getByTestId('run-data').fill(join(root, 'corpus'));
    await page.getByTestId('run-out').fill(join(root, 'long-run'));
    await page.getByTestId('run-steps').fill('100000');
    await page.getByTestId('run-start').click();
    const row = page.getByTestId('runs-table').locator('tbody tr').first();
    await expect.poll(() => row.textContent(), { timeout: 60_000 }).toContain('Running');
    await row.getByTestId('run-stop').click();
    await expect.poll(() => row.textContent(), { timeout: 120_000, interval: 1000 }).toContain('Stopped');
    expect(await row.getByTestId('run-resume').count()).toBe(1);
  });

  it('says the same in 简体中文: run status and kind, deployment health, and the hidden model', async () => {
    await page.getByTestId('lang-zh').click();
    await openPage(page, 'models');
    const done = page.getByTestId('runs-table').locator('tbody tr').nth(1);
    expect((await done.locator('td').allTextContents()).slice(1, 4)).toEqual(['预训练', '已完成', '4']);
    expect((await page.getByTestId('runs-table').locator('tbody tr').first().locator('td').allTextContents())[2]).toBe('已停止');
    const table = page.getByTestId('deployments-table');
    expect(await table.locator('tr', { hasText: 'qudao-brown' }).textContent()).toContain('健康');
    expect(await table.locator('tr', { hasText: OFFLINE }).textContent()).toContain('不健康');
    await openPage(page, 'playground');
    await expect.poll(() => page.getByTestId('playground-hidden').textContent()).toContain(`未提供`);
    await screenshot(page, 'models-truth-zh');
    await page.getByTestId('lang-en').click();
  });
});
