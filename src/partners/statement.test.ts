import { describe, expect, it } from 'vitest';
import { apportionShare } from './money.js';
import { computeStatement, isSettled, settlementSteps, type FinalStatementRef, type StatementAgreement, type StatementLedgerRow } from './statement.js';
import { formatMicros } from './money.js';
import { statementCsv } from './statement-csv.js';
import { seededRandom as rng } from '../../test/support/random.js';


const agreements: StatementAgreement[] = [
  { id: 'agr_1', startsAt: new Date('2026-01-01T00:00:00Z'), endsAt: new Date('2026-02-15T00:00:00Z'), revenueShareBps: 2_000, discountBps: 0 },
  { id: 'agr_2', startsAt: new Date('2026-02-15T00:00:00Z'), endsAt: null, revenueShareBps: 0, discountBps: 3_333 },
];

function row(seq: number, at: string, priceMicros: number, customerId = 'cus_a', model = 'm'): StatementLedgerRow {
  return { seq, occurredAt: new Date(at), customerId, model, promptTokens: 10, completionTokens: 5, priceMicros };
}

describe('apportionShare', () => {
  it('splits the rounded-down total by largest remainder, exactly', () => {
    // 3 × 1 micro at 50 %: exact 1.5 total → 1; remainders 0.5 each, the first gets it.
    expect(apportionShare([1, 1, 1], 5_000)).toEqual([1, 0, 0]);
    // exact 150,000.15 + 49,999.95 = 200,000.1 → 200,000; the larger remainder (0.95) gets the spare micro.
    expect(apportionShare([1_000_001, 333_333], 1_500)).toEqual([150_000, 50_000]);
    // Corrections (negative revenue) floor towards −∞ and still sum to ⌊Σ⌋.
    const parts = apportionShare([-7, 3, 5], 3_333);
    expect(parts.reduce((s, p) => s + p, 0)).toBe(Math.floor((1 * 3_333) / 10_000));
  });

  it('is exact past 2^53 intermediate products', () => {
    const big = 8_000_000_000_000_000; // 8e9 units
    expect(apportionShare([big], 9_999)).toEqual([7_999_200_000_000_000]);
  });
});

describe('computeStatement', () => {
  it('takes the month as usage lines under the agreement in force, with the earning basis', () => {
    const rows = [row(1, '2026-02-01T00:00:00Z', 1_000_000), row(2, '2026-02-20T00:00:00Z', 3_000_000), row(3, '2026-03-01T00:00:00Z', 5)];
    const s = computeStatement({ month: '2026-02', cutoffSeq: 3, rows, agreements, finals: [] });
    expect(s.lines.map((l) => [l.kind, l.agreementId, l.basis, l.revenueMicros, l.shareMicros])).toEqual([
      ['usage', 'agr_1', 'revenue_share', 1_000_000, 200_000],
      ['usage', 'agr_2', 'wholesale_discount', 3_000_000, 999_900],
    ]);
    expect(s).toMatchObject({ revenueMicros: 4_000_000, adjustmentMicros: 0, shareMicros: 1_199_900, coveredSeq: 3 });
  });

  it('puts late usage of a finalised month into the next statement as an adjustment', () => {
    const rows = [row(1, '2026-01-10T00:00:00Z', 100), row(2, '2026-02-10T00:00:00Z', 200), row(3, '2026-01-31T23:59:59Z', 50)];
    const finals: FinalStatementRef[] = [{ month: '2026-01', coveredSeq: 2 }];
    const feb = computeStatement({ month: '2026-02', cutoffSeq: 3, rows, agreements, finals });
    expect(feb.lines.map((l) => [l.kind, l.month, l.revenueMicros])).toEqual([
      ['usage', '2026-02', 200],
      ['adjustment', '2026-01', 50],
    ]);
    expect(feb).toMatchObject({ revenueMicros: 200, adjustmentMicros: 50 });
  });

  it('ignores rows past the cutoff and rows after the month', () => {
    const rows = [row(5, '2026-02-10T00:00:00Z', 100), row(9, '2026-02-11T00:00:00Z', 100), row(6, '2026-03-01T00:00:00Z', 100)];
    expect(computeStatement({ month: '2026-02', cutoffSeq: 8, rows, agreements, finals: [] }).revenueMicros).toBe(100);
  });

  it('reconciles exactly with randomised ledgers: every row settled once, lines sum to totals', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const rand = rng(seed);
      const months = ['2026-01', '2026-02', '2026-03', '2026-04'];
      const ledger: StatementLedgerRow[] = [];
      const finals: (FinalStatementRef & { lines: ReturnType<typeof computeStatement>['lines']; shareMicros: number; revenueMicros: number; adjustmentMicros: number })[] = [];
      let seq = 0;
      let nextToFinalise = 0;
      for (let step = 0; step < 120; step++) {
        if (rand() < 0.9) {
          // Usage mostly lands in the newest open month; some arrives late for an earlier month.
          const open = Math.min(nextToFinalise, months.length - 1);
          const mi = rand() < 0.75 ? open : Math.floor(rand() * (open + 1));
          const day = 1 + Math.floor(rand() * 28);
          const price = Math.floor(rand() * 5_000_000) - (rand() < 0.05 ? 6_000_000 : 0);
          ledger.push(row(++seq, `${months[mi]}-${String(day).padStart(2, '0')}T12:00:00Z`, price, `cus_${Math.floor(rand() * 4)}`, rand() < 0.5 ? 'small' : 'large'));
        } else if (nextToFinalise < months.length) {
          const s = computeStatement({ month: months[nextToFinalise]!, cutoffSeq: seq, rows: ledger, agreements, finals });
          finals.push({ ...s, month: s.month, coveredSeq: s.coveredSeq });
          nextToFinalise++;
        }
      }
      // Close the books: one more statement after the last month takes whatever arrived late.
      const closing = computeStatement({ month: '2026-05', cutoffSeq: seq, rows: ledger, agreements, finals });
      const all = [...finals, closing];
      const ledgerTotal = ledger.reduce((s, r) => s + r.priceMicros, 0);
      expect(all.reduce((s, f) => s + f.revenueMicros + f.adjustmentMicros, 0), `seed ${seed}`).toBe(ledgerTotal);
      expect(all.reduce((s, f) => s + f.lines.reduce((n, l) => n + l.requests, 0), 0), `seed ${seed}`).toBe(ledger.length);
      for (const f of all) {
        expect(f.lines.reduce((s, l) => s + l.shareMicros, 0)).toBe(f.shareMicros);
        expect(f.lines.reduce((s, l) => s + l.revenueMicros, 0)).toBe(f.revenueMicros + f.adjustmentMicros);
        for (const l of f.lines) expect(Number.isInteger(l.shareMicros)).toBe(true);
      }
    }
  });
});

