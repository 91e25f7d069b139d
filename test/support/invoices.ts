import fc from 'fast-check';
import { invoiceLineKinds, invoiceSchema, type InvoiceAnswer, type InvoiceLine } from '../../src/shared/contract/billing.js';

/**
 * Invoices as `/api` answers them, for the tests of the invoice outputs (CSV, accounting export, PDF, CLI):
 * built here so those tests need no ledger and no InvoiceService. Totals follow the contract's rules
 * (src/shared/contract/billing.ts): subtotal = Σ line amounts, total = subtotal + tax, due = total − credits.
 */

const blank = { planId: null, model: null, tokenKind: null, channelId: null, partnerId: null, agreementId: null, unitPriceMicros: null, periodStart: null, periodEnd: null } as const;

/** Totals of an invoice from its lines, a tax and credits, as the contract defines them. */
export function withTotals(invoice: Omit<InvoiceAnswer, 'usageMicros' | 'adjustmentMicros' | 'feesMicros' | 'discountMicros' | 'subtotalMicros' | 'taxMicros' | 'totalMicros' | 'dueMicros'>, taxMicros: number): InvoiceAnswer {
  const sum = (kinds: readonly InvoiceLine['kind'][]) => invoice.lines.filter((l) => kinds.includes(l.kind)).reduce((s, l) => s + l.amountMicros, 0);
  const usageMicros = sum(['usage', 'rounding']);
  const adjustmentMicros = sum(['adjustment']);
  const feesMicros = sum(['fee']);
  const discountMicros = -sum(['included', 'discount']);
  const subtotalMicros = usageMicros + adjustmentMicros + feesMicros - discountMicros;
  const totalMicros = subtotalMicros + taxMicros;
  return invoiceSchema.parse({ ...invoice, usageMicros, adjustmentMicros, feesMicros, discountMicros, subtotalMicros, taxMicros, totalMicros, dueMicros: totalMicros - invoice.creditsMicros });
}

/** A final March 2026 invoice with one line of every kind, quoting-hostile text and a sub-cent amount. */
export function sampleInvoice(overrides: Partial<InvoiceAnswer> = {}): InvoiceAnswer {
  const lines: InvoiceLine[] = [
    { ...blank, kind: 'fee', month: '2026-03', description: 'Pro: monthly fee', planId: 'pln_pro', quantity: 2_678_400, unitPriceMicros: 49_000_000, amountMicros: 49_000_000, periodStart: '2026-03-01T00:00:00.000Z', periodEnd: '2026-04-01T00:00:00.000Z' },
    { ...blank, kind: 'usage', month: '2026-03', description: 'qudao-small: input tokens at Pro', planId: 'pln_pro', model: 'qudao-small', tokenKind: 'input', channelId: 'chn_direct', quantity: 1_234_567, unitPriceMicros: 1_000_000, amountMicros: 1_234_567 },
    { ...blank, kind: 'usage', month: '2026-03', description: 'qudao-small: output tokens, "long" answers, at Pro', planId: 'pln_pro', model: 'qudao-small', tokenKind: 'output', channelId: 'chn_direct', quantity: 500_000, unitPriceMicros: 3_000_000, amountMicros: 1_500_000 },
    { ...blank, kind: 'rounding', month: '2026-03', description: 'Metered price beyond the plan rates (each request is rounded up to the micro-unit)', quantity: 7, amountMicros: 7 },
    { ...blank, kind: 'included', month: '2026-03', description: 'Included tokens: 1,000,000 of 1,734,567 used', quantity: 1_000_000, amountMicros: -1_000_001 },
    { ...blank, kind: 'discount', month: '2026-03', description: 'Reseller discount 20.00% (agreement agr_1)', partnerId: 'prt_shop', agreementId: 'agr_1', quantity: 3, unitPriceMicros: 2_000, amountMicros: -1 },
    { ...blank, kind: 'adjustment', month: '2026-02', description: '=Late usage of 2026-02: qudao-small', model: 'qudao-small', channelId: 'chn_direct', quantity: 2, amountMicros: 477 },
  ];
  const invoice = withTotals(
    {
      id: 'inv_sample', number: 'INV-2026-000123', customerId: 'cus_acme', customerName: 'Acme, "Shanghai" 上海', month: '2026-03', status: 'final',
      billTo: { kind: 'customer', partnerId: null, name: 'Acme, "Shanghai" 上海' }, currency: 'USD', lines, taxRateBps: 600, creditsMicros: 2_000_000,
      includedTokens: 1_000_000, usedTokens: 1_734_567, overageTokens: 734_567, coveredSeq: 42,
      finalizedAt: '2026-04-01T00:05:00.000Z', paidAt: null, voidedAt: null, voidReason: null,
    },
    3_044_103, // 6 % of the subtotal 50,735,049, half-up
  );
  return { ...invoice, ...overrides };
}

