import type { InvoiceLine } from '../shared/contract/billing.js';
import { monthEnd, monthOf, monthStart, type Month } from '../shared/month.js';
import { bpsOf, proRate, tokensAt } from './rounding.js';

/**
 * A customer's invoice for a calendar month, computed from the usage ledger and its plan history — pure, so
 * the property tests can run it over raw rows and compare with what the store computes.
 *
 * - **Fees**: each plan in force during the month contributes its monthly fee pro-rated by the seconds it was
 *   in force (a plan change mid-month splits the fee; a customer who started mid-month pays from then).
 * - **Usage** of the month: one line per plan × model × token kind × channel × partner at the plan's
 *   per-1M rates (token kinds input, output, and training: the tokens fine-tuning jobs trained, one ledger
 *   row per job, at the plan's training price), and one `rounding` line with what the ledger charged beyond those lines (the gateway rounds
 *   every request up to the micro-unit; a key priced at another plan shows here too). So usage + rounding =
 *   Σ ledger price of the month's rows, exactly.
 * - **Included tokens**: the plans' included tokens, pro-rated like the fee, cover the month's first tokens;
 *   their value is the month's ledger usage × covered / used tokens, taken off as one negative line. They
 *   cover serving only: training tokens are neither "used tokens" nor part of the usage they discount.
 * - **Discount**: usage sold through a reseller under an agreement with a wholesale discount (and no revenue
 *   share) is discounted by the agreement's basis points of its ledger price — the margin the reseller's
 *   statement shows it keeps.
 * - **Adjustments**: ledger rows of earlier months that no final invoice covered (late usage, or the usage of
 *   a voided invoice) are billed as dated adjustment lines at their ledger price.
 * - **Tax** at the customer's region's rate on the subtotal; **credits**: what prepaid credit already paid.
 * Every rounding goes through src/billing/rounding.ts (half-up, once per line).
 */

/** Usage the store grouped: one month × plan × model × channel × partner × agreement of one customer. */
export interface BillingUsageGroup {
  readonly month: Month;
  readonly planId: string | null;
  readonly model: string;
  readonly channelId: string | null;
  readonly partnerId: string | null;
  /** The partner's agreement in force at the row's time, when it gives a wholesale discount. */
  readonly agreementId: string | null;
  readonly discountBps: number;
  readonly requests: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Tokens trained by fine-tuning jobs (their ledger rows). */
  readonly trainingTokens: number;
  /** Σ ledger price. */
  readonly priceMicros: number;
  /** The part of `priceMicros` that fine-tuning jobs' rows charged. */
  readonly trainingPriceMicros: number;
}

/** The terms of a price plan an invoice reads. */
export interface PlanTerms {
  readonly id: string;
  readonly name: string;
  readonly inputPer1mMicros: number;
  readonly outputPer1mMicros: number;
  /** Per 1M trained tokens; absent = 0. */
  readonly trainingPer1mMicros?: number;
  readonly monthlyFeeMicros: number;
  readonly includedTokens: number;
}

/** One entry of a customer's plan history: the plan applies from `startsAt` until the next entry. */
export interface PlanPeriod {
  readonly planId: string;
  readonly startsAt: Date;
}

/** What {@link computeInvoice} needs. */
export interface InvoiceInput {
  readonly month: Month;
  /** The highest ledger seq the invoice covers. */
  readonly cutoffSeq: number;
  /** The customer's unsettled usage up to the cutoff, of this month and earlier months. */
  readonly groups: readonly BillingUsageGroup[];
  readonly plans: ReadonlyMap<string, PlanTerms>;
  /** Plan history, any order. */
  readonly history: readonly PlanPeriod[];
  /** When the customer's account ends (archived), if it does; fees stop then. */
  readonly endsAt?: Date | null;
  readonly taxRateBps: number;
  /** Prepaid credit that paid for this invoice's usage (Σ ledger price of its rows in prepaid mode). */
  readonly prepaidUsageMicros: number;
}

