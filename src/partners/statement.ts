import { apportionShare } from './money.js';
import { monthEnd, monthOf, type Month } from '../shared/month.js';

/** The ledger columns a statement reads (one `usage_events` row). */
export interface StatementLedgerRow {
  seq: number;
  occurredAt: Date;
  customerId: string | null;
  model: string;
  promptTokens: number;
  completionTokens: number;
  /** What we charged for the request, in micro-units (negative for a correction row). */
  priceMicros: number;
}

/** The part of an agreement that decides a partner's earnings on revenue. */
export interface StatementAgreement {
  id: string;
  startsAt: Date;
  endsAt: Date | null;
  revenueShareBps: number;
  discountBps: number;
}

/** A statement already final: it settled every earlier-or-same-month row with `seq ≤ coveredSeq`. */
export interface FinalStatementRef {
  month: Month;
  coveredSeq: number;
}

/** How a partner earns on a line: a share of revenue, the wholesale discount it keeps, or nothing. */
export type EarningBasis = 'revenue_share' | 'wholesale_discount' | 'none';

/** One statement line: usage (or a late adjustment) of one customer on one model under one agreement. */
export interface StatementLine {
  /** `usage` for rows of the statement's month, `adjustment` for late rows of earlier months. */
  kind: 'usage' | 'adjustment';
  month: Month;
  agreementId: string | null;
  basis: EarningBasis;
  bps: number;
  customerId: string | null;
  model: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  revenueMicros: number;
  shareMicros: number;
}

/** A computed statement. Invariant: `shareMicros` = Σ line shares; revenue + adjustment = Σ line revenue. */
export interface ComputedStatement {
  month: Month;
  coveredSeq: number;
  revenueMicros: number;
  adjustmentMicros: number;
  shareMicros: number;
  lines: StatementLine[];
}

/** What {@link computeStatement} needs. */
export interface StatementInput {
  month: Month;
  /** The highest ledger seq the statement may cover (the ledger's max seq when it is computed). */
  cutoffSeq: number;
  rows: readonly StatementLedgerRow[];
  agreements: readonly StatementAgreement[];
  /** The partner's final statements other than this month's. */
  finals: readonly FinalStatementRef[];
}

/**
 * True when a final statement already settled the row: a final statement of the row's month or a later
 * one covered its seq. (A final statement takes its own month's rows and every earlier month's rows not yet
 * settled, up to its covered seq; so by induction this predicate is exactly "some final statement took it".)
 */
export function isSettled(row: Pick<StatementLedgerRow, 'seq' | 'occurredAt'>, finals: readonly FinalStatementRef[]): boolean {
  const m = monthOf(row.occurredAt);
  return finals.some((f) => f.month >= m && f.coveredSeq >= row.seq);
}

/** The agreement in force at `at` (latest start wins if terms overlap), or undefined. */
export function agreementAt(agreements: readonly StatementAgreement[], at: Date): StatementAgreement | undefined {
  let best: StatementAgreement | undefined;
  for (const a of agreements) {
    if (a.startsAt <= at && (a.endsAt === null || at < a.endsAt) && (!best || a.startsAt > best.startsAt)) best = a;
  }
  return best;
}

function earning(a: StatementAgreement | undefined): { basis: EarningBasis; bps: number } {
  if (a && a.revenueShareBps > 0) return { basis: 'revenue_share', bps: a.revenueShareBps };
  if (a && a.discountBps > 0) return { basis: 'wholesale_discount', bps: a.discountBps };
  return { basis: 'none', bps: 0 };
}

/** Rows the statement takes: up to the cutoff, of its month or earlier, not settled by a final statement. */
export function rowsToSettle(input: StatementInput): StatementLedgerRow[] {
  return input.rows.filter((r) => r.seq <= input.cutoffSeq && monthOf(r.occurredAt) <= input.month && !isSettled(r, input.finals));
}

/**
 * Where settlement stands, as steps over time: rows before `before` (and after the previous step) are
 * settled up to `coveredSeq`; rows after the last step are not settled at all. Equivalent to isSettled, in a
 * form a database can apply (`seq > CASE WHEN occurred_at < before₁ THEN covered₁ ... ELSE 0 END`).
 */
export function settlementSteps(finals: readonly FinalStatementRef[]): { before: Date; coveredSeq: number }[] {
  const months = [...new Set(finals.map((f) => f.month))].sort();
  return months.map((m) => ({ before: monthEnd(m), coveredSeq: Math.max(...finals.filter((f) => f.month >= m).map((f) => f.coveredSeq)) }));
}

