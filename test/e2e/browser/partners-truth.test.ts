/**
 * What the partner pages SAY on the demo workspace a new user starts with, in a real browser (Debian
 * chromium), in English and 简体中文, at 1280 px and at a phone width (390 px): tier advice names a
 * threshold, money reads in one form (never raw micro-units, never a six-decimal float), no "[object
 * Object]", a statement downloads as CSV with exact decimals, the portal's onboarding is the API's, and a
 * partner user creates a key for one of its customers.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addMonths, monthOf } from '../../../src/shared/month.js';
import { adminToken, chromiumMissing, openPage, screenshot, signInAsAdmin, useDemoBrowser } from './browser.js';

const missing = chromiumMissing();
const ci = process.env.CI === 'true';
if (missing && !ci) console.warn(`skipping browser tests: ${missing}`);

const viewports = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
const languages = ['en', 'zh'] as const;
const PARTNER = 'par_demo_05'; // Nanhai Digital, a Gold reseller with customers and a channel
const EMAIL = 'browser-truth@portal.example';
const PASSWORD = 'portal-password-truth-1';

/** Money a person should never see: raw micro-units ("477 / 10000000000"), a six-decimal float, a JS object. */
function rawMoneyProblems(text: string): string[] {
  const problems: string[] = [];
  if (text.includes('[object Object]')) problems.push('[object Object]');
  const ratio = /\d+ \/ \d{7,}/.exec(text);
  if (ratio) problems.push(`raw micro-units "${ratio[0]}"`);
  const sixDecimals = /\b\d+\.\d{6}\b/.exec(text);
  if (sixDecimals) problems.push(`six-decimal number "${sixDecimals[0]}"`);
  return problems;
}

