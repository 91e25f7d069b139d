import { writeFileSync } from 'node:fs';
import { billingRoutes, invoiceRoutes, invoiceStatuses, type InvoiceAnswer, type InvoiceLine } from '../../shared/contract/billing.js';
import { isMonth } from '../../shared/month.js';
import { UsageError, type Command, type CommandContext, type CommandGroup } from '../command.js';
import { adminApiFlags, callApi, callFile, enumFlag, printRows, stringFlag } from './admin-api.js';
import { idArg, monthFlag, type ApiRow } from './partner-api.js';

/** The columns of an invoice in a table: identity, then the money (printed in currency units). */
const columns = ['id', 'number', 'customerId', 'customerName', 'month', 'status', 'subtotalMicros', 'taxMicros', 'totalMicros', 'creditsMicros', 'dueMicros', 'finalizedAt'];
const lineColumns = ['kind', 'month', 'description', 'model', 'tokenKind', 'quantity', 'unitPriceMicros', 'amountMicros'];
const invoiceArg = [{ name: 'invoice', doc: 'Invoice id (inv_…), or a draft id draft_<YYYY-MM>_<customerId>.' }];
const monthArg = [{ name: 'month', doc: 'Month YYYY-MM.' }];
const outFlag = { out: { type: 'string', doc: 'Write to this file.', placeholder: 'FILE' } } as const;

/** The `<month>` argument, checked here so a typo fails before the request. */
function monthOf(ctx: CommandContext): string {
  const v = ctx.positionals[0]!;
  if (!isMonth(v)) throw new UsageError(`<month> must be a month written YYYY-MM, got "${v}"`);
  return v;
}

/** An invoice as a table row: bill-to in words (a reseller's with its partner id). */
function invoiceRow(invoice: InvoiceAnswer): ApiRow {
  const { billTo } = invoice;
  return { ...invoice, billTo: billTo.partnerId ? `${billTo.name} (partner ${billTo.partnerId})` : billTo.name };
}

/** Prints invoices as a table, money exact to the micro-unit (an invoice's amounts are what is billed), or the JSON answer with --json. */
function printInvoices(ctx: CommandContext, json: unknown, invoices: readonly InvoiceAnswer[], cols = columns): void {
  printRows(ctx, json, invoices.map(invoiceRow), cols);
}

/** A line as a table row: a discount's unit price is a rate in basis points, so it prints as a percentage, not money. */
function lineRow(line: InvoiceLine): ApiRow {
  if (line.kind !== 'discount' || line.unitPriceMicros === null) return line;
  return { ...line, unitPriceMicros: `${(line.unitPriceMicros / 100).toFixed(2)} %` };
}

/** Writes a file's bytes to --out (saying so), or text to standard output. */
function deliver(ctx: CommandContext, bytes: Buffer, out: string | undefined): void {
  if (out) {
    writeFileSync(out, bytes);
    ctx.out(`wrote ${out} (${bytes.length} bytes)`);
  } else ctx.out(bytes.toString('utf8').trimEnd());
}

