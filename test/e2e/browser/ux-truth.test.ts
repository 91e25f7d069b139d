/**
 * What a new user reads on first start (the demo workspace, as `npm start` makes it, at a quarter of its
 * call rate), in a real browser: every admin page in English and 简体中文, at 1280 px and at a phone width
 * (390 px). The assertions are on the rendered text and layout: no "[object Object]", no raw `par_…` /
 * `cus_…` (or channel / plan) id where the row has a name, no table wider than its card at 1280 px and no
 * page that scrolls sideways, no enum value the server sends (statuses, channel types, promotion channels,
 * attribution models …) left untranslated in Chinese; and the key form finds any customer by searching.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { en } from '../../../web/src/i18n/en.js';
import { adminToken, chromiumMissing, openPage, screenshot, signInAsAdmin, useDemoBrowser } from './browser.js';

const missing = chromiumMissing();
const ci = process.env.CI === 'true';
if (missing && !ci) console.warn(`skipping browser tests: ${missing}`);

const adminRoutes = ['overview', 'channels', 'partners', 'billing', 'market', 'promotion', 'ecosystem', 'models', 'keys', 'playground'];
const viewports = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
const languages = ['en', 'zh'] as const;

/** Ids of rows that have a name (partners, customers, channels, plans): shown raw, they mean nothing to a reader. */
const rawId = /\b(par|cus|chn|ch|plan)_[A-Za-z0-9_]{3,}/g;

/**
 * Enum values the server sends, from the dictionary's `enum.<kind>.<value>` keys. A few are ordinary words
 * that also appear in paths, URLs or model names shown as data ("data/runs/…", "gpt"), so they are left out
 * of the visible-text check; the unit test (web/src/i18n/enums.test.ts) still requires their translation.
 */
const ordinaryWords = new Set(['data', 'model', 'train', 'eval', 'gpt', 'lstm', 'none', 'ok', 'v1']);
const enumValues = [...new Set(Object.keys(en).filter((k) => k.startsWith('enum.')).map((k) => k.split('.').slice(2).join('.')))].filter((v) => !ordinaryWords.has(v));

/** What one page shows: its visible text and the widths that tell whether anything overflows. */
interface PageReading {
  text: string;
  /** Texts of the elements that show one value each (table cells, options, definitions, badges). */
  values: string[];
  pageWidth: number;
  viewportWidth: number;
  overflowingTables: string[];
}

async function readPage(page: Page): Promise<PageReading> {
  return page.evaluate(() => {
    const overflowingTables = Array.from(document.querySelectorAll<HTMLElement>('.table-scroll'))
      .filter((box) => box.offsetParent !== null && box.scrollWidth > box.clientWidth + 1)
      .map((box) => `${box.querySelector('table')?.dataset.testid ?? box.closest('[data-testid]')?.getAttribute('data-testid') ?? 'table'} ${box.scrollWidth}>${box.clientWidth}`);
    const values = Array.from(document.querySelectorAll<HTMLElement>('td, th, option, dd, dt, li, .kpi strong, .badge, .muted, code'))
      .filter((e) => e.offsetParent !== null || e.tagName === 'OPTION')
      .map((e) => (e.textContent ?? '').trim())
      .filter(Boolean);
    return { text: document.body.innerText, values, pageWidth: document.documentElement.scrollWidth, viewportWidth: window.innerWidth, overflowingTables };
  });
}

/**
 * The raw enum values among the shown values: a cell (option, definition …) that is exactly a value, or a
 * list of them ("search_ads, social"), or a value followed by a number ("revenue_share 10%"). Words inside
 * names ("Open model community", a channel named "Acme (reseller)") are data as the workspace typed it.
 */
function rawEnumValues(values: readonly string[]): string[] {
  const known = new Set(enumValues);
  const found = new Set<string>();
  for (const value of values) {
    const parts = value.split(/,\s*|\s+·\s+/).map((p) => p.replace(/\s+[\d.,]+\s*%?$/, '').trim());
    for (const part of parts) if (known.has(part)) found.add(part);
  }
  return [...found];
}

