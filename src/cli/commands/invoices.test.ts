import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleInvoice } from '../../../test/support/invoices.js';
import { accountingCsv } from '../../billing/accounting-export.js';
import { invoiceCsv } from '../../billing/invoice-csv.js';
import { invoicePdf } from '../../billing/invoice-pdf.js';
import { invoicePdfQuerySchema, invoiceSchema, type InvoiceAnswer } from '../../shared/contract/billing.js';
import { runCli } from '../run.js';
import { rootCommand } from './index.js';

const TOKEN = 'qd_admin_invoices_cli_test';

/** One request the stub received. */
interface Seen {
  method: string;
  path: string;
  body: unknown;
  auth: string | undefined;
}

/**
 * A stand-in for the server's invoice routes (/api/invoices, /api/billing/export) answering as the contract
 * says, with the real CSV, export and PDF renderers, so the CLI is tested without the InvoiceService.
 */
function stubServer(invoice: InvoiceAnswer, seen: Seen[]): Server {
  const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const notFound = (res: ServerResponse, id: string) => json(res, 404, { error: { code: 'QD_NOT_FOUND', message: `no invoice ${id}` } });
  const handle = async (req: IncomingMessage, res: ServerResponse, text: string) => {
    const url = new URL(req.url!, 'http://stub');
    seen.push({ method: req.method!, path: `${url.pathname}${url.search}`, body: text ? JSON.parse(text) : undefined, auth: req.headers.authorization });
    const [, , resource, id, action] = url.pathname.split('/');
    if (resource === 'billing' && id === 'export') return res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' }).end(accountingCsv(url.searchParams.get('month')!, url.searchParams.get('month') === invoice.month ? [invoice] : []));
    if (resource !== 'invoices') return json(res, 404, { error: { code: 'QD_NOT_FOUND', message: 'no such route' } });
    if (req.method === 'GET' && id === undefined) return json(res, 200, { data: [invoice] });
    if (req.method === 'POST' && id === 'finalize') return json(res, 200, { data: [invoice] });
    if (id !== invoice.id) return notFound(res, id!);
    if (req.method === 'GET' && action === undefined) return json(res, 200, invoice);
    if (req.method === 'GET' && action === 'csv') return res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' }).end(invoiceCsv(invoice));
    if (req.method === 'GET' && action === 'pdf') {
      const { lang } = invoicePdfQuerySchema.parse(Object.fromEntries(url.searchParams));
      return res.writeHead(200, { 'content-type': 'application/pdf' }).end(await invoicePdf(invoice, { lang, workspaceName: 'Stub' }));
    }
    if (req.method === 'POST' && action === 'pay') return json(res, 200, invoiceSchema.parse({ ...invoice, status: 'paid', paidAt: (JSON.parse(text) as { paidAt?: string }).paidAt ?? '2026-04-10T00:00:00.000Z' }));
    if (req.method === 'POST' && action === 'void') return json(res, 200, invoiceSchema.parse({ ...invoice, status: 'void', voidedAt: '2026-04-10T00:00:00.000Z', voidReason: (JSON.parse(text) as { reason: string }).reason }));
    return json(res, 404, { error: { code: 'QD_NOT_FOUND', message: 'no such route' } });
  };
  return createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => void handle(req, res, text));
  });
}

