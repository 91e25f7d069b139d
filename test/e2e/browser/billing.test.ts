/**
 * What the Billing page SAYS on the demo workspace (its past months invoiced, the running one a draft), in
 * chromium, in English and 简体中文: an invoice's lines and totals are the API's numbers, worded in the
 * reader's language; its CSV and PDF download; finalising the running month is refused with the server's
 * own message; "Mark paid" turns a final invoice paid; an invoice voided with a reason says so; a top-up
 * moves the balance shown by exactly the amount typed and clears the low-balance badge; a viewer's write buttons are disabled. One server
 * start and one page load per language (and one for the viewer).
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { InvoiceAnswer } from '../../../src/shared/contract/billing.js';
import { addMonths, monthOf } from '../../../src/shared/month.js';
import { en } from '../../../web/src/i18n/en.js';
import { microsToDecimal } from '../../../web/src/money.js';
import { appendUsage } from '../../support/partners.js';
import { adminToken, chromiumMissing, openPage, screenshot, signInAsAdmin, useDemoBrowser } from './browser.js';

const missing = chromiumMissing();
const ci = process.env.CI === 'true';
if (missing && !ci) console.warn(`skipping browser tests: ${missing}`);

const languages = ['en', 'zh'] as const;

/** The words each language uses for what the test reads, written here rather than taken from the dashboard. */
const words = {
  en: {
    kinds: { fee: 'Plan fee', usage: 'Usage', rounding: 'Rounding', included: 'Included tokens', discount: 'Reseller discount', adjustment: 'Late usage' },
    final: 'Final',
    paid: 'Paid',
    nav: 'Billing',
    prepaid: 'Prepaid',
    low: 'Low balance',
  },
  zh: {
    kinds: { fee: '套餐月费', usage: '用量', rounding: '取整', included: '套餐内含令牌', discount: '经销商折扣', adjustment: '迟到用量' },
    final: '已定稿',
    paid: '已付款',
    nav: '账单',
    prepaid: '预付费',
    low: '余额不足',
  },
} as const;

/** Enum values the billing routes send (statuses, line, token, bill-to and credit kinds, billing modes): none may show raw in 简体中文. */
const billingEnumValues = new Set(
  Object.keys(en)
    .filter((k) => /^enum\.(invoiceStatus|invoiceLineKind|tokenKind|billToKind|creditKind|billingMode)\./.test(k))
    .map((k) => k.split('.')[2]!),
);

/**
 * Money as a person should read it, worked out from the integer micro-units: two decimals rounded half away
 * from zero, thousands grouped with commas (both en-US and zh-CN), and a sub-cent amount as `< 0.01`.
 */