const commands: Command[] = [
  {
    name: 'list',
    summary: "List invoices: a month's (drafts for customers not yet final), or every stored one.",
    flags: {
      ...adminApiFlags,
      month: { type: 'string', doc: 'Only this month.', placeholder: 'YYYY-MM' },
      status: { type: 'string', doc: `Only this status: ${invoiceStatuses.join(', ')}.` },
      customer: { type: 'string', doc: "Only this customer's.", placeholder: 'ID' },
      partner: { type: 'string', doc: 'Only those billed to this reseller partner.', placeholder: 'ID' },
    },
    async run(ctx) {
      const query = { month: monthFlag(ctx.flags), status: enumFlag(ctx.flags, 'status', invoiceStatuses), customerId: stringFlag(ctx.flags, 'customer'), partnerId: stringFlag(ctx.flags, 'partner') };
      const answer = await callApi(ctx, invoiceRoutes.list, { query });
      printInvoices(ctx, answer, answer.data);
    },
  },
  {
    name: 'show',
    summary: 'Show an invoice with its lines.',
    args: invoiceArg,
    flags: adminApiFlags,
    async run(ctx) {
      const invoice = await callApi(ctx, invoiceRoutes.get, { params: idArg(ctx) });
      printInvoices(ctx, invoice, [invoice], [...columns, 'billTo', 'currency', 'taxRateBps']);
      if (!ctx.flags.json) printRows(ctx, invoice, invoice.lines.map(lineRow), lineColumns);
    },
  },
  {
    name: 'finalize',
    summary: "Finalise an ended month's invoices (every customer, or one); running it again changes nothing.",
    args: monthArg,
    flags: { ...adminApiFlags, customer: { type: 'string', doc: 'Only this customer.', placeholder: 'ID' } },
    async run(ctx) {
      const answer = await callApi(ctx, invoiceRoutes.finalize, { body: { month: monthOf(ctx), customerId: stringFlag(ctx.flags, 'customer') } });
      printInvoices(ctx, answer, answer.data);
    },
  },
  {
    name: 'pay',
    summary: 'Mark a final invoice paid.',
    args: invoiceArg,
    flags: { ...adminApiFlags, 'paid-at': { type: 'string', doc: 'When it was paid (ISO-8601), default now.', placeholder: 'TIME' } },
    async run(ctx) {
      const invoice = await callApi(ctx, invoiceRoutes.pay, { params: idArg(ctx), body: { paidAt: stringFlag(ctx.flags, 'paid-at') } });
      printInvoices(ctx, invoice, [invoice], [...columns, 'paidAt']);
    },
  },
  {
    name: 'void',
    summary: "Void a final invoice; its usage goes on the customer's next invoice.",
    args: invoiceArg,
    flags: { ...adminApiFlags, reason: { type: 'string', doc: 'Why (required).', placeholder: 'TEXT' } },
    async run(ctx) {
      const reason = stringFlag(ctx.flags, 'reason');
      if (!reason) throw new UsageError('--reason is required; see npx qudao invoices void --help');
      const invoice = await callApi(ctx, invoiceRoutes.void, { params: idArg(ctx), body: { reason } });
      printInvoices(ctx, invoice, [invoice], [...columns, 'voidedAt', 'voidReason']);
    },
  },
  {
    name: 'csv',
    summary: "An invoice's lines and totals as CSV, exact decimals (to standard output, or --out FILE).",
    args: invoiceArg,
    flags: { ...adminApiFlags, ...outFlag },
    async run(ctx) {
      deliver(ctx, await callFile(ctx, invoiceRoutes.csv, { params: idArg(ctx) }), stringFlag(ctx.flags, 'out'));
    },
  },
  {
    name: 'pdf',
    summary: 'An invoice as PDF, in English or 简体中文 (to --out FILE, default <invoice>.pdf).',
    args: invoiceArg,
    flags: { ...adminApiFlags, lang: { type: 'string', doc: 'en (default) or zh.' }, ...outFlag },
    async run(ctx) {
      const lang = enumFlag(ctx.flags, 'lang', ['en', 'zh'] as const) ?? 'en';
      const out = stringFlag(ctx.flags, 'out') ?? `${ctx.positionals[0]!.replace(/[^\w.-]+/g, '_')}.pdf`;
      deliver(ctx, await callFile(ctx, invoiceRoutes.pdf, { params: idArg(ctx), query: { lang } }), out);
    },
  },
  {
    name: 'export',
    summary: "The month's accounting export: a CSV row per line of every final, paid and void invoice (to standard output, or --out FILE).",
    args: monthArg,
    flags: { ...adminApiFlags, ...outFlag },
    async run(ctx) {
      deliver(ctx, await callFile(ctx, billingRoutes.export, { query: { month: monthOf(ctx) } }), stringFlag(ctx.flags, 'out'));
    },
  },
];

/** `qudao invoices ...`: customer invoices, through the running server's /api. */
export const invoicesCommand: CommandGroup = { name: 'invoices', summary: 'Customer invoices: list, show, finalise a month, pay, void, CSV, PDF, accounting export.', commands };