describe('settlementSteps', () => {
  it('says exactly what isSettled says, as steps a database can apply', () => {
    const rand = rng(7);
    const months = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05'];
    for (let trial = 0; trial < 200; trial++) {
      const finals = months.filter(() => rand() < 0.5).map((month) => ({ month, coveredSeq: Math.floor(rand() * 100) }));
      const steps = settlementSteps(finals);
      const r = row(Math.floor(rand() * 100), `${months[Math.floor(rand() * months.length)]}-15T00:00:00Z`, 1);
      const step = steps.find((s) => r.occurredAt < s.before);
      expect(r.seq <= (step?.coveredSeq ?? 0)).toBe(isSettled(r, finals));
    }
  });
});

describe('statementCsv', () => {
  it('writes one row per line and a total row, quoting and neutralising formulas', () => {
    const s = computeStatement({ month: '2026-02', cutoffSeq: 2, rows: [row(1, '2026-02-02T00:00:00Z', 10, '=cmd', 'a,b'), row(2, '2026-02-03T00:00:00Z', 20)], agreements, finals: [] });
    const csv = statementCsv({ id: 'stm_1', partnerId: 'par_1', month: '2026-02', status: 'draft' }, s.lines);
    const rows = csv.trimEnd().split('\r\n');
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/^statement_id,partner_id/);
    expect(rows.some((r) => r.includes(`'=cmd,"a,b"`))).toBe(true);
    expect(rows[3]).toContain(',total,');
    expect(rows[0]!.endsWith(',revenue,share')).toBe(true);
    expect(rows[3]!.endsWith(`,0.00003,${formatMicros(s.shareMicros)}`)).toBe(true);
  });

  it('writes money as exact decimal strings of the micro-units, never floats', () => {
    const s = computeStatement({ month: '2026-02', cutoffSeq: 2, rows: [row(1, '2026-02-02T00:00:00Z', 477), row(2, '2026-02-03T00:00:00Z', 10_000_000_000, 'cus_b')], agreements, finals: [] });
    const rows = statementCsv({ id: 'stm_1', partnerId: 'par_1', month: '2026-02', status: 'draft' }, s.lines).trimEnd().split('\r\n');
    const revenues = rows.slice(1).map((r) => r.split(',').at(-2));
    expect(revenues).toEqual(['0.000477', '10000.00', '10000.000477']);
    expect(rows.join('\n')).not.toMatch(/e-|\d\.\d{7,}/);
  });
});
