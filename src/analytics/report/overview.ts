import type { Database } from '../../store/index.js';
import { averageDailyActive, monthPeriod, type MonthPeriod, type SpendRow } from '../kpi/index.js';
import { loadRevenueShares, loadReach, loadSom, loadSpend } from '../queries/crm.js';
import { loadCubeFacts, loadSignups, type CubeMonth, type CubeSource } from '../queries/cube-facts.js';
import type { MonthRange } from '../queries/range.js';
import { payoutRows } from '../queries/usage.js';

/** The four channel advantages for one month, over the whole business. */
export interface OverviewMonth {
  readonly month: string;
  /**
   * False for the running (or a future) UTC month at the service's clock: its counts are month-to-date,
   * averages run over `elapsedDays`, and churn, NRR, ARPA, LTV, LTV/CAC and payback are null (see kpi/period.ts).
   */
  readonly complete: boolean;
  /** Days of the month elapsed at the clock (today included); the month's length once complete. */
  readonly elapsedDays: number;
  readonly daysInMonth: number;
  /** Coverage: customers with usage, segments and regions they span, share of SOM accounts. */
  readonly coverage: { activeCustomers: number; segmentsReached: number; regionsReached: number; shareOfSom: number | null };
  /** Stickiness: DAU/MAU, month-on-month logo churn and net revenue retention. */
  readonly stickiness: { averageDau: number | null; dauMau: number | null; activeAtStart: number; churned: number | null; churnRate: number | null; netRevenueRetention: number | null };
  /** Cost control: serving economics and fully loaded acquisition cost. */
  readonly cost: {
    tokens: number; revenueMicros: number; costMicros: number; grossMargin: number | null; costPerMillionTokensMicros: number | null;
    spendMicros: number; partnerPayoutMicros: number; newCustomers: number; cacMicros: number | null;
    arpaMicros: number | null; ltvMicros: number | null; ltvToCac: number | null; paybackMonths: number | null;
  };
  /** Brand: reach, direct and referred signups, partner-influenced revenue. */
  readonly brand: { impressions: number; uniqueVisitors: number; signups: number; directShare: number | null; referredShare: number | null; partnerInfluencedRevenueMicros: number; partnerInfluencedShare: number | null };
}

/** The overview: one row per month of the range, and which month is the headline. */
export interface Overview {
  readonly range: MonthRange;
  readonly source: CubeSource;
  /** The clock the months were judged complete by (ISO). */
  readonly asOf: string;
  /** The last complete month of the range — the one to headline; null when none has ended. */
  readonly headlineMonth: string | null;
  /** The month running at the clock when it lies in the range (month-to-date); else null. */
  readonly runningMonth: string | null;
  readonly months: OverviewMonth[];
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

function sumBy<T>(rows: readonly T[], key: (r: T) => string, value: (r: T) => number): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(key(r), (out.get(key(r)) ?? 0) + value(r));
  return out;
}

/** Acquisition and brand inputs of the overview, read from the small CRM tables. */
interface CrmFacts {
  spend: Map<string, number>;
  payouts: Map<string, number>;
  signups: Map<string, { signups: number; referred: number }>;
  impressions: Map<string, number>;
  visitors: Map<string, number>;
  somTotal: number;
}

function unitEconomics(m: CubeMonth, complete: boolean, grossMargin: number | null, churnRate: number | null, cacMicros: number | null) {
  // A partial month's revenue is not a month's revenue: no ARPA, hence no LTV or payback, until it ends.
  const arpa = complete ? ratio(m.revenueMicros, m.activeCustomers) : null;
  const monthlyMargin = arpa === null || grossMargin === null ? null : arpa * grossMargin;
  const ltv = monthlyMargin === null || churnRate === null || churnRate === 0 ? null : monthlyMargin / churnRate;
  return {
    arpaMicros: arpa === null ? null : Math.round(arpa),
    ltvMicros: ltv === null ? null : Math.round(ltv),
    ltvToCac: ltv === null || cacMicros === null || cacMicros === 0 ? null : ltv / cacMicros,
    paybackMonths: cacMicros === null || monthlyMargin === null || monthlyMargin <= 0 ? null : cacMicros / monthlyMargin,
  };
}

/**
 * One month of the overview from its cube sums and CRM facts (the same formulas as src/analytics/kpi), with
 * the partial-period rules of kpi/period.ts when the month is still running: churn and NRR are counted
 * only once it has ended.
 */
