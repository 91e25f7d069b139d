import type { Store } from '../../store/index.js';
import { windowParams, type TimeWindow } from '../window.js';
import type { AttributionService } from './attribution-service.js';
import type { Campaign, CampaignService } from './campaign-service.js';

/** `GET /api/campaigns/:id/performance`: a campaign's spend against budget, reach, and attributed revenue. */
export interface CampaignPerformance {
  campaign: Campaign;
  from: string;
  to: string;
  /** Σ spend rows of the campaign in the window. */
  spendMicros: number;
  /** spendMicros / budgetMicros; null without a budget. */
  budgetUsed: number | null;
  /** Click touchpoints of the campaign in the window, and distinct visitors with any of its touchpoints. */
  clicks: number;
  visitors: number;
  /** Distinct customers with a touchpoint of the campaign (any time before the window's end). */
  customers: number;
  /** Revenue credited to the campaign by each attribution model (by campaign, over the same window). */
  attributedRevenueMicros: Record<string, number>;
  /** Conversions credited to the campaign by each model (fractional). */
  attributedConversions: Record<string, number>;
}

/** Campaign performance: what it spent, whom it reached, and what each attribution model credits it with. */
export class CampaignPerformanceService {
  constructor(private readonly store: Store, private readonly campaigns: CampaignService, private readonly attribution: AttributionService) {}

  /** The campaign's performance in the window. */
  async performance(campaignId: string, window: TimeWindow): Promise<CampaignPerformance> {
    const campaign = await this.campaigns.getCampaign(campaignId);
    const [from, to] = windowParams(window);
    const [facts] = await this.store.query<{ spend: string; clicks: string; visitors: string; customers: string }>(
      `SELECT (SELECT coalesce(sum(amount_micros), 0) FROM spend WHERE campaign_id = $1 AND spent_on >= $2 AND spent_on < $3)::text AS spend,
              (SELECT count(*) FROM touchpoints WHERE campaign_id = $1 AND kind = 'click' AND occurred_at >= $2 AND occurred_at < $3)::text AS clicks,
              (SELECT count(DISTINCT visitor_id) FROM touchpoints WHERE campaign_id = $1 AND occurred_at >= $2 AND occurred_at < $3)::text AS visitors,
              (SELECT count(DISTINCT customer_id) FROM touchpoints WHERE campaign_id = $1 AND occurred_at < $3)::text AS customers`,
      [campaignId, from, to],
    );
    const report = await this.attribution.attribute(window, 'campaign');
    const credit = (model: { credits: { channelId: string; revenueMicros: number; conversions: number }[] }) => model.credits.find((c) => c.channelId === campaignId);
    const spendMicros = Number(facts!.spend);
    return {
      campaign, from, to, spendMicros,
      budgetUsed: campaign.budgetMicros > 0 ? spendMicros / campaign.budgetMicros : null,
      clicks: Number(facts!.clicks), visitors: Number(facts!.visitors), customers: Number(facts!.customers),
      attributedRevenueMicros: Object.fromEntries(report.models.map((m) => [m.model, credit(m)?.revenueMicros ?? 0])),
      attributedConversions: Object.fromEntries(report.models.map((m) => [m.model, credit(m)?.conversions ?? 0])),
    };
  }
}