describe('qudao invoices (against a stub of the invoice routes)', () => {
  const invoice = sampleInvoice();
  const seen: Seen[] = [];
  const server = stubServer(invoice, seen);
  let url = '';
  const dir = mkdtempSync(join(tmpdir(), 'qd-invoices-'));
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(rootCommand, [...args, '--url', url, '--admin-token', TOKEN], { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const last = () => seen.at(-1)!;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('lists invoices with filters, money in currency units', async () => {
    const r = await run('invoices', 'list', '--month', '2026-03', '--status', 'final', '--customer', 'cus_acme', '--partner', 'prt_shop');
    expect(r.code).toBe(0);
    expect(last()).toMatchObject({ method: 'GET', path: '/api/invoices?month=2026-03&status=final&customerId=cus_acme&partnerId=prt_shop', auth: `Bearer ${TOKEN}` });
    expect(r.out.split('\n')[0]).toMatch(/^id\s+number\s+customerId\s+customerName\s+month\s+status\s+subtotal\s+tax\s+total\s+credits\s+due\s+finalizedAt/);
    expect(r.out).toMatch(/inv_sample\s+INV-2026-000123\s+cus_acme\s+Acme, "Shanghai" 上海\s+2026-03\s+final\s+50\.735049\s+3\.044103\s+53\.779152\s+2\.00\s+51\.779152/);
    expect(JSON.parse((await run('invoices', 'list', '--json')).out)).toEqual({ data: [invoice] });
  });

  it('shows an invoice with its lines; a discount prints its rate, not money', async () => {
    const r = await run('invoices', 'show', 'inv_sample');
    expect(r.code).toBe(0);
    expect(last().path).toBe('/api/invoices/inv_sample');
    expect(r.out).toMatch(/fee\s+2026-03\s+Pro: monthly fee\s+-\s+-\s+2678400\s+49\.00\s+49\.00/);
    expect(r.out).toMatch(/usage\s+2026-03\s+qudao-small: input tokens at Pro\s+qudao-small\s+input\s+1234567\s+1\.00\s+1\.234567/);
    expect(r.out).toMatch(/discount\s+2026-03\s+Reseller discount.*20\.00 %\s+-0\.000001/);
    expect(r.out).toMatch(/adjustment\s+2026-02\s+=Late usage.*0\.000477/);
    expect(r.out).toMatch(/rounding\s+.*0\.000007/);
    expect(r.out).toMatch(/Acme, "Shanghai" 上海\s+USD\s+600/);
  });

  it('finalises a month (optionally one customer), pays and voids', async () => {
    expect((await run('invoices', 'finalize', '2026-03', '--customer', 'cus_acme')).out).toMatch(/INV-2026-000123\s+cus_acme/);
    expect(last()).toMatchObject({ method: 'POST', path: '/api/invoices/finalize', body: { month: '2026-03', customerId: 'cus_acme' } });
    expect((await run('invoices', 'finalize', '2026-03')).code).toBe(0);
    expect(last().body).toEqual({ month: '2026-03' });
    expect((await run('invoices', 'pay', 'inv_sample', '--paid-at', '2026-04-09T00:00:00Z')).out).toMatch(/paid/);
    expect(last()).toMatchObject({ method: 'POST', path: '/api/invoices/inv_sample/pay', body: { paidAt: '2026-04-09T00:00:00Z' } });
    expect((await run('invoices', 'void', 'inv_sample', '--reason', 'billed twice')).out).toMatch(/void/);
    expect(last()).toMatchObject({ method: 'POST', path: '/api/invoices/inv_sample/void', body: { reason: 'billed twice' } });
  });

  it('writes the CSV, the PDF and the accounting export, byte for byte as served', async () => {
    const csv = join(dir, 'inv.csv');
    expect((await run('invoices', 'csv', 'inv_sample', '--out', csv)).out).toMatch(/^wrote .*inv\.csv \(\d+ bytes\)$/);
    expect(readFileSync(csv, 'utf8')).toBe(invoiceCsv(invoice));
    expect((await run('invoices', 'csv', 'inv_sample')).out).toBe(invoiceCsv(invoice).trimEnd());

    const pdf = join(dir, 'inv.pdf');
    expect((await run('invoices', 'pdf', 'inv_sample', '--lang', 'zh', '--out', pdf)).code).toBe(0);
    expect(last().path).toBe('/api/invoices/inv_sample/pdf?lang=zh');
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');

    const exported = join(dir, 'export.csv');
    expect((await run('invoices', 'export', '2026-03', '--out', exported)).code).toBe(0);
    expect(last().path).toBe('/api/billing/export?month=2026-03');
    expect(readFileSync(exported, 'utf8')).toBe(accountingCsv('2026-03', [invoice]));
  });

  it('refuses bad input with one line saying what to fix, before calling the server', async () => {
    const before = seen.length;
    const cases: [string[], RegExp][] = [
      [['invoices', 'finalize', 'March'], /^qudao: <month> must be a month written YYYY-MM, got "March"$/],
      [['invoices', 'export', '2026-13'], /^qudao: <month> must be a month written YYYY-MM, got "2026-13"$/],
      [['invoices', 'list', '--month', '03/2026'], /^qudao: --month must be a month written YYYY-MM, got "03\/2026"$/],
      [['invoices', 'list', '--status', 'open'], /^qudao: --status must be one of draft, final, paid, void, got "open"$/],
      [['invoices', 'pdf', 'inv_sample', '--lang', 'fr'], /^qudao: --lang must be one of en, zh, got "fr"$/],
      [['invoices', 'void', 'inv_sample'], /^qudao: --reason is required/],
      [['invoices', 'show'], /^qudao: missing argument <invoice>/],
      [['invoices', 'finalize'], /^qudao: missing argument <month>/],
    ];
    for (const [args, message] of cases) {
      const r = await run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.err).toMatch(message);
    }
    expect(seen.length).toBe(before);
  });

  it("fails with the server's code in one line, exit 1, for JSON and file answers alike", async () => {
    for (const args of [['invoices', 'show', 'inv_missing'], ['invoices', 'pdf', 'inv_missing', '--out', join(dir, 'x.pdf')], ['invoices', 'csv', 'inv_missing']]) {
      const r = await run(...args);
      expect(r.code).toBe(1);
      expect(r.err).toBe('qudao: QD_NOT_FOUND: no invoice inv_missing');
    }
  });

  it('has help for the group and each command', async () => {
    const group = await run('invoices', '--help');
    for (const name of ['list', 'show', 'finalize', 'pay', 'void', 'csv', 'pdf', 'export']) expect(group.out).toMatch(new RegExp(`^  ${name}\\s`, 'm'));
    expect((await run('invoices', 'export', '--help')).out).toContain('Usage: npx qudao invoices export <month> [flags]');
  });
});
