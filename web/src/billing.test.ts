import { describe, expect, it } from 'vitest';
import type { InvoiceLine } from '../../src/shared/contract/billing.js';
import { invoiceActions, invoiceLabel, lineQuantity, lineUnitPrice, lineWording, monthHasEnded, revenueSeries, runningMonth } from './billing.js';
import { en } from './i18n/en.js';

/** A line with every field empty but the ones a case sets. */
function line(fields: Partial<InvoiceLine> & Pick<InvoiceLine, 'kind'>): InvoiceLine {
  return { month: '2026-11', description: '', planId: null, model: null, tokenKind: null, channelId: null, partnerId: null, agreementId: null, quantity: 0, unitPriceMicros: null, amountMicros: 0, periodStart: null, periodEnd: null, ...fields };
}

const plain = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

describe('months of the Billing page', () => {
  it('a month has ended from the first instant of the next one (UTC), not before', () => {
    expect(monthHasEnded('2026-11', new Date('2026-11-30T23:59:59.999Z'))).toBe(false);
    expect(monthHasEnded('2026-11', new Date('2026-12-01T00:00:00.000Z'))).toBe(true);
    expect(monthHasEnded('2026-12', new Date('2026-12-04T01:00:00Z'))).toBe(false);
    expect(monthHasEnded('2025-12', new Date('2026-01-01T00:00:00Z'))).toBe(true);
    expect(runningMonth(new Date('2026-12-31T23:59:59Z'))).toBe('2026-12');
  });
});

describe('invoice lines as the page words them', () => {
  it('names a usage line by model and token kind, a fee by its period, an adjustment by its month, a discount by its rate', () => {
    const tokenKind = (k: string) => `<${k}>`;
    expect(lineWording(line({ kind: 'usage', model: 'qudao-small', tokenKind: 'output' }), tokenKind, plain)).toEqual({ key: 'billing.line.usage', vars: { model: 'qudao-small', tokens: '<output>' } });
    expect(lineWording(line({ kind: 'fee', periodStart: '2026-11-15T00:00:00.000Z', periodEnd: '2026-12-01T00:00:00.000Z' }), tokenKind, plain)).toEqual({ key: 'billing.line.fee', vars: { from: '2026-11-15', to: '2026-12-01' } });
    expect(lineWording(line({ kind: 'adjustment', month: '2026-10' }), tokenKind, plain)).toEqual({ key: 'billing.line.adjustment', vars: { month: '2026-10' } });
    expect(lineWording(line({ kind: 'discount', unitPriceMicros: 1_250 }), tokenKind, plain)).toEqual({ key: 'billing.line.discount', vars: { rate: '12.5%' } });
    expect(lineWording(line({ kind: 'rounding' }), tokenKind, plain).key).toBe('billing.line.rounding');
    expect(lineWording(line({ kind: 'included', model: 'm' }), tokenKind, plain)).toEqual({ key: 'billing.line.included', vars: { model: 'm' } });
  });

  it('counts tokens, requests, and a fee in days of its period (its quantity is seconds)', () => {
    expect(lineQuantity(line({ kind: 'usage', quantity: 1_234_567 }), plain)).toEqual({ key: 'billing.qty.tokens', vars: { n: '1,234,567' } });
    expect(lineQuantity(line({ kind: 'rounding', quantity: 42 }), plain)).toEqual({ key: 'billing.qty.requests', vars: { n: '42' } });
    expect(lineQuantity(line({ kind: 'fee', quantity: 30 * 86_400 }), plain)).toEqual({ key: 'billing.qty.days', vars: { n: '30' } });
    expect(lineQuantity(line({ kind: 'fee', quantity: 16 * 86_400 + 43_200 }), plain)).toEqual({ key: 'billing.qty.days', vars: { n: '16.5' } });
  });

  it('every message a line can be worded with exists', () => {
    const kinds: InvoiceLine['kind'][] = ['fee', 'usage', 'rounding', 'included', 'discount', 'adjustment'];
    for (const kind of kinds) {
      expect(en).toHaveProperty([lineWording(line({ kind }), String, plain).key]);
      expect(en).toHaveProperty([lineQuantity(line({ kind }), plain).key]);
      const price = lineUnitPrice(line({ kind, unitPriceMicros: 5 }));
      if (price.kind === 'money' && price.per) expect(en).toHaveProperty([price.per]);
    }
  });

  it('reads a unit price per 1M tokens, per month for a fee, as a rate for a discount', () => {
    expect(lineUnitPrice(line({ kind: 'usage', unitPriceMicros: 2_000_000 }))).toEqual({ kind: 'money', micros: 2_000_000, per: 'billing.perMillion' });
    expect(lineUnitPrice(line({ kind: 'fee', unitPriceMicros: 49_000_000 }))).toEqual({ kind: 'money', micros: 49_000_000, per: 'billing.perMonth' });
    expect(lineUnitPrice(line({ kind: 'discount', unitPriceMicros: 1_500 }))).toEqual({ kind: 'rate', bps: 1_500 });
    expect(lineUnitPrice(line({ kind: 'rounding' }))).toEqual({ kind: 'none' });
  });
});

describe('invoice actions and labels', () => {
  it('a draft may be finalised, a final one paid or voided, a paid or void one neither', () => {
    expect(invoiceActions('draft')).toEqual({ finalize: true, pay: false, void: false });
    expect(invoiceActions('final')).toEqual({ finalize: false, pay: true, void: true });
    expect(invoiceActions('paid')).toEqual({ finalize: false, pay: false, void: false });
    expect(invoiceActions('void')).toEqual({ finalize: false, pay: false, void: false });
    expect(invoiceLabel({ number: 'INV-2026-000123' }, 'draft')).toBe('INV-2026-000123');
    expect(invoiceLabel({ number: null }, '草稿')).toBe('草稿');
  });
});

describe('billed revenue as chart series', () => {
  it('pivots rows into one series per group, 0 for a month without a row, exact totals, largest first', () => {
    const months = ['2026-10', '2026-11', '2026-12'];
    const r = revenueSeries(months, [
      { month: '2026-10', key: 'ch_a', name: 'A', subtotalMicros: 1_500_000 },
      { month: '2026-12', key: 'ch_a', name: 'A', subtotalMicros: 1 },
      { month: '2026-11', key: null, name: 'Direct', subtotalMicros: 9_000_000 },
      { month: '2026-11', key: null, name: 'Direct', subtotalMicros: 1_000_000 },
      { month: '2025-01', key: 'ch_a', name: 'A', subtotalMicros: 777 }, // outside the months: left out
    ]);
    expect(r.series.map((s) => s.name)).toEqual(['Direct', 'A']);
    expect(r.series[0]).toEqual({ key: null, name: 'Direct', values: [0, 10, 0], totalMicros: 10_000_000 });
    expect(r.series[1]).toEqual({ key: 'ch_a', name: 'A', values: [1.5, 0, 0.000001], totalMicros: 1_500_001 });
    expect(revenueSeries([], []).series).toEqual([]);
  });
});
