/**
 * What the analytics pages say on a new user's first start (the demo workspace, whose history ends today,
 * so the running month is partial), read in chromium in English and 简体中文 at 1280 px and 390 px: the
 * overview headlines the last complete month and shows the running one apart as month to date, marked in
 * every trend and in the cohort heatmap; the market page names the basis of its shares and never prints a
 * share above 100 %; the attribution models credit channels differently; the keys page's usage chart
 * covers the chosen range.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { adminToken, chromiumMissing, openPage, screenshot, signInAsAdmin, useDemoBrowser } from './browser.js';

const missing = chromiumMissing();
const ci = process.env.CI === 'true';
if (missing && !ci) console.warn(`skipping browser tests: ${missing}`);

const viewports = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
const cards = ['coverage', 'stickiness', 'cost', 'brand'] as const;
const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A 'YYYY-MM' month as each language writes it, worked out here rather than by the dashboard's code. */
function spelled(month: string, lang: 'en' | 'zh'): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return lang === 'en' ? `${EN_MONTHS[m - 1]} ${y}` : `${y}年${m}月`;
}

/** The words each language uses for what the test reads. */
const words = {
  en: { headline: 'the last complete month', monthToDate: 'Month to date', atMonthEnd: 'at month end', dashed: 'month to date', basis: 'accounts', shareOfSam: 'Share of SAM (accounts)', raise: 'raise' },
  zh: { headline: '最近一个完整月份', monthToDate: '本月至今', atMonthEnd: '月末计算', dashed: '本月至今', basis: '按账户', shareOfSam: '占 SAM 比例(按账户)', raise: '请提高' },
} as const;

/** A number as the dashboard prints it (grouping commas dropped). */
const parseNumber = (s: string): number => Number(s.replace(/,/g, '').trim());