function overviewMonth(m: CubeMonth, crm: CrmFacts, period: MonthPeriod): OverviewMonth {
  const { complete } = period;
  const averageDau = averageDailyActive(m.activeDays, period);
  const churned = complete ? m.prevActiveCustomers - m.retainedCustomers : null;
  const churnRate = churned === null ? null : ratio(churned, m.prevActiveCustomers);
  const grossMargin = m.revenueMicros === 0 ? null : (m.revenueMicros - m.costMicros) / m.revenueMicros;
  const spendMicros = crm.spend.get(m.month) ?? 0;
  const partnerPayoutMicros = crm.payouts.get(m.month) ?? 0;
  const signup = crm.signups.get(m.month) ?? { signups: 0, referred: 0 };
  const cacMicros = signup.signups === 0 ? null : Math.round((spendMicros + partnerPayoutMicros) / signup.signups);
  return {
    month: m.month,
    complete, elapsedDays: period.elapsedDays, daysInMonth: period.daysInMonth,
    coverage: { activeCustomers: m.activeCustomers, segmentsReached: m.segmentsReached, regionsReached: m.regionsReached, shareOfSom: crm.somTotal > 0 ? m.activeCustomers / crm.somTotal : null },
    stickiness: {
      averageDau, dauMau: averageDau === null ? null : ratio(averageDau, m.activeCustomers), activeAtStart: m.prevActiveCustomers, churned, churnRate,
      netRevenueRetention: complete ? ratio(m.retainedRevenueMicros, m.prevRevenueMicros) : null,
    },
    cost: {
      tokens: m.tokens, revenueMicros: m.revenueMicros, costMicros: m.costMicros, grossMargin,
      costPerMillionTokensMicros: m.tokens === 0 ? null : Math.round((m.costMicros * 1_000_000) / m.tokens),
      spendMicros, partnerPayoutMicros, newCustomers: signup.signups, cacMicros,
      ...unitEconomics(m, complete, grossMargin, churnRate, cacMicros),
    },
    brand: {
      impressions: crm.impressions.get(m.month) ?? 0, uniqueVisitors: crm.visitors.get(m.month) ?? 0, signups: signup.signups,
      directShare: ratio(signup.signups - signup.referred, signup.signups), referredShare: ratio(signup.referred, signup.signups),
      partnerInfluencedRevenueMicros: m.partnerInfluencedMicros, partnerInfluencedShare: ratio(m.partnerInfluencedMicros, m.revenueMicros),
    },
  };
}

/** A month with no usage. */
const emptyMonth = (month: string): CubeMonth => ({
  month, activeCustomers: 0, activeDays: 0, retainedCustomers: 0, prevActiveCustomers: 0, requests: 0, tokens: 0, costMicros: 0,
  revenueMicros: 0, partnerInfluencedMicros: 0, retainedRevenueMicros: 0, prevRevenueMicros: 0, segmentsReached: 0, regionsReached: 0,
});

function monthsOf(range: MonthRange): string[] {
  const out: string[] = [];
  for (let [y, m] = range.from.split('-').map(Number) as [number, number]; ; m === 12 ? ((y += 1), (m = 1)) : (m += 1)) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > range.to) return out;
    out.push(month);
  }
}

/**
 * The overview of the four channel advantages per month of the range. Usage comes from the `kpi_monthly`
 * cube (`rollups`) — a few thousand rows whatever the ledger's size — or, as the reference, from the raw
 * ledger (`ledger`); spend, signups, touchpoints, segments and agreements are read directly (small tables).
 */
export async function computeOverview(db: Database, range: MonthRange, source: CubeSource, now: Date): Promise<Overview> {
  const [cube, spend, reach, som, shares, signups] = await Promise.all([
    loadCubeFacts(db, range, source), loadSpend(db, range), loadReach(db, range), loadSom(db), loadRevenueShares(db, range), loadSignups(db, range),
  ]);
  const payouts: SpendRow[] = payoutRows(cube.partnerRevenue, shares);
  const crm: CrmFacts = {
    spend: sumBy(spend, (s) => s.month, (s) => s.amountMicros),
    payouts: sumBy(payouts, (s) => s.month, (s) => s.amountMicros),
    signups,
    impressions: sumBy(reach, (r) => r.month, (r) => r.impressions),
    visitors: sumBy(reach, (r) => r.month, (r) => r.uniqueVisitors),
    somTotal: som.reduce((s, r) => s + r.somAccounts, 0),
  };
  const byMonth = new Map(cube.months.map((m) => [m.month, m]));
  const months = monthsOf(range).map((month) => overviewMonth(byMonth.get(month) ?? emptyMonth(month), crm, monthPeriod(month, now)));
  const complete = months.filter((m) => m.complete);
  const running = months.find((m) => !m.complete && m.elapsedDays > 0);
  return { range, source, asOf: now.toISOString(), headlineMonth: complete.at(-1)?.month ?? null, runningMonth: running?.month ?? null, months };
}