/** A computed invoice: its lines and totals (see the contract's invoiceSchema for each total). */
export interface ComputedInvoice {
  readonly month: Month;
  readonly coveredSeq: number;
  readonly lines: InvoiceLine[];
  readonly usageMicros: number;
  readonly adjustmentMicros: number;
  readonly feesMicros: number;
  readonly discountMicros: number;
  readonly subtotalMicros: number;
  readonly taxRateBps: number;
  readonly taxMicros: number;
  readonly totalMicros: number;
  readonly creditsMicros: number;
  readonly dueMicros: number;
  readonly includedTokens: number;
  readonly usedTokens: number;
  readonly overageTokens: number;
}

const blank = { planId: null, model: null, tokenKind: null, channelId: null, partnerId: null, agreementId: null, unitPriceMicros: null, periodStart: null, periodEnd: null } as const;

/** The plans in force during the month, each with the part of the month it covers. */
export function planPeriodsIn(month: Month, history: readonly PlanPeriod[], endsAt?: Date | null): { planId: string; from: Date; to: Date }[] {
  const start = monthStart(month).getTime();
  let end = monthEnd(month).getTime();
  if (endsAt && endsAt.getTime() < end) end = Math.max(start, endsAt.getTime());
  const sorted = [...history].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const out: { planId: string; from: Date; to: Date }[] = [];
  sorted.forEach((p, i) => {
    const from = Math.max(start, p.startsAt.getTime());
    const to = Math.min(end, sorted[i + 1]?.startsAt.getTime() ?? Number.POSITIVE_INFINITY);
    if (to > from) out.push({ planId: p.planId, from: new Date(from), to: new Date(to) });
  });
  return out;
}

/** Whole seconds of a period (fees pro-rate by the second). */
const seconds = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / 1000);

function feeLines(input: InvoiceInput): { lines: InvoiceLine[]; includedTokens: number } {
  const monthSeconds = seconds(monthStart(input.month), monthEnd(input.month));
  const lines: InvoiceLine[] = [];
  let includedTokens = 0;
  for (const p of planPeriodsIn(input.month, input.history, input.endsAt)) {
    const plan = input.plans.get(p.planId);
    if (!plan) continue;
    const s = seconds(p.from, p.to);
    includedTokens += proRate(plan.includedTokens, s, monthSeconds);
    if (plan.monthlyFeeMicros === 0) continue;
    const whole = s === monthSeconds;
    lines.push({
      ...blank, kind: 'fee', month: input.month, planId: plan.id, quantity: s, unitPriceMicros: plan.monthlyFeeMicros,
      amountMicros: proRate(plan.monthlyFeeMicros, s, monthSeconds),
      description: whole ? `${plan.name}: monthly fee` : `${plan.name}: monthly fee, ${p.from.toISOString().slice(0, 10)} to ${new Date(p.to.getTime() - 1).toISOString().slice(0, 10)} (pro-rated)`,
      periodStart: p.from.toISOString(), periodEnd: p.to.toISOString(),
    });
  }
  return { lines, includedTokens };
}

function usageLines(month: Month, groups: readonly BillingUsageGroup[], plans: ReadonlyMap<string, PlanTerms>): InvoiceLine[] {
  const lines: InvoiceLine[] = [];
  for (const g of groups) {
    const plan = g.planId ? plans.get(g.planId) : undefined;
    const where = { planId: g.planId, model: g.model, channelId: g.channelId, partnerId: g.partnerId, agreementId: null };
    const kinds = [['input', g.promptTokens, plan?.inputPer1mMicros], ['output', g.completionTokens, plan?.outputPer1mMicros], ['training', g.trainingTokens, plan ? (plan.trainingPer1mMicros ?? 0) : undefined]] as const;
    for (const [tokenKind, tokens, rate] of kinds) {
      if (tokens === 0) continue;
      lines.push({
        ...blank, ...where, kind: 'usage', month, tokenKind, quantity: tokens, unitPriceMicros: rate ?? null,
        amountMicros: rate === undefined ? 0 : tokensAt(tokens, rate),
        description: `${g.model}: ${tokenKind} tokens${plan ? ` at ${plan.name}` : ''}`,
      });
    }
  }
  return lines;
}