/** Unsettled usage grouped by usage month, agreement in force, customer and model (the store's GROUP BY). */
export interface UsageGroup {
  month: Month;
  agreementId: string | null;
  customerId: string | null;
  model: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  revenueMicros: number;
}

/** Groups ledger rows as the store does. */
export function groupUsage(rows: readonly StatementLedgerRow[], agreements: readonly StatementAgreement[]): UsageGroup[] {
  const groups = new Map<string, UsageGroup>();
  for (const r of rows) {
    const month = monthOf(r.occurredAt);
    const agreementId = agreementAt(agreements, r.occurredAt)?.id ?? null;
    const key = JSON.stringify([month, agreementId, r.customerId, r.model]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { month, agreementId, customerId: r.customerId, model: r.model, requests: 0, promptTokens: 0, completionTokens: 0, revenueMicros: 0 }));
    g.requests += 1;
    g.promptTokens += r.promptTokens;
    g.completionTokens += r.completionTokens;
    g.revenueMicros += r.priceMicros;
  }
  return [...groups.values()];
}

function linesOf(month: Month, groups: readonly UsageGroup[], agreements: readonly StatementAgreement[]): StatementLine[] {
  const lines = new Map<string, StatementLine>();
  for (const g of groups) {
    const kind = g.month === month ? 'usage' : 'adjustment';
    const key = JSON.stringify([kind, g.month, g.agreementId, g.customerId, g.model]);
    let line = lines.get(key);
    if (!line) {
      const agreement = agreements.find((a) => a.id === g.agreementId);
      line = { kind, month: g.month, agreementId: g.agreementId, ...earning(agreement), customerId: g.customerId, model: g.model, requests: 0, promptTokens: 0, completionTokens: 0, revenueMicros: 0, shareMicros: 0 };
      lines.set(key, line);
    }
    line.requests += g.requests;
    line.promptTokens += g.promptTokens;
    line.completionTokens += g.completionTokens;
    line.revenueMicros += g.revenueMicros;
  }
  return [...lines.values()].sort(compareLines);
}

function compareLines(a: StatementLine, b: StatementLine): number {
  const ka = [a.kind === 'usage' ? 0 : 1, a.month, a.customerId ?? '', a.model, a.agreementId ?? ''];
  const kb = [b.kind === 'usage' ? 0 : 1, b.month, b.customerId ?? '', b.model, b.agreementId ?? ''];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
  return 0;
}

/** Shares per agreement: each agreement's rounded total is split over its lines so they sum exactly. */
function assignShares(lines: StatementLine[]): void {
  const byAgreement = new Map<string, StatementLine[]>();
  for (const l of lines) {
    const k = `${l.agreementId ?? ''}|${l.bps}`;
    const group = byAgreement.get(k);
    if (group) group.push(l);
    else byAgreement.set(k, [l]);
  }
  for (const group of byAgreement.values()) {
    const parts = apportionShare(group.map((l) => l.revenueMicros), group[0]!.bps);
    group.forEach((l, i) => (l.shareMicros = parts[i]!));
  }
}

/**
 * Computes a partner's monthly revenue-share statement from ledger rows. Rows of the month become usage
 * lines; rows of earlier months that no final statement settled (usage that arrived after its month was
 * finalised) become adjustment lines. The partner earns its agreement's revenue-share (or wholesale
 * discount) basis points of revenue, rounded down per agreement and apportioned to lines by largest
 * remainder, so Σ line shares = statement share exactly, in integer micro-units.
 */
export function computeStatement(input: StatementInput): ComputedStatement {
  return statementFromGroups(input.month, input.cutoffSeq, groupUsage(rowsToSettle(input), input.agreements), input.agreements);
}

/** The statement from unsettled usage the store already grouped (see {@link computeStatement}). */
export function statementFromGroups(month: Month, cutoffSeq: number, groups: readonly UsageGroup[], agreements: readonly StatementAgreement[]): ComputedStatement {
  const lines = linesOf(month, groups, agreements);
  assignShares(lines);
  let revenueMicros = 0;
  let adjustmentMicros = 0;
  let shareMicros = 0;
  for (const l of lines) {
    if (l.kind === 'usage') revenueMicros += l.revenueMicros;
    else adjustmentMicros += l.revenueMicros;
    shareMicros += l.shareMicros;
  }
  return { month, coveredSeq: cutoffSeq, revenueMicros, adjustmentMicros, shareMicros, lines };
}
