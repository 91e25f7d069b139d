import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { formatMicros } from '../partners/index.js';
import type { InvoiceAnswer, InvoiceLine } from '../shared/contract/billing.js';
import { monthEnd, monthStart } from '../shared/month.js';
import { invoicePdfLabels, type InvoicePdfLabels, type InvoicePdfLanguage } from './invoice-pdf-labels.js';
import { invoiceTotals, lineRateBps, lineUnits, unitPriceMoney } from './invoice-lines.js';

/** What the PDF says beyond the invoice itself. */
export interface InvoicePdfOptions {
  readonly lang: InvoicePdfLanguage;
  /** The issuer: the workspace's name, printed at the top. */
  readonly workspaceName: string;
  /** Lines printed under the bill-to name (an address, a tax id, an e-mail), if the caller has them. */
  readonly billToDetails?: readonly string[];
}

/**
 * The fonts: Noto Sans (Simplified Chinese, GB 2312 coverage, with Latin) from the `@embedpdf/fonts-sc`
 * package, so nothing is downloaded at run time. Both languages use it, so a Chinese customer name prints
 * on an English invoice too. pdfkit embeds only the glyphs used (a subset), so a PDF stays ~50–100 KB.
 */
function fontFile(weight: 'Regular' | 'Bold'): string {
  const main = createRequire(import.meta.url).resolve('@embedpdf/fonts-sc');
  return join(dirname(main), '..', 'fonts', `NotoSansHans-${weight}.otf`);
}

/** A4 in points, with the margins and the lines table's columns (x from the left margin, width, alignment). */
const page = { size: 'A4', margin: 50, width: 595.28, height: 841.89, footer: 28 } as const;
const contentWidth = page.width - 2 * page.margin;
const columns = [
  { key: 'description', width: 190, align: 'left' },
  { key: 'kind', width: 60, align: 'left' },
  { key: 'quantity', width: 85, align: 'right' },
  { key: 'unitPrice', width: 75, align: 'right' },
  { key: 'amount', width: 85, align: 'right' },
] as const;
type ColumnKey = (typeof columns)[number]['key'];

/** Money as printed: the exact decimal of the micro-units, thousands grouped (`1,234.567`); the CSV's formatter. */
const money = (micros: number) => formatMicros(micros, { grouping: true });
const grouped = (n: number) => n.toLocaleString('en-US');
const percent = (bps: number) => `${formatMicros(bps * 10_000, { precision: 'cents' })} %`;

/**
 * An invoice as a PDF (A4), in English or 简体中文: the issuer, number, date, period, customer and bill-to,
 * the lines (description, kind, quantity, unit price, amount), then subtotal, tax, total, prepaid credits
 * applied and the amount due. Money is printed exactly, from the integer micro-units. A draft says so in
 * its title; a void invoice carries a stamp and its reason.
 */