function money(micros: number): string {
  if (micros !== 0 && Math.abs(micros) < 5_000) return micros > 0 ? '< 0.01' : '> -0.01';
  const cents = (BigInt(Math.abs(micros)) + 5_000n) / 10_000n;
  const units = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${micros < 0 ? '-' : ''}${units}.${(cents % 100n).toString().padStart(2, '0')}`;
}

describe.skipIf(Boolean(missing) && !ci)('the Billing page tells the truth, in chromium', { timeout: 300_000 }, () => {
  const running = monthOf(new Date());
  const last = addMonths(running, -1);
  /**
   * One final, unpaid invoice per language, so each language marks its own paid. The demo pays its invoices
   * ten days after a month ends, so on most days none is left unpaid: each test customer is added with a
   * plan from the start of last month and usage in it, and its month finalised — one through a direct
   * channel (billed to the customer), one through a reseller's (billed to the reseller, with its discount),
   * and one more to void.
   */
  const invoiceOf: Partial<Record<(typeof languages)[number] | 'void', InvoiceAnswer>> = {};
  const suite = useDemoBrowser({
    demo: { scale: 0.05 },
    setup: async () => {
      const { server } = suite;
      const channels = ((await server.api('GET', '/api/channels')).json as { data: { id: string; type: string; ownerPartnerId: string | null; defaultPlanId: string | null }[] }).data;
      const direct = channels.find((c) => c.type === 'direct' && c.defaultPlanId);
      const resale = channels.find((c) => c.type === 'reseller' && c.ownerPartnerId && c.defaultPlanId);
      expect(direct && resale, 'the demo has a direct and a reseller channel with plans').toBeTruthy();
      const customers = [
        { lang: 'en', name: 'Billing Browser Direct', channel: direct!, partnerId: null },
        { lang: 'zh', name: '账单浏览器 经销', channel: resale!, partnerId: resale!.ownerPartnerId },
        { lang: 'void', name: 'Billing Browser Void', channel: direct!, partnerId: null },
      ] as const;
      for (const c of customers) {
        const created = await server.api('POST', '/api/customers', { name: c.name, region: 'de', acquiredChannelId: c.channel.id, ...(c.partnerId ? { acquiredPartnerId: c.partnerId } : {}) });
        expect(created.status, JSON.stringify(created.json)).toBe(201);
        const customerId = (created.json as { id: string }).id;
        const plan = await server.api('POST', `/api/customers/${customerId}/plans`, { planId: c.channel.defaultPlanId, startsAt: `${last}-01T00:00:00Z` });
        expect(plan.status, JSON.stringify(plan.json)).toBe(201);
        await appendUsage(server.running.services.store, [
          { customerId, channelId: c.channel.id, partnerId: c.partnerId, occurredAt: `${last}-10T10:00:00Z`, priceMicros: 12_345_678, tokens: 3_000_000 },
          { customerId, channelId: c.channel.id, partnerId: c.partnerId, occurredAt: `${last}-11T10:00:00Z`, priceMicros: 477, tokens: 100 },
        ]);
        const done = await server.api('POST', '/api/invoices/finalize', { month: last, customerId });
        expect(done.status, JSON.stringify(done.json)).toBe(200);
        const invoice = (done.json as { data: InvoiceAnswer[] }).data.find((i) => i.customerId === customerId);
        expect(invoice?.status).toBe('final');
        invoiceOf[c.lang] = invoice;
      }
    },
  });

  const newPage = (lang: (typeof languages)[number]) => newPageAs(lang, adminToken);

  /** Signs in with `token` (its role from /api/auth/me) in `lang`; page errors are collected. */
  async function newPageAs(lang: (typeof languages)[number], token: string): Promise<{ page: Page; errors: string[] }> {
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: lang === 'zh' ? 'zh-CN' : 'en-US', acceptDownloads: true });
    context.setDefaultTimeout(60_000);
    await context.addInitScript((l) => localStorage.setItem('qudao.lang', l), lang);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await signInAsAdmin(page, suite.server.url, token);
    return { page, errors };
  }

  /** Opens an invoice of the list: its month chosen, the list filtered to its status, its row clicked. */
  async function openInvoice(page: Page, invoice: InvoiceAnswer): Promise<void> {
    await page.getByTestId('billing-month').fill(invoice.month);
    await page.getByTestId('billing-status').selectOption(invoice.status);
    const row = page.getByTestId(`invoice-row-${invoice.id}`);
    const showAll = page.getByTestId('billing-invoices').locator('button.link-button');
    await expect.poll(async () => (await row.count()) + (await showAll.count())).toBeGreaterThan(0);
    if ((await row.count()) === 0) await showAll.click();
    await row.click();
    await page.locator(`[data-testid="invoice-view"][data-invoice-id="${invoice.id}"]`).waitFor();
  }

  it('a viewer reads the page, and its write buttons are disabled (billing is written by owner and finance)', async () => {
    const created = await suite.server.api('POST', '/api/tokens', { name: 'billing viewer', scope: 'viewer' });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const { page, errors } = await newPageAs('en', (created.json as { token: string }).token);
    await openPage(page, 'billing');
    await page.getByTestId('invoices-table').locator('tbody tr').first().click();
    await page.getByTestId('invoice-view').waitFor();
    await page.getByTestId('credit-balance').waitFor();
    expect(await page.getByTestId('billing-finalize').isDisabled()).toBe(true);
    expect(await page.getByTestId('credit-submit').isDisabled()).toBe(true);
    expect(await page.getByTestId('billing-mode-save').isDisabled()).toBe(true);
    for (const action of ['invoice-pay', 'invoice-void', 'invoice-finalize']) if ((await page.getByTestId(action).count()) > 0) expect(await page.getByTestId(action).isDisabled(), action).toBe(true);
    // Reading is everyone's: the downloads stay enabled.
    expect(await page.getByTestId('invoice-csv').isDisabled()).toBe(false);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  for (const lang of languages) {
    it(`${lang}: an invoice's lines and totals are the API's, CSV and PDF download, mark paid, prepaid low balance cleared by a top-up, void (en), finalising the running month is refused`, async () => {
      const w = words[lang];
      const chosen = invoiceOf[lang]!;
      const { page, errors } = await newPage(lang);
      await openPage(page, 'billing');
      expect(await page.getByTestId('nav-billing').innerText()).toBe(w.nav);

      // The invoice as the API answers it now, and as the page shows it.
      const invoice = (await suite.server.api('GET', `/api/invoices/${chosen.id}`)).json as InvoiceAnswer;
      await openInvoice(page, invoice);
      expect(await page.getByTestId('invoice-number').innerText()).toBe(invoice.number);
      const rows = page.getByTestId('invoice-lines').locator('tbody tr');
      expect(await rows.count()).toBe(invoice.lines.length);
      for (const [i, line] of invoice.lines.entries()) {
        const cells = (await rows.nth(i).locator('td').allInnerTexts()).map((c) => c.trim());
        expect(cells[0], `line ${i} kind`).toBe(w.kinds[line.kind]);
        expect(cells[1], `line ${i} month`).toBe(line.month);
        expect(cells[5], `line ${i} amount`).toBe(money(line.amountMicros));
        if (line.kind === 'usage' && line.model) expect(cells[2]).toContain(line.model);
      }
      for (const [name, micros] of [['subtotal', invoice.subtotalMicros], ['tax', invoice.taxMicros], ['total', invoice.totalMicros], ['due', invoice.dueMicros]] as const) {
        expect(await page.getByTestId(`invoice-${name}`).innerText(), name).toBe(money(micros));
      }
      expect(await page.getByTestId('invoice-status').innerText()).toBe(w.final);

      // Mark paid: the status shown turns paid, and the API agrees.
      await page.getByTestId('invoice-pay').click();
      await expect.poll(() => page.getByTestId('invoice-status').innerText()).toBe(w.paid);
      expect(((await suite.server.api('GET', `/api/invoices/${chosen.id}`)).json as InvoiceAnswer).status).toBe('paid');
      expect(await page.getByTestId('invoice-pay').count()).toBe(0);

      // Its CSV (exact decimals) and its PDF in the reader's language download from the page.
      const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('invoice-csv').click()]);
      expect(csv.suggestedFilename()).toBe(`${invoice.number}.csv`);
      expect(readFileSync((await csv.path())!, 'utf8')).toContain(microsToDecimal(invoice.totalMicros));
      const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`invoice-pdf-${lang}`).click()]);
      expect(pdf.suggestedFilename()).toBe(`${invoice.number}.${lang}.pdf`);
      expect(readFileSync((await pdf.path())!).subarray(0, 5).toString('latin1')).toBe('%PDF-');

      // A top-up of the invoice's customer (opening the invoice chose it): the balance moves by exactly 12.34.
      const balanceOf = async () => ((await suite.server.api('GET', `/api/customers/${invoice.customerId}/credits`)).json as { balanceMicros: number }).balanceMicros;
      const before = await balanceOf();
      await expect.poll(() => page.getByTestId('credit-balance').innerText()).toBe(money(before));
      // Prepaid with a threshold 10.00 above the balance: the page flags it low, as the API does.
      await page.getByTestId('billing-mode').selectOption('prepaid');
      await page.getByTestId('billing-threshold').fill(microsToDecimal(before + 10_000_000));
      await page.getByTestId('billing-mode-save').click();
      await expect.poll(() => page.getByTestId('credit-mode').innerText()).toBe(w.prepaid);
      expect(await page.getByTestId('credit-low').innerText()).toBe(w.low);
      expect(((await suite.server.api('GET', `/api/customers/${invoice.customerId}/credits`)).json as { low: boolean }).low).toBe(true);
      await page.getByTestId('credit-kind').selectOption('topup');
      await page.getByTestId('credit-amount').fill('12.34');
      await page.getByTestId('credit-note').fill(`browser test ${lang}`);
      await page.getByTestId('credit-submit').click();
      await expect.poll(() => page.getByTestId('credit-balance').innerText()).toBe(money(before + 12_340_000));
      expect(await balanceOf()).toBe(before + 12_340_000);
      expect(await page.getByTestId('credit-low').count()).toBe(0); // 12.34 more is above the threshold
      expect(await page.getByTestId('credit-entries').innerText()).toContain(`browser test ${lang}`);

      if (lang === 'en') {
        // Void asks for a reason; the status and the reason shown are the API's.
        const toVoid = invoiceOf.void!;
        await openInvoice(page, toVoid);
        await page.getByTestId('invoice-void').click();
        expect(await page.getByTestId('invoice-void-confirm').isDisabled()).toBe(true);
        await page.getByTestId('invoice-void-reason-input').fill('billed to the wrong customer');
        await page.getByTestId('invoice-void-confirm').click();
        await expect.poll(() => page.getByTestId('invoice-status').innerText()).toBe('Void');
        expect(await page.getByTestId('invoice-void-reason').innerText()).toBe('billed to the wrong customer');
        const voided = (await suite.server.api('GET', `/api/invoices/${toVoid.id}`)).json as InvoiceAnswer;
        expect([voided.status, voided.voidReason]).toEqual(['void', 'billed to the wrong customer']);
      }

      // Finalising the running month is refused; the page shows the server's own message.
      await page.getByTestId('billing-month').fill(running);
      await page.getByTestId('billing-month-running').waitFor();
      const refused = await suite.server.api('POST', '/api/invoices/finalize', { month: running });
      expect(refused.status).toBeGreaterThanOrEqual(400);
      const message = (refused.json as { error: { message: string } }).error.message;
      await page.getByTestId('billing-finalize').click();
      await expect.poll(() => page.getByTestId('billing-finalize-error').innerText()).toBe(message);

      // The reconciliation of the running month and the billed-revenue charts are on the page.
      const recon = (await suite.server.api('GET', `/api/billing/reconciliation?month=${running}`)).json as { matches: boolean; ledgerMicros: number };
      await expect.poll(() => page.getByTestId('reconciliation-matches').getAttribute('data-matches')).toBe(String(recon.matches));
      expect(await page.getByTestId('reconciliation-ledger').innerText()).toBe(money(recon.ledgerMicros));
      await page.getByTestId('revenue-by-channel').locator('canvas').first().waitFor({ state: 'attached' });

      const text = await page.locator('body').innerText();
      expect(text).not.toContain('[object Object]');
      expect(text.match(/\b(par|cus|chn|ch|plan)_[A-Za-z0-9_]{3,}/g) ?? [], 'raw ids where a name belongs').toEqual([]);
      // At 1280 px every table fits its card.
      const overflowing = await page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('.table-scroll')).filter((box) => box.scrollWidth > box.clientWidth + 1).map((box) => box.querySelector('table')?.dataset.testid ?? 'table'));
      expect(overflowing).toEqual([]);
      expect(text).not.toMatch(/\benum\.\w+/);
      if (lang === 'zh') {
        for (const raw of ['Mark paid', 'Add credit', 'Top-up', 'Prepaid', 'Postpaid']) expect(text, raw).not.toContain(raw);
        // A cell, definition, option or badge that is exactly a value the server sent, untranslated.
        const shown = await page.locator('td, dd, option, .badge').allInnerTexts();
        expect([...new Set(shown.map((v) => v.trim()).filter((v) => billingEnumValues.has(v)))]).toEqual([]);
        expect(shown.map((v) => v.trim())).not.toContain('none');
      }
      await screenshot(page, `billing-${lang}`);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});