const months = ['2025-12', '2026-01', '2026-02', '2026-03'] as const;

/** Any invoice line: every kind, amounts from one micro-unit to a billion units, either sign where the kind allows. */
const lineArbitrary: fc.Arbitrary<InvoiceLine> = fc
  .record({
    kind: fc.constantFrom(...invoiceLineKinds),
    month: fc.constantFrom(...months),
    description: fc.string({ unit: 'grapheme', maxLength: 40 }),
    model: fc.option(fc.constantFrom('qudao-small', 'gpt,4', 'm"x'), { nil: null }),
    quantity: fc.nat({ max: 10_000_000_000 }),
    unitPriceMicros: fc.option(fc.nat({ max: 100_000_000 }), { nil: null }),
    amount: fc.nat({ max: 1_000_000_000_000_000 }),
    negative: fc.boolean(),
  })
  .map(({ kind, month, description, model, quantity, unitPriceMicros, amount, negative }) => {
    // Included tokens and discounts are taken off; an adjustment may correct either way.
    const sign = kind === 'included' || kind === 'discount' ? -1 : kind === 'adjustment' && negative ? -1 : 1;
    return { ...blank, kind, month, description, model, quantity, unitPriceMicros: kind === 'discount' ? (unitPriceMicros ?? 0) % 10_001 : unitPriceMicros, amountMicros: sign * amount || 0 };
  });

/** Any invoice with consistent totals (a property test's input): up to 40 lines, any status, tax and credits. */
export const invoiceArbitrary: fc.Arbitrary<InvoiceAnswer> = fc
  .record({
    n: fc.nat({ max: 999_999 }),
    status: fc.constantFrom('draft', 'final', 'paid', 'void'),
    lines: fc.array(lineArbitrary, { maxLength: 40 }),
    taxMicros: fc.nat({ max: 1_000_000_000_000 }),
    credits: fc.nat({ max: 1_000_000_000_000 }),
    name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
  })
  .map(({ n, status, lines, taxMicros, credits, name }) =>
    withTotals(
      {
        id: status === 'draft' ? `draft_2026-03_cus_${n}` : `inv_${n}`, number: status === 'draft' ? null : `INV-2026-${String(n).padStart(6, '0')}`,
        customerId: `cus_${n}`, customerName: name, month: '2026-03', status, billTo: { kind: 'customer', partnerId: null, name }, currency: 'USD', lines,
        taxRateBps: 600, creditsMicros: credits, includedTokens: 0, usedTokens: 0, overageTokens: 0, coveredSeq: n,
        finalizedAt: status === 'draft' ? null : '2026-04-01T00:05:00.000Z', paidAt: status === 'paid' ? '2026-04-10T00:00:00.000Z' : null,
        voidedAt: status === 'void' ? '2026-04-11T00:00:00.000Z' : null, voidReason: status === 'void' ? 'billed twice, by mistake' : null,
      },
      taxMicros,
    ),
  );

/** A decimal string of currency units back to micro-units, digit by digit (no float, and not the formatter under test). */
export function parseMicros(text: string): bigint {
  const m = /^(-?)(\d+)\.(\d{2,6})$/.exec(text);
  if (!m) throw new Error(`not an exact decimal: "${text}"`);
  const micros = BigInt(m[2]!) * 1_000_000n + BigInt(m[3]!.padEnd(6, '0'));
  return m[1] ? -micros : micros;
}