export function invoicePdf(invoice: InvoiceAnswer, opts: InvoicePdfOptions): Promise<Buffer> {
  const L = invoicePdfLabels[opts.lang];
  const title = invoice.status === 'draft' ? L.draftTitle : L.title;
  const doc = new PDFDocument({
    size: page.size,
    margin: page.margin,
    bufferPages: true,
    lang: opts.lang === 'zh' ? 'zh-CN' : 'en',
    info: { Title: `${title} ${invoice.number ?? invoice.id}`, Author: opts.workspaceName, Subject: `${invoice.customerName} ${invoice.month}`, CreationDate: new Date(invoice.finalizedAt ?? monthEnd(invoice.month)) },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', fontFile('Regular'));
  doc.registerFont('bold', fontFile('Bold'));
  let y = header(doc, invoice, opts, L, title);
  y = linesTable(doc, invoice, L, y);
  totals(doc, invoice, L, y);
  footers(doc, invoice, L);
  doc.end();
  return done;
}

/** Writes `text` on one line in a box, shrinking the font until it fits (a long amount never wraps or spills). */
function oneLine(doc: PDFKit.PDFDocument, text: string, x: number, y: number, width: number, align: 'left' | 'right', size: number): void {
  doc.fontSize(size);
  const fit = Math.min(size, (size * width) / Math.max(1, doc.widthOfString(text)));
  doc.fontSize(fit).text(text, x, y + (size - fit) / 2, { width, align, lineBreak: false });
}

/** The issuer and title, the void stamp, then two columns: who is billed (left) and the invoice's facts (right). */
function header(doc: PDFKit.PDFDocument, inv: InvoiceAnswer, opts: InvoicePdfOptions, L: InvoicePdfLabels, title: string): number {
  const left = page.margin;
  doc.font('bold').fontSize(16).fillColor('#111111').text(opts.workspaceName, left, page.margin, { width: contentWidth / 2 });
  doc.font('bold').fontSize(22).text(title, left + contentWidth / 2, page.margin - 4, { width: contentWidth / 2, align: 'right' });

  let ly = page.margin + 48;
  const block = (label: string, lines: readonly string[]) => {
    doc.font('bold').fontSize(9).fillColor('#555555').text(label, left, ly, { width: contentWidth / 2 - 10 });
    ly = doc.y + 1;
    doc.font('regular').fontSize(10).fillColor('#111111');
    for (const l of lines) {
      doc.text(l, left, ly, { width: contentWidth / 2 - 10 });
      ly = doc.y;
    }
    ly += 8;
  };
  const billTo = inv.billTo.kind === 'partner' ? [inv.billTo.name, `${L.resellerFor}: ${inv.customerName}`] : [inv.billTo.name];
  block(L.billTo, [...billTo, ...(opts.billToDetails ?? [])]);
  block(L.customer, [`${inv.customerName} (${inv.customerId})`]);

  const facts: [string, string][] = [
    [L.number, inv.number ?? L.draftNumber],
    [L.date, inv.finalizedAt?.slice(0, 10) ?? L.notIssued],
    [L.period, `${monthStart(inv.month).toISOString().slice(0, 10)} ${L.periodTo} ${new Date(monthEnd(inv.month).getTime() - 1).toISOString().slice(0, 10)}`],
    [L.status, L.statuses[inv.status]],
    [L.currency, inv.currency],
    ...(inv.paidAt ? [[L.paidOn, inv.paidAt.slice(0, 10)] as [string, string]] : []),
    ...(inv.voidedAt ? [[L.voidReason, `${inv.voidedAt.slice(0, 10)}: ${inv.voidReason ?? ''}`] as [string, string]] : []),
  ];
  let ry = page.margin + 48;
  const rx = left + contentWidth / 2 + 10;
  for (const [label, value] of facts) {
    doc.font('bold').fontSize(9).fillColor('#555555').text(label, rx, ry + 1, { width: 80 });
    doc.font('regular').fontSize(10).fillColor('#111111').text(value, rx + 82, ry, { width: contentWidth / 2 - 92 });
    ry = Math.max(doc.y, ry + 14) + 2;
  }
  return Math.max(ly, ry) + 14;
}

/** A large, pale, slanted word across the page (a void invoice). */
function stamp(doc: PDFKit.PDFDocument, word: string): void {
  doc.save();
  doc.rotate(-30, { origin: [page.width / 2, page.height / 2] });
  doc.font('bold').fontSize(90).fillColor('#c0392b').fillOpacity(0.18);
  doc.text(word, 0, page.height / 2 - 60, { width: page.width, align: 'center', lineBreak: false });
  doc.restore();
  doc.fillOpacity(1);
}

/** The cells of one line as printed. */
function lineCells(line: InvoiceLine, L: InvoicePdfLabels): Record<ColumnKey, string> {
  const units = lineUnits[line.kind];
  const price = unitPriceMoney(line);
  const rate = lineRateBps(line);
  const quantity =
    units.quantity === 'seconds'
      ? `${line.quantity % 86_400 === 0 ? grouped(line.quantity / 86_400) : (line.quantity / 86_400).toFixed(2)} ${L.quantityUnits.days}`
      : `${grouped(line.quantity)} ${L.quantityUnits[units.quantity]}`;
  const unitPrice = rate !== null ? percent(rate) : price !== null && units.unitPrice !== null && units.unitPrice !== 'bps' ? `${money(price)} ${L.pricePer[units.unitPrice]}` : '';
  return { description: L.describe(line), kind: L.kinds[line.kind], quantity, unitPrice, amount: money(line.amountMicros) };
}

/** The table head row at `y`; returns the y below it. */
function tableHead(doc: PDFKit.PDFDocument, L: InvoicePdfLabels, y: number, currency: string): number {
  let x = page.margin;
  doc.font('bold').fillColor('#555555');
  for (const c of columns) {
    oneLine(doc, c.key === 'amount' ? `${L.amount} (${currency})` : L[c.key], c.align === 'right' ? x + 6 : x, y, c.width - 6, c.align, 9);
    x += c.width;
  }
  doc.moveTo(page.margin, y + 14).lineTo(page.margin + contentWidth, y + 14).lineWidth(0.8).strokeColor('#999999').stroke();
  return y + 19;
}

/** The lowest y a row may reach before the page's footer. */
const bottom = page.height - page.margin - page.footer;

/** The lines, breaking onto new pages (each with the table head again); returns the y below the last row. */
function linesTable(doc: PDFKit.PDFDocument, inv: InvoiceAnswer, L: InvoicePdfLabels, top: number): number {
  doc.font('bold').fontSize(11).fillColor('#111111').text(L.lines, page.margin, top);
  let y = tableHead(doc, L, doc.y + 4, inv.currency);
  if (inv.lines.length === 0) {
    doc.font('regular').fontSize(9.5).fillColor('#111111').text(L.noLines, page.margin, y);
    return doc.y + 10;
  }
  for (const line of inv.lines) {
    const cells = lineCells(line, L);
    doc.font('regular').fontSize(9.5);
    const height = Math.max(12, doc.heightOfString(cells.description, { width: columns[0].width - 6 })) + 5;
    if (y + height > bottom) {
      doc.addPage();
      y = tableHead(doc, L, page.margin, inv.currency);
    }
    doc.font('regular').fillColor('#111111').fontSize(9.5).text(cells.description, page.margin, y, { width: columns[0].width - 6 });
    let x = page.margin + columns[0].width;
    for (const c of columns.slice(1)) {
      oneLine(doc, cells[c.key], c.align === 'right' ? x + 6 : x, y, c.width - 6, c.align, 9.5);
      x += c.width;
    }
    y += height;
    doc.moveTo(page.margin, y - 2.5).lineTo(page.margin + contentWidth, y - 2.5).lineWidth(0.3).strokeColor('#dddddd').stroke();
  }
  return y + 8;
}

/** Subtotal, tax, total, credits and amount due, right-aligned under the amounts. */
function totals(doc: PDFKit.PDFDocument, inv: InvoiceAnswer, L: InvoicePdfLabels, top: number): void {
  const rows = invoiceTotals(inv);
  let y = top;
  if (y + rows.length * 18 > bottom) {
    doc.addPage();
    y = page.margin;
  }
  const labelX = page.margin + contentWidth - 300;
  for (const t of rows) {
    const strong = t.kind === 'total' || t.kind === 'due';
    const label = t.kind === 'tax' ? `${L.tax} (${percent(inv.taxRateBps)})` : L[t.kind];
    // Credits are taken off the total: printed with a minus, as the amount due is total − credits.
    const amount = t.kind === 'credits' ? money(-t.amountMicros) : money(t.amountMicros);
    if (t.kind === 'total' || t.kind === 'due') doc.moveTo(labelX, y - 3).lineTo(page.margin + contentWidth, y - 3).lineWidth(0.6).strokeColor('#999999').stroke();
    doc.font(strong ? 'bold' : 'regular').fillColor('#111111');
    oneLine(doc, label, labelX, y, 200, 'left', strong ? 11 : 10);
    oneLine(doc, `${amount} ${inv.currency}`, labelX + 200, y, 96, 'right', strong ? 11 : 10);
    y += 18;
  }
}

/** Each page's footer: the money rule and the page number (written once every page exists); a void invoice's stamp. */
function footers(doc: PDFKit.PDFDocument, inv: InvoiceAnswer, L: InvoicePdfLabels): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    if (inv.status === 'void') stamp(doc, L.voidStamp);
    // Text below the bottom margin would start a new page: lift the margin while writing the footer.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = page.height - page.margin - 12;
    doc.font('regular').fontSize(7.5).fillColor('#777777');
    doc.text(L.footer(inv.currency), page.margin, y, { width: contentWidth - 90, lineBreak: false });
    doc.text(L.page(i - range.start + 1, range.count), page.margin + contentWidth - 90, y, { width: 90, align: 'right', lineBreak: false });
    doc.page.margins.bottom = margin;
  }
}
