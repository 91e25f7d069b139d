import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { sampleInvoice } from '../../test/support/invoices.js';
import { formatMicros } from '../partners/index.js';
import type { InvoiceAnswer } from '../shared/contract/billing.js';
import { invoicePdf } from './invoice-pdf.js';

/** The PDF's text as a PDF reader extracts it, with all white space removed (a reader splits runs and lines its own way). */
async function textOf(pdf: Buffer): Promise<{ text: string; pages: number }> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const { text, totalPages } = await extractText(doc, { mergePages: true });
  return { text: text.replace(/\s+/g, ''), pages: totalPages };
}

const compact = (s: string) => s.replace(/\s+/g, '');
const printed = (micros: number) => formatMicros(micros, { grouping: true });

describe('invoicePdf', () => {
  const invoice = sampleInvoice();

  it('writes an English invoice whose text reads back: number, customer, labels, every line amount and the totals', async () => {
    const pdf = await invoicePdf(invoice, { lang: 'en', workspaceName: 'Qudao Demo', billToDetails: ['1 Bund Road, Shanghai'] });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { text, pages } = await textOf(pdf);
    expect(pages).toBe(1);
    for (const s of ['Qudao Demo', 'Invoice', 'INV-2026-000123', 'Acme, "Shanghai" 上海', '1 Bund Road, Shanghai', '2026-04-01', '2026-03-01 to 2026-03-31', 'Subtotal', 'Tax (6.00 %)', 'Total', 'Prepaid credits applied', 'Amount due', 'Reseller discount 20.00%']) expect(text).toContain(compact(s));
    for (const l of invoice.lines) expect(text).toContain(printed(l.amountMicros));
    for (const m of [invoice.subtotalMicros, invoice.taxMicros, invoice.totalMicros, invoice.dueMicros]) expect(text).toContain(`${printed(m)}USD`);
    expect(text).toContain(`${printed(-invoice.creditsMicros)}USD`);
  });

  it('writes 简体中文 with the Chinese labels and line kinds, and the same amounts', async () => {
    const { text } = await textOf(await invoicePdf(invoice, { lang: 'zh', workspaceName: '渠道演示' }));
    for (const s of ['渠道演示', '发票', '发票编号', 'INV-2026-000123', '开票日期', '计费期间', '收票方', '客户', 'Acme,"Shanghai"上海', '明细', '项目', '数量', '单价', '金额', '小计', '税额', '合计', '预付额度抵扣', '应付金额', '已开具']) expect(text).toContain(compact(s));
    for (const s of ['月费', '用量', '取整', '套餐内含', '折扣', '调整', '输入tokens', '2026-02的迟到用量']) expect(text).toContain(compact(s));
    for (const l of invoice.lines) expect(text).toContain(printed(l.amountMicros));
    expect(text).toContain(`${printed(invoice.dueMicros)}USD`);
  });

  it('says draft and void, names a reseller bill-to, and breaks long invoices over pages with every row', async () => {
    const draft = await textOf(await invoicePdf(sampleInvoice({ status: 'draft', number: null, finalizedAt: null }), { lang: 'zh', workspaceName: 'W' }));
    expect(draft.text).toContain('发票（草稿）');
    expect(draft.text).toContain('草稿，尚未编号');
    const lines = Array.from({ length: 90 }, (_, i) => ({ ...invoice.lines[1]!, description: `model-${i}: input tokens`, amountMicros: 1_000_000 + i }));
    const long: InvoiceAnswer = { ...sampleInvoice({ status: 'void', voidedAt: '2026-04-02T00:00:00.000Z', voidReason: 'billed twice', billTo: { kind: 'partner', partnerId: 'prt_shop', name: 'Shop Reseller' } }), lines };
    const { text, pages } = await textOf(await invoicePdf(long, { lang: 'en', workspaceName: 'W' }));
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain(compact(`Page 1 of ${pages}`));
    for (const s of ['VOID', 'billed twice', 'Shop Reseller', 'reseller, for its customer: Acme']) expect(text).toContain(compact(s));
    // Each row reads back whole, in order: description, kind, quantity, unit price, amount.
    for (const l of lines) expect(text).toContain(compact(`${l.description} Usage 1,234,567 tokens 1.00 / 1M tokens ${printed(l.amountMicros)}`));
  });
});
