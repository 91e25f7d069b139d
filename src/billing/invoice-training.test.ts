import { describe, expect, it } from 'vitest';
import { computeInvoice, groupBillingRows, type BillingLedgerRow } from './invoice.js';

/**
 * Training tokens on an invoice, worked by hand: a plan of 1 / 2 / 3 units per 1M input / output / trained
 * tokens with 1,000 included tokens; in November one request of 1,000 + 1,000 tokens (1,000 + 2,000 micros)
 * and one fine-tuning job of 1,000,000 trained tokens (3,000,000 micros).
 */
const plan = { id: 'pln_1', name: 'Pro', inputPer1mMicros: 1_000_000, outputPer1mMicros: 2_000_000, trainingPer1mMicros: 3_000_000, monthlyFeeMicros: 0, includedTokens: 1_000 };
const at = new Date('2026-11-10T00:00:00Z');
const row = (seq: number, over: Partial<BillingLedgerRow>): BillingLedgerRow => ({
  seq, occurredAt: at, customerId: 'cus_1', planId: 'pln_1', model: 'tiny', channelId: 'chn_1', partnerId: null, agreementId: null, discountBps: 0, promptTokens: 0, completionTokens: 0, priceMicros: 0, ...over,
});

describe('training tokens on an invoice', () => {
  it('bill as their own usage line at the training price, outside the included tokens', () => {
    const rows = [row(1, { promptTokens: 1_000, completionTokens: 1_000, priceMicros: 3_000 }), row(2, { trainingTokens: 1_000_000, priceMicros: 3_000_000 })];
    const groups = groupBillingRows('2026-11', 2, rows, []);
    expect(groups).toEqual([expect.objectContaining({ promptTokens: 1_000, completionTokens: 1_000, trainingTokens: 1_000_000, priceMicros: 3_003_000, trainingPriceMicros: 3_000_000 })]);
    const invoice = computeInvoice({ month: '2026-11', cutoffSeq: 2, groups, plans: new Map([['pln_1', plan]]), history: [{ planId: 'pln_1', startsAt: new Date('2026-01-01T00:00:00Z') }], taxRateBps: 0, prepaidUsageMicros: 0 });
    const usage = invoice.lines.filter((l) => l.kind === 'usage').map((l) => [l.tokenKind, l.quantity, l.unitPriceMicros, l.amountMicros]);
    expect(usage).toEqual([['input', 1_000, 1_000_000, 1_000], ['output', 1_000, 2_000_000, 2_000], ['training', 1_000_000, 3_000_000, 3_000_000]]);
    expect(invoice.lines.find((l) => l.kind === 'usage' && l.tokenKind === 'training')?.description).toBe('tiny: training tokens at Pro');
    expect(invoice.lines.some((l) => l.kind === 'rounding')).toBe(false);
    // The 1,000 included tokens cover half of the 2,000 served tokens: half of their 3,000 micros, not of the training.
    expect(invoice.lines.filter((l) => l.kind === 'included').map((l) => l.amountMicros)).toEqual([-1_500]);
    expect([invoice.usedTokens, invoice.overageTokens, invoice.subtotalMicros]).toEqual([2_000, 1_000, 3_001_500]);
  });
});
