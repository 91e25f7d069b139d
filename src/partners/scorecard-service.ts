import { asc, ne } from 'drizzle-orm';
import { parseMonth } from '../errors/index.js';
import { addMonths, monthEnd, monthStart } from '../shared/month.js';
import { schema, type Store } from '../store/index.js';
import type { AgreementService } from './agreement-service.js';
import type { PartnerService } from './partner-service.js';
import { computeScorecard, evaluateCommitment, evaluateSla, type CommitmentResult, type CustomerMonthUsage, type ScorecardMetrics, type SlaResult, type SlaTerms } from './scorecard.js';
import { slaSchema } from '../shared/contract/partners.js';
import type { TierService } from './tier-service.js';
import { recommendTier, type TierRecommendation } from './tier-recommendation.js';
import { checkRequirements, type RequirementCheck } from './tier-rules.js';

/** A partner's month: metrics, SLA, tier compliance and the tier recommendation with its reason. */
export interface Scorecard {
  partnerId: string;
  partnerName: string;
  month: string;
  /** False while the month runs: its metrics are month-to-date and the tier advice cannot demote. */
  monthEnded: boolean;
  metrics: ScorecardMetrics;
  sla: { terms: SlaTerms; result: SlaResult; agreementId: string | null };
  /** The month's revenue against the agreement's minimum commitment. */
  commitment: CommitmentResult;
  tier: { id: string | null; name: string | null; compliant: boolean; checks: RequirementCheck[] };
  recommendation: TierRecommendation;
}

/** Scorecards (合作管理) from the ledger and the CRM tables; the arithmetic lives in scorecard.ts. */
export class ScorecardService {
  constructor(
    private readonly store: Store,
    private readonly partners: PartnerService,
    private readonly tiers: TierService,
    private readonly agreements: AgreementService,
    /** The clock that says whether a month has ended (tests pass a fixed one). */
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The scorecard of one partner and month. */
  async scorecard(partnerId: string, month: string): Promise<Scorecard> {
    parseMonth(month);
    const partner = await this.partners.getPartner(partnerId);
    const previous = addMonths(month, -1);
    const [usage, latency, sourced, tiers, agreement] = await Promise.all([
      this.usage(partnerId, addMonths(month, -2), month),
      this.latencyP95(partnerId, [previous, month]),
      this.customersSourced(partnerId, [previous, month]),
      this.tiers.listTiers(),
      this.agreements.agreementInForce(partnerId, new Date(monthEnd(month).getTime() - 1)),
    ]);
    const parsedSla = slaSchema.safeParse(agreement?.sla ?? {});
    const terms: SlaTerms = parsedSla.success ? parsedSla.data : {};
    const base = { usage, certifiedStaff: partner.certifiedStaff, sla: terms };
    const metrics = computeScorecard({ ...base, month, previousMonth: previous, customersSourced: sourced.get(month) ?? 0, latencyP95Ms: latency.get(month) ?? null });
    const previousMetrics = computeScorecard({ ...base, month: previous, previousMonth: addMonths(month, -2), customersSourced: sourced.get(previous) ?? 0, latencyP95Ms: latency.get(previous) ?? null });
    const tier = tiers.find((t) => t.id === partner.tierId);
    const checks = tier ? checkRequirements(tier.requirements, metrics) : [];
    const monthEnded = this.now().getTime() >= monthEnd(month).getTime();
    // A partner that joined during the previous month cannot have missed it: it counts towards demotion only when covered whole.
    const previousCovered = partner.createdAt.getTime() <= monthStart(previous).getTime();
    return {
      partnerId,
      partnerName: partner.name,
      month,
      monthEnded,
      metrics,
      sla: { terms, result: evaluateSla(metrics, terms), agreementId: agreement?.id ?? null },
      commitment: evaluateCommitment(metrics.revenueMicros, agreement?.minCommitMicros ?? 0),
      tier: { id: tier?.id ?? null, name: tier?.name ?? null, compliant: checks.every((c) => c.met), checks },
      recommendation: recommendTier({ currentTierId: partner.tierId, tiers, metrics, ...(previousCovered ? { previousMetrics } : {}), monthEnded }),
    };
  }

  /** Scorecards of every partner that is not archived, for one month. */
  async scorecards(month: string): Promise<Scorecard[]> {
    const rows = await this.store.db.select({ id: schema.partners.id }).from(schema.partners).where(ne(schema.partners.status, 'archived')).orderBy(asc(schema.partners.name));
    const out: Scorecard[] = [];
    for (const r of rows) out.push(await this.scorecard(r.id, month));
    return out;
  }

  /** Per customer and month aggregates of the partner's ledger rows in `[first, last]`. */
  private async usage(partnerId: string, first: string, last: string): Promise<CustomerMonthUsage[]> {
    const rows = await this.store.query<{ month: string; customer_id: string; requests: string; ok: string; tokens: string; revenue: string; upstream_errors: string }>(
      `SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, coalesce(customer_id, '') AS customer_id,
              count(*)::text AS requests, count(*) FILTER (WHERE status = 'ok')::text AS ok,
              coalesce(sum(prompt_tokens + completion_tokens), 0)::text AS tokens, coalesce(sum(price_micros), 0)::text AS revenue,
              count(*) FILTER (WHERE status = 'error' AND http_status >= 500)::text AS upstream_errors
         FROM usage_events WHERE partner_id = $1 AND occurred_at >= $2 AND occurred_at < $3 AND endpoint <> 'guardrail' GROUP BY 1, 2`,
      [partnerId, monthStart(first).toISOString(), monthEnd(last).toISOString()],
    );
    return rows.map((r) => ({ month: r.month, customerId: r.customer_id, requests: Number(r.requests), okRequests: Number(r.ok), tokens: Number(r.tokens), revenueMicros: Number(r.revenue), upstreamErrors: Number(r.upstream_errors) }));
  }

  /** 95th-percentile latency of successful requests per month (nearest-rank, as percentile_disc). */
  private async latencyP95(partnerId: string, months: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const m of months) {
      const [r] = await this.store.query<{ p95: number | null }>(
        `SELECT percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95 FROM usage_events
          WHERE partner_id = $1 AND status = 'ok' AND occurred_at >= $2 AND occurred_at < $3`,
        [partnerId, monthStart(m).toISOString(), monthEnd(m).toISOString()],
      );
      if (r?.p95 !== null && r?.p95 !== undefined) out.set(m, Number(r.p95));
    }
    return out;
  }

  /** Customers the partner brought in, per month. */
  private async customersSourced(partnerId: string, months: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const m of months) {
      const [r] = await this.store.query<{ n: string }>(`SELECT count(*)::text AS n FROM customers WHERE acquired_partner_id = $1 AND acquired_at >= $2 AND acquired_at < $3`, [
        partnerId,
        monthStart(m).toISOString(),
        monthEnd(m).toISOString(),
      ]);
      out.set(m, Number(r?.n ?? 0));
    }
    return out;
  }
}

