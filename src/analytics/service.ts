import { sql } from 'drizzle-orm';
import type { Store } from '../store/index.js';
import { lastCubeMonth, type CubeSource } from './queries/cube-facts.js';
import { parseGroupBy, resolveRange, type MonthRange } from './queries/range.js';
import { num, selectRows } from './queries/rows.js';
import { brandReport, costReport, coverageReport, stickinessReport, type BrandReport, type CostReport, type CoverageReport, type StickinessReport } from './report/details.js';
import { dailyUsageReport, resolveDayRange, type DailyUsageQuery, type DailyUsageReport } from './report/daily-usage.js';
import { computeOverview, type Overview } from './report/overview.js';
import { refreshRollups, ROLLUP_NAME, type RefreshOptions, type RefreshResult } from './rollups/refresh.js';

/** The filters every analytics query takes: an inclusive month range ('YYYY-MM'), default the last 12 months with data. */
export interface RangeQuery {
  readonly from?: string;
  readonly to?: string;
}

/** A range and a grouping (channel, partner, segment, campaign, region or all). */
export interface GroupedQuery extends RangeQuery {
  readonly groupBy?: string;
}

/** How far the rollups have read the ledger. */
export interface Freshness {
  /** Highest ledger seq counted by the rollups. */
  readonly rollupSeq: number;
  /** Highest seq in the ledger. */
  readonly ledgerSeq: number;
}

/** Options of {@link AnalyticsService}. */
export interface AnalyticsOptions {
  /** The clock that decides which months are complete; default the system clock (tests inject one). */
  readonly now?: () => Date;
}

/**
 * The analytics service: keeps the rollups up to date with the ledger and answers the KPI queries. The
 * overview reads the `kpi_monthly` cube only; per-group reports read `usage_daily` and the CRM tables and
 * apply the pure formulas of src/analytics/kpi.
 */
export class AnalyticsService {
  private refreshing: Promise<RefreshResult> | undefined;

  private readonly now: () => Date;

  constructor(private readonly store: Store, options: AnalyticsOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  /** Counts new ledger rows into the rollups; concurrent calls in this process share one refresh. */
  refresh(options: RefreshOptions = {}): Promise<RefreshResult> {
    this.refreshing ??= refreshRollups(this.store, options).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** How far the rollups have read the ledger. */
  async freshness(): Promise<Freshness> {
    const [row] = await selectRows<Record<string, unknown>>(this.store.db, sql`
      SELECT (SELECT seq FROM rollup_watermarks WHERE name = ${ROLLUP_NAME}) AS rollup_seq, (SELECT max(seq) FROM usage_events) AS ledger_seq`);
    return { rollupSeq: num(row?.rollup_seq), ledgerSeq: num(row?.ledger_seq) };
  }

  /** Resolves a requested month range against the data the cube holds. */
  async range(query: RangeQuery): Promise<MonthRange> {
    return resolveRange({ from: query.from, to: query.to }, await lastCubeMonth(this.store.db));
  }

  /** The four channel advantages per month, from the rollups (or, as a reference, from the raw ledger). */
  async overview(query: RangeQuery = {}, source: CubeSource = 'rollups'): Promise<Overview & { freshness: Freshness }> {
    const range = await this.range(query);
    const [overview, freshness] = await Promise.all([computeOverview(this.store.db, range, source, this.now()), this.freshness()]);
    return { ...overview, freshness };
  }

  /** Market coverage per group and month. */
  async coverage(query: GroupedQuery = {}): Promise<CoverageReport> {
    const by = parseGroupBy(query.groupBy);
    return coverageReport(this.store.db, await this.range(query), by, this.now());
  }

  /** User stickiness per group and month. */
  async stickiness(query: GroupedQuery = {}): Promise<StickinessReport> {
    const by = parseGroupBy(query.groupBy);
    return stickinessReport(this.store.db, await this.range(query), by, this.now());
  }

  /** Cost control per group and month. */
  async cost(query: GroupedQuery = {}): Promise<CostReport> {
    const by = parseGroupBy(query.groupBy);
    return costReport(this.store.db, await this.range(query), by, this.now());
  }

  /** Brand per group and month. */
  async brand(query: GroupedQuery = {}): Promise<BrandReport> {
    const by = parseGroupBy(query.groupBy);
    return brandReport(this.store.db, await this.range(query), by, this.now());
  }

  /** Usage per UTC day of a day range (default the last 30 days), from the `usage_daily` rollup. */
  async dailyUsage(query: DailyUsageQuery = {}): Promise<DailyUsageReport> {
    const range = resolveDayRange({ from: query.from, to: query.to }, this.now());
    return dailyUsageReport(this.store.db, range, query.customerId ?? null);
  }

  /**
   * Refreshes the rollups now and then every `intervalMs` in the background (errors go to `onError`);
   * returns a stop function that waits for a refresh in flight.
   */
  startAutoRefresh(intervalMs: number, onError: (err: unknown) => void): () => Promise<void> {
    this.refresh().catch(onError);
    const timer = setInterval(() => {
      this.refresh().catch(onError);
    }, intervalMs);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await this.refreshing?.catch(() => {});
    };
  }
}