describe.skipIf(Boolean(missing) && !ci)('analytics that tell the truth, in chromium', { timeout: 240_000 }, () => {
  const suite = useDemoBrowser();
  const now = new Date();
  const running = now.toISOString().slice(0, 7);
  const headline = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);



  /** A signed-in page in `lang` at `viewport`; page errors are collected. */
  async function openDashboard(lang: 'en' | 'zh', viewport: keyof typeof viewports): Promise<{ page: Page; errors: string[] }> {
    const context = await suite.browser.newContext({ viewport: viewports[viewport], locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
    context.setDefaultTimeout(60_000);
    await context.addInitScript((l) => localStorage.setItem('qudao.lang', l), lang);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await signInAsAdmin(page, suite.server.url, adminToken);
    return { page, errors };
  }

  async function checkOverview(page: Page, lang: 'en' | 'zh'): Promise<void> {
    const w = words[lang];
    await openPage(page, 'overview');
    const period = page.getByTestId('overview-period');
    await period.waitFor();
    expect(await period.getAttribute('data-headline-month')).toBe(headline);
    expect(await period.getAttribute('data-running-month')).toBe(running);
    const said = (await period.innerText()).replace(/\s+/g, ' ');
    expect(said).toContain(spelled(headline, lang));
    expect(said).toContain(w.headline);
    expect(said).toContain(spelled(running, lang));
    expect(said.toLowerCase()).toContain(w.monthToDate.toLowerCase());
    for (const card of cards) {
      expect(await page.getByTestId(`headline-${card}`).getAttribute('data-month'), card).toBe(headline);
      const mtd = page.getByTestId(`mtd-${card}`);
      expect(await mtd.getAttribute('data-month'), card).toBe(running);
      expect(await mtd.innerText()).toContain(`${w.monthToDate} · ${spelled(running, lang)}`);
      // The running month's point of every trend is marked, and the chart says so.
      const card$ = page.getByTestId(`advantage-${card}`);
      expect(await card$.locator('.trend').getAttribute('data-running'), card).toBe(running);
      expect(await card$.getByTestId('trend-running-note').innerText()).toContain(w.dashed);
    }
    // Churn and NRR of the running month wait for its end instead of showing a partial-month rate.
    expect(await page.getByTestId('mtd-stickiness').innerText()).toContain(w.atMonthEnd);
    const heatmap = page.getByTestId('cohorts').locator('.heatmap');
    expect(Number(await heatmap.getAttribute('data-running-cells'))).toBeGreaterThan(0);
    expect(await page.getByTestId('heatmap-running-note').innerText()).toContain(spelled(running, lang));
  }

  async function checkMarket(page: Page, lang: 'en' | 'zh'): Promise<void> {
    const w = words[lang];
    await openPage(page, 'market');
    await page.getByTestId('market-size-table').waitFor();
    expect(await page.getByTestId('share-basis').innerText()).toContain(w.basis);
    expect(await page.getByTestId('market-size-table').locator('thead').innerText()).toContain(w.shareOfSam);
    for (const cell of await page.getByTestId('observed-share').allInnerTexts()) {
      expect(cell).toMatch(/^(—|[\d.,]+%)$/);
      if (cell !== '—') expect(parseNumber(cell.slice(0, -1)), cell).toBeLessThanOrEqual(100);
    }
    // No percentage above 100 % anywhere in the sizing table; an impossible share is a warning naming the input.
    const table = await page.getByTestId('market-size-table').innerText();
    for (const pct of table.match(/[\d.,]+%/g) ?? []) expect(parseNumber(pct.slice(0, -1)), pct).toBeLessThanOrEqual(100);
    // Every share the API flags (the table may show only its first 50 segments) is listed as an input to fix.
    const report = (await suite.server.api('GET', '/api/market/size')).json as { segments: { observedShareOfSam: { exceedsSizing: unknown }; observedShareOfSom: { exceedsSizing: unknown } }[] };
    const flagged = report.segments.flatMap((r) => [r.observedShareOfSam, r.observedShareOfSom]).filter((x) => x.exceedsSizing !== null).length;
    expect(await page.getByTestId('share-exceeds-sizing').count()).toBeLessThanOrEqual(flagged);
    if (flagged > 0) {
      const warnings = page.getByTestId('sizing-warnings');
      expect(await warnings.locator('li').count()).toBe(flagged);
      expect(await warnings.innerText()).toContain(w.raise);
    }
  }

  async function checkAttribution(page: Page): Promise<void> {
    await openPage(page, 'promotion');
    const table = page.getByTestId('attribution-table');
    await table.waitFor();
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')));
    expect(rows.length).toBeGreaterThan(1);
    const columns = rows[0]!.length - 1; // first column: the channel
    const byModel = Array.from({ length: columns }, (_, j) => rows.map((r) => parseNumber(r[j + 1]!)));
    // The rule-based models (first five columns) do not all give the same bars.
    const distinct = new Set(byModel.slice(0, 5).map((v) => v.map((x) => x.toFixed(1)).join('|')));
    expect(distinct.size, JSON.stringify(rows)).toBeGreaterThanOrEqual(4);
  }

  async function checkKeysUsage(page: Page): Promise<void> {
    await openPage(page, 'keys');
    const daily = page.getByTestId('usage-daily');
    await daily.waitFor();
    expect(await daily.getAttribute('data-days')).toBe('30');
    expect(await daily.getAttribute('data-to')).toBe(now.toISOString().slice(0, 10));
    const requests30 = parseNumber(await page.getByTestId('usage-total-requests').innerText());
    await page.getByTestId('usage-range').selectOption('90');
    await expect.poll(() => page.getByTestId('usage-daily').getAttribute('data-days')).toBe('90');
    const requests90 = parseNumber(await page.getByTestId('usage-total-requests').innerText());
    // The totals are the range's (from the rollups), not the newest rows': far more than 20 requests, and growing with the range.
    expect(requests30).toBeGreaterThan(1_000);
    expect(requests90).toBeGreaterThan(requests30);
  }

  for (const lang of ['en', 'zh'] as const) {
    for (const viewport of ['desktop', 'phone'] as const) {
      it(`says the truth in ${lang} at ${viewports[viewport].width} px`, async () => {
        const { page, errors } = await openDashboard(lang, viewport);
        try {
          await checkOverview(page, lang);
          await screenshot(page, `analytics-truth-overview-${lang}-${viewport}`);
          await checkMarket(page, lang);
          await screenshot(page, `analytics-truth-market-${lang}-${viewport}`);
          await checkAttribution(page);
          if (viewport === 'desktop') await checkKeysUsage(page);
          expect(errors).toEqual([]);
        } finally {
          await page.context().close();
        }
      });
    }
  }
});