describe.skipIf(Boolean(missing) && !ci)('partner pages that tell the truth, in chromium', { timeout: 300_000 }, () => {
  const lastEnded = addMonths(monthOf(new Date()), -1);
  let statementId = '';
  const suite = useDemoBrowser({
    demo: { scale: 0.25 },
    setup: async () => {
      expect((await suite.server.api('POST', `/api/partners/${PARTNER}/users`, { email: EMAIL, password: PASSWORD })).status).toBe(201);
      const drafts = (await suite.server.api('POST', '/api/statements', { month: lastEnded, partnerId: PARTNER })).json as { data: { id: string }[] };
      statementId = drafts.data[0]!.id;
      expect((await suite.server.api('POST', `/api/statements/${statementId}/finalize`)).status).toBe(200);
    },
  });

  async function newPage(lang: (typeof languages)[number], viewport: keyof typeof viewports): Promise<Page> {
    const context = await suite.browser.newContext({ viewport: viewports[viewport], locale: lang === 'zh' ? 'zh-CN' : 'en-US', acceptDownloads: true });
    context.setDefaultTimeout(60_000);
    await context.addInitScript((l) => localStorage.setItem('qudao.lang', l), lang);
    return context.newPage();
  }

  for (const lang of languages) {
    for (const viewport of Object.keys(viewports) as (keyof typeof viewports)[]) {
      it(`partners page (${lang}, ${viewport}): tiers state their thresholds, advice names one, money in one form, CSV downloads`, async () => {
        const page = await newPage(lang, viewport);
        const errors: string[] = [];
        page.on('pageerror', (err) => errors.push(err.message));
        await signInAsAdmin(page, suite.server.url, adminToken);
        await openPage(page, 'partners');
        const body = () => page.locator('body').innerText();
        // Tiers: Gold's requirements in words with money formatted (2,000,000 micro-units at scale 0.25 → 2.00).
        const tiers = page.getByText(lang === 'zh' ? '月收入 ≥ 2.00' : 'monthly revenue ≥ 2.00');
        await tiers.first().waitFor();
        expect(await body()).toContain(lang === 'zh' ? '无（入门等级）' : 'none (entry tier)');
        if (viewport === 'desktop') {
          // The tiers table fits the page at 1280 px: nothing scrolls sideways.
          const overflow = await page.getByTestId('tiers-table').evaluate((table) => table.parentElement!.scrollWidth - table.parentElement!.clientWidth);
          expect(overflow).toBeLessThanOrEqual(0);
        }
        // Scorecard of a partner: the advice for the last ended month names thresholds.
        await page.getByTestId('partners-table').getByText('Harbor Resale Group').click();
        const advice = page.getByTestId('tier-advice');
        await advice.waitFor();
        await expect.poll(() => advice.innerText()).toMatch(lang === 'zh' ? /(保持|升级到|降级到) \S+[\s\S]*月收入 [\d,]+\.\d\d (≥|<) [\d,]+\.\d\d/ : /(Keep|Promote to|Demote to) \S+[\s\S]*monthly revenue [\d,]+\.\d\d (≥|<) [\d,]+\.\d\d/);
        expect(await advice.innerText()).not.toMatch(/every requirement|it has none/);
        expect(await page.getByTestId('scorecard-month-to-date').count()).toBe(0); // the last ended month is complete
        expect(rawMoneyProblems(await body())).toEqual([]);
        // The final statement downloads as CSV with exact decimal money.
        const button = page.getByTestId(`statement-csv-${statementId}`);
        await button.scrollIntoViewIfNeeded();
        const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
        expect(download.suggestedFilename()).toBe(`${statementId}.csv`);
        const csv = readFileSync((await download.path())!, 'utf8');
        expect(csv.split('\r\n')[0]).toMatch(/,revenue,share$/);
        expect(csv).toMatch(/,total,.*,\d+\.\d{2,6},\d+\.\d{2,6}\r\n$/);
        expect(await page.getByTestId('statements-table').innerText()).toContain(lang === 'zh' ? '已定稿' : 'Final');
        await screenshot(page, `partners-truth-${lang}-${viewport}`);
        expect(errors).toEqual([]);
        await page.context().close();
      });

      it(`portal (${lang}, ${viewport}): onboarding as the API says, statement CSV, a key for a customer`, async () => {
        const page = await newPage(lang, viewport);
        const errors: string[] = [];
        page.on('pageerror', (err) => errors.push(err.message));
        await page.goto(`${suite.server.url}/`);
        await page.getByTestId('login-partner-tab').click();
        await page.getByTestId('login-email').fill(EMAIL);
        await page.getByTestId('login-password').fill(PASSWORD);
        await page.getByTestId('login-submit').click();
        await page.getByTestId('portal-onboarding').waitFor();
        const api = (await suite.server.api('GET', `/api/partners/${PARTNER}/onboarding`)).json as { done: number; total: number; items: { id: string; done: boolean }[] };
        expect(await page.getByTestId('portal-onboarding-count').innerText()).toBe(`${api.done} / ${api.total}`);
        for (const item of api.items) expect(await page.getByTestId(`portal-onboarding-${item.id}`).getAttribute('data-done'), item.id).toBe(String(item.done));
        if (lang === 'zh') expect(await page.getByTestId('portal-onboarding').innerText()).toContain('协议已签署');
        // The portal's scorecard names thresholds too.
        await expect.poll(() => page.getByTestId('tier-advice').innerText()).toMatch(/\d\.\d\d (≥|<) [\d,]+\.\d\d/);
        // The invoices addressed to the partner for last month, as the API lists them.
        const invoices = (await suite.server.api('GET', `/api/invoices?month=${lastEnded}&partnerId=${PARTNER}`)).json as { data: { number: string | null }[] };
        expect(invoices.data.length).toBeGreaterThan(0);
        const invoiceRows = page.getByTestId('portal-invoices').locator('tbody tr');
        await expect.poll(() => invoiceRows.count()).toBe(Math.min(invoices.data.length, 50));
        expect((await invoiceRows.allInnerTexts()).map((r) => r.split('\t')[0]!.trim()).sort()).toEqual(invoices.data.slice(0, 50).map((i) => i.number ?? (lang === 'zh' ? '草稿' : 'draft')).sort());
        // Statement CSV from the portal.
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`statement-csv-${statementId}`).click()]);
        expect(readFileSync((await download.path())!, 'utf8')).toMatch(/^statement_id,.*,revenue,share\r\n/);
        // A key for one of the partner's customers.
        const name = `truth ${lang} ${viewport}`;
        const customer = page.getByTestId('portal-key-customer');
        const firstCustomer = await customer.locator('option').nth(1).getAttribute('value');
        await customer.selectOption(firstCustomer!);
        await page.getByTestId('portal-key-name').fill(name);
        await page.getByTestId('portal-key-create').click();
        await expect.poll(() => page.getByTestId('portal-key-secret').innerText()).toMatch(/qd_\w+/);
        await expect.poll(() => page.getByTestId('portal-keys').innerText()).toContain(name);
        expect(rawMoneyProblems(await page.locator('body').innerText())).toEqual([]);
        await screenshot(page, `portal-truth-${lang}-${viewport}`);
        expect(errors).toEqual([]);
        await page.context().close();
      });
    }
  }
});