/** Sums lines into one per key (same kind, month, plan, model, token kind, channel, partner, agreement). */
function merged(lines: readonly InvoiceLine[]): InvoiceLine[] {
  const out = new Map<string, InvoiceLine>();
  for (const l of lines) {
    const k = JSON.stringify([l.kind, l.month, l.planId, l.model, l.tokenKind, l.channelId, l.partnerId, l.agreementId, l.unitPriceMicros]);
    const prev = out.get(k);
    out.set(k, prev ? { ...prev, quantity: prev.quantity + l.quantity, amountMicros: prev.amountMicros + l.amountMicros } : { ...l });
  }
  return [...out.values()];
}

const KIND_ORDER: Readonly<Record<InvoiceLine['kind'], number>> = { fee: 0, usage: 1, rounding: 2, included: 3, adjustment: 4, discount: 5 };

function compareLines(a: InvoiceLine, b: InvoiceLine): number {
  const ka = [KIND_ORDER[a.kind], a.month, a.periodStart ?? '', a.model ?? '', a.planId ?? '', a.channelId ?? '', a.partnerId ?? '', a.tokenKind ?? ''];
  const kb = [KIND_ORDER[b.kind], b.month, b.periodStart ?? '', b.model ?? '', b.planId ?? '', b.channelId ?? '', b.partnerId ?? '', b.tokenKind ?? ''];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
  return 0;
}

/** Computes the invoice (see the module comment for every rule). */
export function computeInvoice(input: InvoiceInput): ComputedInvoice {
  const own = input.groups.filter((g) => g.month === input.month);
  const late = input.groups.filter((g) => g.month < input.month);
  const { lines: fees, includedTokens } = feeLines(input);
  const usage = merged(usageLines(input.month, own, input.plans));

  const ownPrice = own.reduce((s, g) => s + g.priceMicros, 0);
  const ownServingPrice = ownPrice - own.reduce((s, g) => s + g.trainingPriceMicros, 0);
  const ownRequests = own.reduce((s, g) => s + g.requests, 0);
  const usedTokens = own.reduce((s, g) => s + g.promptTokens + g.completionTokens, 0);
  const roundingMicros = ownPrice - usage.reduce((s, l) => s + l.amountMicros, 0);
  const rounding: InvoiceLine[] = roundingMicros !== 0
    ? [{ ...blank, kind: 'rounding', month: input.month, quantity: ownRequests, amountMicros: roundingMicros, description: 'Metered price beyond the plan rates (each request is rounded up to the micro-unit)' }]
    : [];

  const covered = Math.min(includedTokens, usedTokens);
  const includedValue = covered > 0 ? proRate(Math.max(0, ownServingPrice), covered, usedTokens) : 0;
  const included: InvoiceLine[] = includedValue !== 0
    ? [{ ...blank, kind: 'included', month: input.month, quantity: covered, amountMicros: -includedValue, description: `Included tokens: ${covered.toLocaleString('en-US')} of ${usedTokens.toLocaleString('en-US')} used` }]
    : [];

  const adjustments = merged(late.map((g) => ({
    ...blank, kind: 'adjustment' as const, month: g.month, model: g.model, channelId: g.channelId, partnerId: g.partnerId,
    quantity: g.requests, amountMicros: g.priceMicros, description: `Late usage of ${g.month}: ${g.model}`,
  })));

  // One discount line per reseller agreement and usage month: its bps of the ledger price sold under it.
  const discountBase = new Map<string, { month: Month; partnerId: string | null; agreementId: string | null; bps: number; price: number; requests: number }>();
  for (const g of input.groups) {
    if (g.discountBps <= 0) continue;
    const k = JSON.stringify([g.month, g.partnerId, g.agreementId, g.discountBps]);
    const d = discountBase.get(k) ?? { month: g.month, partnerId: g.partnerId, agreementId: g.agreementId, bps: g.discountBps, price: 0, requests: 0 };
    d.price += g.priceMicros;
    d.requests += g.requests;
    discountBase.set(k, d);
  }
  const discounts: InvoiceLine[] = [...discountBase.values()]
    .map((d) => ({ ...blank, kind: 'discount' as const, month: d.month, partnerId: d.partnerId, agreementId: d.agreementId, quantity: d.requests, unitPriceMicros: d.bps, amountMicros: -bpsOf(d.price, d.bps), description: `Reseller discount ${(d.bps / 100).toFixed(2)}% (agreement ${d.agreementId ?? '-'})` }))
    .filter((l) => l.amountMicros !== 0);

  const lines = [...fees, ...usage, ...rounding, ...included, ...adjustments, ...discounts].sort(compareLines);
  const sum = (kinds: readonly InvoiceLine['kind'][]) => lines.filter((l) => kinds.includes(l.kind)).reduce((s, l) => s + l.amountMicros, 0);
  const usageMicros = sum(['usage', 'rounding']);
  const adjustmentMicros = sum(['adjustment']);
  const feesMicros = sum(['fee']);
  const discountMicros = -sum(['included', 'discount']);
  const subtotalMicros = usageMicros + adjustmentMicros + feesMicros - discountMicros;
  const taxMicros = bpsOf(subtotalMicros, input.taxRateBps);
  const totalMicros = subtotalMicros + taxMicros;
  const creditsMicros = Math.max(0, Math.min(totalMicros, input.prepaidUsageMicros));
  return {
    month: input.month, coveredSeq: input.cutoffSeq, lines, usageMicros, adjustmentMicros, feesMicros, discountMicros, subtotalMicros,
    taxRateBps: input.taxRateBps, taxMicros, totalMicros, creditsMicros, dueMicros: totalMicros - creditsMicros,
    includedTokens, usedTokens, overageTokens: usedTokens - covered,
  };
}