// Generous limits: the demo workspace takes seconds to build, each page a second to settle on a loaded machine.
describe.skipIf(Boolean(missing) && !ci)('a workspace that tells the truth, in chromium', { timeout: 240_000 }, () => {
  const suite = useDemoBrowser();
  const readings = new Map<string, PageReading>();



  for (const lang of languages) {
    for (const [size, viewport] of Object.entries(viewports)) {
      it(`walks every admin page in ${lang} at ${viewport.width} px`, async () => {
        const context = await suite.browser.newContext({ viewport, locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
        await context.addInitScript((chosen) => localStorage.setItem('qudao.lang', chosen), lang);
        context.setDefaultTimeout(60_000);
        const page = await context.newPage();
        const pageErrors: string[] = [];
        page.on('pageerror', (err) => pageErrors.push(err.message));
        try {
          await signInAsAdmin(page, suite.server.url, adminToken);
          for (const route of adminRoutes) {
            await openPage(page, route);
            // Tables fill in after their lists arrive; wait until the page stops growing.
            await page.waitForLoadState('networkidle').catch(() => undefined);
            // A name whose list is still on its way shows as "…"; read the page once every name is in.
            await page.waitForFunction(() => !Array.from(document.querySelectorAll('td')).some((td) => td.textContent?.trim() === '…'), undefined, { timeout: 20_000 });
            const reading = await readPage(page);
            readings.set(`${lang} ${size} ${route}`, reading);
            await screenshot(page, `truth-${route}-${lang}-${size}`);
          }
        } finally {
          await context.close();
        }
        expect(pageErrors).toEqual([]);
      });
    }
  }

  it('never prints [object Object]', () => {
    expect(readings.size).toBe(languages.length * 2 * adminRoutes.length);
    const found = [...readings].filter(([, r]) => r.text.includes('[object Object]')).map(([where]) => where);
    expect(found).toEqual([]);
  });

  it('shows names, not raw partner, customer, channel or plan ids', () => {
    const found = [...readings].flatMap(([where, r]) => [...new Set(r.text.match(rawId) ?? [])].slice(0, 3).map((id) => `${where}: ${id}`));
    expect(found).toEqual([]);
  });

  it('has no table wider than its card at 1280 px, and no page that scrolls sideways', () => {
    const tables = [...readings].filter(([where]) => where.includes(' desktop ')).flatMap(([where, r]) => r.overflowingTables.map((t) => `${where}: ${t}`));
    expect(tables).toEqual([]);
    const pages = [...readings].filter(([, r]) => r.pageWidth > r.viewportWidth).map(([where, r]) => `${where}: ${r.pageWidth}>${r.viewportWidth}`);
    expect(pages).toEqual([]);
  });

  it('leaves no enum value the server sends untranslated in 简体中文', () => {
    expect(enumValues).toEqual(expect.arrayContaining(['active', 'ended', 'signups', 'search_ads', 'firstTouch', 'reseller']));
    // The check itself finds raw values in cells, lists and "kind N%" cells, and ignores words inside names.
    expect(rawEnumValues(['active', 'search_ads, social', 'revenue_share 10%', 'Open model community', 'Acme (reseller)']).sort()).toEqual(['active', 'revenue_share', 'search_ads', 'social']);
    const found = [...readings]
      .filter(([where]) => where.startsWith('zh '))
      .flatMap(([where, r]) => rawEnumValues(r.values).map((v) => `${where}: ${v}`));
    expect(found).toEqual([]);
  });

  it('shows a partner its portal by names and in Chinese words', async () => {
    const partners = (await suite.server.api('GET', '/api/partners')).json as { data: { id: string; name: string }[] };
    const partner = partners.data[0]!;
    const email = 'truth@portal.example';
    const user = await suite.server.api('POST', `/api/partners/${partner.id}/users`, { email, password: 'truth-portal-password' });
    expect(user.status, JSON.stringify(user.json)).toBeLessThan(300);
    for (const lang of languages) {
      const context = await suite.browser.newContext({ viewport: viewports.desktop });
      await context.addInitScript((chosen) => localStorage.setItem('qudao.lang', chosen), lang);
      const page = await context.newPage();
      try {
        await page.goto(`${suite.server.url}/`);
        await page.getByTestId('login-partner-tab').click();
        await page.getByTestId('login-email').fill(email);
        await page.getByTestId('login-password').fill('truth-portal-password');
        await page.getByTestId('login-submit').click();
        await page.getByTestId('portal-profile').waitFor();
        await expect.poll(() => page.getByTestId('portal-profile').textContent(), { timeout: 15_000 }).toContain(partner.name);
        await page.waitForLoadState('networkidle').catch(() => undefined);
        const reading = await readPage(page);
        await screenshot(page, `truth-portal-${lang}-desktop`);
        expect(reading.text).not.toContain('[object Object]');
        expect([...new Set(reading.text.match(rawId) ?? [])]).toEqual([]);
        expect(reading.overflowingTables).toEqual([]);
        if (lang === 'zh') expect(rawEnumValues(reading.values)).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });

  it('finds any customer in the key form by searching the server, not only the newest hundred', async () => {
    const list = (await suite.server.api('GET', '/api/customers?limit=1')).json as { total: number };
    expect(list.total).toBeGreaterThan(100);
    const oldest = ((await suite.server.api('GET', `/api/customers?limit=1&offset=${list.total - 1}`)).json as { data: { id: string; name: string }[] }).data[0]!;
    const context = await suite.browser.newContext({ viewport: viewports.desktop, locale: 'en-US' });
    await context.addInitScript(() => localStorage.setItem('qudao.lang', 'en'));
    const page = await context.newPage();
    try {
      await signInAsAdmin(page, suite.server.url, adminToken);
      await openPage(page, 'keys');
      await page.getByTestId('key-customer-search').fill(oldest.id);
      const options = () => page.getByTestId('key-customer').locator('option').allTextContents();
      await expect.poll(async () => (await options()).some((o) => o.startsWith(oldest.name)), { timeout: 15_000 }).toBe(true);
      await page.getByTestId('key-customer').selectOption(oldest.id);
      expect(await page.getByTestId('key-customer').inputValue()).toBe(oldest.id);
      await page.getByTestId('key-customer-search').fill(oldest.name.slice(0, 6));
      await expect.poll(async () => (await page.getByTestId('key-customer').locator('option').first().textContent()) ?? '', { timeout: 15_000 }).toMatch(/of [\d,]+ matching/);
      expect(await page.getByTestId('key-customer').inputValue()).toBe(oldest.id); // the choice survives a new search
    } finally {
      await context.close();
    }
  });
});
