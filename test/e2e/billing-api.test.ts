import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import type { InvoiceAnswer } from '../../src/shared/contract/billing.js';
import { addMonths, monthOf } from '../../src/shared/month.js';
import { parseCsv } from '../../src/pipeline/data/csv.js';
import { formatMicros } from '../../src/partners/money.js';
import { appendUsage, caller, PARTNER_TESTS_ADMIN, startPartnersApp, type ApiCaller } from '../support/partners.js';
import { createTempDatabase, postgresReachable } from '../support/stores.js';
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { rootCommand } from '../../src/cli/commands/index.js';
import { runCli } from '../../src/cli/run.js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Invoices through `/api` as a finance team uses them: a month's drafts, finalising (refused before the
 * month ends, idempotent after), numbers without gaps, the CSV, PDF (read back) and accounting export,
 * paid and void, the reconciliation, and the partner portal seeing only the invoices it is billed.
 */

const last = addMonths(monthOf(new Date()), -1);
const current = monthOf(new Date());

describe('invoices through /api', () => {
  let running: RunningApp;
  let admin: ApiCaller;
  const ids: Record<string, string> = {};

  async function post<T = Record<string, unknown>>(url: string, body: unknown, status = 201): Promise<T> {
    const res = await admin('POST', url, body);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(status);
    return res.json() as T;
  }

  beforeAll(async () => {
    running = await startPartnersApp();
    admin = caller(running, `Bearer ${PARTNER_TESTS_ADMIN}`);
    ids.plan = (await post('/api/plans', { name: 'Team', inputPer1mMicros: 2_000_000, outputPer1mMicros: 6_000_000, monthlyFeeMicros: 30_000_000, includedTokens: 1_000 })).id as string;
    ids.reseller = (await post('/api/partners', { name: 'Resale Ltd', type: 'reseller', region: 'eu', segments: [] })).id as string;
    ids.other = (await post('/api/partners', { name: 'Other Ltd', type: 'reseller', region: 'eu', segments: [] })).id as string;
    await post('/api/agreements', { partnerId: ids.reseller, revenueShareBps: 0, discountBps: 2_000, startsAt: '2025-01-01T00:00:00Z' });
    ids.direct = (await post('/api/channels', { name: 'Web', type: 'direct', defaultPlanId: ids.plan })).id as string;
    ids.resale = (await post('/api/channels', { name: 'Resale', type: 'reseller', ownerPartnerId: ids.reseller, defaultPlanId: ids.plan, marginKind: 'wholesale_discount', marginBps: 2_000 })).id as string;
    ids.acme = (await post('/api/customers', { name: 'Acme GmbH', region: 'de', acquiredChannelId: ids.direct })).id as string;
    ids.beta = (await post('/api/customers', { name: 'Beta 有限公司', region: 'cn', acquiredChannelId: ids.resale, acquiredPartnerId: ids.reseller })).id as string;
    for (const c of ['acme', 'beta'] as const) {
      await post('/api/keys', { customerId: ids[c], channelId: c === 'acme' ? ids.direct : ids.resale, planId: ids.plan, name: c });
      // On the plan from the start of last month: a whole month's fee.
      const res = await admin('POST', `/api/customers/${ids[c]}/plans`, { planId: ids.plan, startsAt: `${last}-01T00:00:00Z` });
      expect(res.statusCode, res.body).toBe(201);
    }
    await post('/api/partners/' + ids.reseller + '/users', { email: 'ops@resale.example', password: 'correct horse battery staple' });
    await post('/api/partners/' + ids.other + '/users', { email: 'ops@other.example', password: 'correct horse battery staple' });
    const setTax = await admin('PUT', '/api/billing/tax-rates/de', { rateBps: 1_900 });
    expect(setTax.statusCode, setTax.body).toBe(200);
    // 3,000 input tokens at 2.00/1M = 0.006; 1,000 output at 6.00/1M = 0.006 → ledger 0.012000 each.
    await appendUsage(running.services.store, [
      { customerId: ids.acme, channelId: ids.direct, partnerId: null, occurredAt: `${last}-10T10:00:00Z`, priceMicros: 12_000, tokens: 3_000 },
      { customerId: ids.beta, channelId: ids.resale, partnerId: ids.reseller, occurredAt: `${last}-11T10:00:00Z`, priceMicros: 12_000, tokens: 3_000 },
    ]);
  }, 120_000);
  afterAll(async () => running?.stop());

  it("lists last month's drafts with fees, usage, included tokens, the reseller's discount and tax", async () => {
    const res = await admin('GET', `/api/invoices?month=${last}`);
    expect(res.statusCode, res.body).toBe(200);
    const invoices = res.json().data as InvoiceAnswer[];
    const acme = invoices.find((i) => i.customerId === ids.acme)!;
    expect(acme.status).toBe('draft');
    expect(acme.number).toBeNull();
    expect(acme.billTo).toEqual({ kind: 'customer', partnerId: null, name: 'Acme GmbH' });
    expect(acme.feesMicros).toBe(30_000_000);
    expect(acme.usageMicros).toBe(12_000);
    // 1,000 of 3,000 tokens included: a third of 0.012 off.
    expect(acme.discountMicros).toBe(4_000);
    expect(acme.subtotalMicros).toBe(30_008_000);
    expect(acme.taxRateBps).toBe(1_900);
    expect(acme.taxMicros).toBe(5_701_520);
    expect(acme.totalMicros).toBe(35_709_520);
    const beta = invoices.find((i) => i.customerId === ids.beta)!;
    expect(beta.billTo).toEqual({ kind: 'partner', partnerId: ids.reseller, name: 'Resale Ltd' });
    // 20 % of the 0.012 ledger price sold through the reseller, and the included third.
    expect(beta.lines.find((l) => l.kind === 'discount')!.amountMicros).toBe(-2_400);
    expect(beta.discountMicros).toBe(6_400);
    expect(beta.taxMicros).toBe(0);
  });

  it('refuses to finalise a month that has not ended, with the catalogued code', async () => {
    const res = await admin('POST', '/api/invoices/finalize', { month: current });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'QD_MONTH_NOT_ENDED', param: 'month' });
  });

  it('finalises an ended month once: numbered without gaps, and a second run answers the same invoices', async () => {
    const first = await post<{ data: InvoiceAnswer[] }>('/api/invoices/finalize', { month: last }, 200);
    const year = last.slice(0, 4);
    expect(first.data.map((i) => i.number).sort()).toEqual([`INV-${year}-000001`, `INV-${year}-000002`]);
    expect(first.data.every((i) => i.status === 'final' && i.finalizedAt !== null)).toBe(true);
    const again = await post<{ data: InvoiceAnswer[] }>('/api/invoices/finalize', { month: last }, 200);
    expect(again.data.map((i) => [i.id, i.number])).toEqual(first.data.map((i) => [i.id, i.number]));
    ids.acmeInvoice = first.data.find((i) => i.customerId === ids.acme)!.id;
    ids.betaInvoice = first.data.find((i) => i.customerId === ids.beta)!.id;
    const stored = (await admin('GET', `/api/invoices/${ids.acmeInvoice}`)).json() as InvoiceAnswer;
    expect(stored.totalMicros).toBe(35_709_520);
  });

  it('bills usage that arrives for a finalised month on the next invoice, as a dated adjustment', async () => {
    await appendUsage(running.services.store, [{ customerId: ids.acme, channelId: ids.direct, partnerId: null, occurredAt: `${last}-20T10:00:00Z`, priceMicros: 7_000, tokens: 500 }]);
    const draft = (await admin('GET', `/api/invoices/draft_${current}_${ids.acme}`)).json() as InvoiceAnswer;
    const adjustment = draft.lines.find((l) => l.kind === 'adjustment')!;
    expect(adjustment).toMatchObject({ month: last, amountMicros: 7_000 });
    expect(draft.adjustmentMicros).toBe(7_000);
    const final = (await admin('GET', `/api/invoices/${ids.acmeInvoice}`)).json() as InvoiceAnswer;
    expect(final.totalMicros).toBe(35_709_520);
  });

  it('gives the CSV in exact decimals and a PDF whose text reads back, in English and 简体中文', async () => {
    const invoice = (await admin('GET', `/api/invoices/${ids.betaInvoice}`)).json() as InvoiceAnswer;
    const csv = await admin('GET', `/api/invoices/${ids.betaInvoice}/csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = parseCsv(csv.body, 'invoice.csv');
    const header = rows[0]!;
    const amount = header.indexOf('amount');
    const kind = header.indexOf('kind');
    const lineAmounts = rows.slice(1).filter((r) => invoice.lines.some((l) => l.kind === r[kind])).map((r) => r[amount]);
    expect(lineAmounts).toEqual(invoice.lines.map((l) => formatMicros(l.amountMicros)));
    expect(rows.find((r) => r[kind] === 'total')![amount]).toBe(formatMicros(invoice.totalMicros));
    for (const [lang, words] of [['en', ['Invoice', 'Total']], ['zh', ['发票', '合计']]] as const) {
      const pdf = await admin('GET', `/api/invoices/${ids.betaInvoice}/pdf?lang=${lang}`);
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf.rawPayload)), { mergePages: true });
      for (const w of [...words, invoice.number!, 'Beta 有限公司', formatMicros(invoice.totalMicros)]) expect(text, `${lang}: ${w}`).toContain(w);
    }
    const bad = await admin('GET', `/api/invoices/${ids.betaInvoice}/pdf?lang=fr`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.param).toBe('lang');
  });

  it('exports the month for accounting, marks paid and voids with the catalogued refusals', async () => {
    const exp = await admin('GET', `/api/billing/export?month=${last}`);
    expect(exp.statusCode).toBe(200);
    const rows = parseCsv(exp.body, 'export.csv');
    const n = rows[0]!.indexOf('invoice_number');
    expect(new Set(rows.slice(1).map((r) => r[n]))).toEqual(new Set([`INV-${last.slice(0, 4)}-000001`, `INV-${last.slice(0, 4)}-000002`]));
    const paid = await admin('POST', `/api/invoices/${ids.acmeInvoice}/pay`, {});
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json().status).toBe('paid');
    const voidPaid = await admin('POST', `/api/invoices/${ids.acmeInvoice}/void`, { reason: 'typo' });
    expect(voidPaid.statusCode).toBe(409);
    expect(voidPaid.json().error.code).toBe('QD_IMMUTABLE');
    const noReason = await admin('POST', `/api/invoices/${ids.betaInvoice}/void`, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.param).toBe('reason');
    const voided = await admin('POST', `/api/invoices/${ids.betaInvoice}/void`, { reason: 'wrong customer' });
    expect(voided.statusCode, voided.body).toBe(200);
    expect(voided.json()).toMatchObject({ status: 'void', voidReason: 'wrong customer' });
    // The voided invoice's usage goes on the next draft as an adjustment.
    const next = (await admin('GET', `/api/invoices/draft_${current}_${ids.beta}`)).json() as InvoiceAnswer;
    expect(next.lines.find((l) => l.kind === 'adjustment')).toMatchObject({ month: last, amountMicros: 12_000 });
    const missing = await admin('GET', '/api/invoices/inv_nope');
    expect(missing.statusCode).toBe(404);
  });

  it('answers the same through the CLI: list, show and the export, money exact', async () => {
    const cli = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(rootCommand, [...args, '--url', running.url, '--admin-token', PARTNER_TESTS_ADMIN], { out: (l) => out.push(l), err: (l) => err.push(l) });
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    const list = await cli('invoices', 'list', '--month', last);
    expect(list.code, list.err).toBe(0);
    expect(list.out).toContain(`INV-${last.slice(0, 4)}-000001`);
    const show = await cli('invoices', 'show', ids.acmeInvoice!);
    expect(show.code, show.err).toBe(0);
    expect(show.out).toContain('35.70952');
    const dir = await mkdtemp(join(tmpdir(), 'qd-invoices-'));
    try {
      const exp = await cli('invoices', 'export', last, '--out', join(dir, 'x.csv'));
      expect(exp.code, exp.err).toBe(0);
      expect(await readFile(join(dir, 'x.csv'), 'utf8')).toBe((await admin('GET', `/api/billing/export?month=${last}`)).body);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const bad = await cli('invoices', 'finalize', '2026-13');
    expect(bad.code).toBe(2);
  });

  it('reconciles the month: invoices, ledger, KPIs and statements agree customer by customer', async () => {
    const res = await admin('GET', `/api/billing/reconciliation?month=${last}`);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.mismatches).toEqual([]);
    expect(r.matches).toBe(true);
    expect(r.ledgerMicros).toBe(12_000 + 12_000 + 7_000);
    expect(r.invoicedSubtotalMicros).toBe(r.expectedSubtotalMicros);
  });

  it("shows a reseller only the invoices it is billed, and another partner none of them", async () => {
    const login = async (email: string) => {
      const res = await running.app.inject({ method: 'POST', url: '/api/portal/login', payload: { email, password: 'correct horse battery staple' } });
      expect(res.statusCode, res.body).toBe(200);
      return caller(running, `Bearer ${res.json().token}`);
    };
    const reseller = await login('ops@resale.example');
    const other = await login('ops@other.example');
    const mine = (await reseller('GET', `/api/portal/invoices?month=${last}`)).json().data as InvoiceAnswer[];
    expect(mine.map((i) => i.customerId)).toEqual([ids.beta]);
    expect((await reseller('GET', `/api/portal/invoices/${ids.betaInvoice}`)).statusCode).toBe(200);
    expect((await reseller('GET', `/api/portal/invoices/${ids.acmeInvoice}`)).statusCode).toBe(404);
    expect((await other('GET', `/api/portal/invoices?month=${last}`)).json().data).toEqual([]);
    expect((await other('GET', `/api/portal/invoices/${ids.betaInvoice}`)).statusCode).toBe(404);
    // A partner session is no admin: the admin invoice routes refuse it.
    expect((await reseller('GET', `/api/invoices?month=${last}`)).statusCode).toBe(403);
  });
});

describe('finalising from two replicas at once (PostgreSQL)', () => {
  it('makes every invoice once, numbered without gaps', { timeout: 180_000 }, async (ctx) => {
    if (!(await postgresReachable())) return ctx.skip();
    const temp = await createTempDatabase();
    const env = (n: number) => ({ QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: PARTNER_TESTS_ADMIN, DATABASE_URL: temp.url, QUDAO_INSTANCE: `r${n}` });
    const a = await startApp(loadConfig({ env: env(1) }));
    const b = await startApp(loadConfig({ env: env(2) }));
    try {
      const admin = caller(a, `Bearer ${PARTNER_TESTS_ADMIN}`);
      const post = async (url: string, body: unknown) => (await admin('POST', url, body)).json() as { id: string };
      const plan = await post('/api/plans', { name: 'Flat', inputPer1mMicros: 1_000_000, outputPer1mMicros: 1_000_000, monthlyFeeMicros: 5_000_000 });
      const channel = await post('/api/channels', { name: 'Web', type: 'direct', defaultPlanId: plan.id });
      const customers: string[] = [];
      for (let i = 0; i < 12; i++) {
        const c = await post('/api/customers', { name: `Customer ${i}`, acquiredChannelId: channel.id });
        await post('/api/keys', { customerId: c.id, channelId: channel.id, planId: plan.id });
        await admin('POST', `/api/customers/${c.id}/plans`, { planId: plan.id, startsAt: `${last}-01T00:00:00Z` });
        customers.push(c.id);
      }
      await appendUsage(a.services.store, customers.map((c, i) => ({ customerId: c, channelId: channel.id, partnerId: null, occurredAt: `${last}-0${1 + (i % 9)}T12:00:00Z`, priceMicros: 1_000 * (i + 1) })));
      const calls = [a, b, a, b].map((app) => app.app.inject({ method: 'POST', url: '/api/invoices/finalize', headers: { authorization: `Bearer ${PARTNER_TESTS_ADMIN}` }, payload: { month: last } }));
      const answers = await Promise.all(calls);
      for (const r of answers) expect(r.statusCode, r.body).toBe(200);
      const rows = (await a.services.store.query('SELECT customer_id, number FROM invoices ORDER BY number')) as { customer_id: string; number: string }[];
      expect(rows.length).toBe(12);
      expect(new Set(rows.map((r) => r.customer_id)).size).toBe(12);
      expect(rows.map((r) => r.number)).toEqual(customers.map((_, i) => `INV-${last.slice(0, 4)}-${String(i + 1).padStart(6, '0')}`));
      for (const r of answers) expect((r.json().data as InvoiceAnswer[]).map((i) => i.number).sort()).toEqual(rows.map((x) => x.number));
    } finally {
      await a.stop();
      await b.stop();
      await temp.drop();
    }
  });
});