/** The ledger columns the pure path reads (the property tests build these). */
export interface BillingLedgerRow {
  readonly seq: number;
  readonly occurredAt: Date;
  readonly customerId: string;
  readonly planId: string | null;
  readonly model: string;
  readonly channelId: string | null;
  readonly partnerId: string | null;
  readonly agreementId: string | null;
  readonly discountBps: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** A fine-tuning job's row: its trained tokens (absent = 0, every gateway request row). */
  readonly trainingTokens?: number;
  readonly priceMicros: number;
}

/** A stored invoice as settlement sees it: final or paid ones settle their rows, void ones do not. */
export interface SettlingInvoice {
  readonly month: Month;
  readonly coveredSeq: number;
}

/** True when a final (or paid) invoice of the row's month or a later one covered the row's seq. */
export function isInvoiced(row: Pick<BillingLedgerRow, 'seq' | 'occurredAt'>, finals: readonly SettlingInvoice[]): boolean {
  const m = monthOf(row.occurredAt);
  return finals.some((f) => f.month >= m && f.coveredSeq >= row.seq);
}

/** Groups a customer's unsettled rows as the store does (the reference for the store's GROUP BY). */
export function groupBillingRows(month: Month, cutoffSeq: number, rows: readonly BillingLedgerRow[], finals: readonly SettlingInvoice[]): BillingUsageGroup[] {
  const groups = new Map<string, BillingUsageGroup & { requests: number; promptTokens: number; completionTokens: number; trainingTokens: number; priceMicros: number; trainingPriceMicros: number }>();
  for (const r of rows) {
    const m = monthOf(r.occurredAt);
    if (r.seq > cutoffSeq || m > month || isInvoiced(r, finals)) continue;
    const k = JSON.stringify([m, r.planId, r.model, r.channelId, r.partnerId, r.agreementId, r.discountBps]);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { month: m, planId: r.planId, model: r.model, channelId: r.channelId, partnerId: r.partnerId, agreementId: r.agreementId, discountBps: r.discountBps, requests: 0, promptTokens: 0, completionTokens: 0, trainingTokens: 0, priceMicros: 0, trainingPriceMicros: 0 }));
    g.requests += 1;
    g.promptTokens += r.promptTokens;
    g.completionTokens += r.completionTokens;
    g.trainingTokens += r.trainingTokens ?? 0;
    g.priceMicros += r.priceMicros;
    if ((r.trainingTokens ?? 0) > 0) g.trainingPriceMicros += r.priceMicros;
  }
  return [...groups.values()];
}
