import { campaignRoutes, type AttributionReportAnswer } from '../../../src/shared/contract/strategy/campaigns.js';
import { useRoute } from '../api/useResource.js';
import { BarChart } from '../charts/BarChart.js';
import { Card } from '../components/Card.js';
import { DataTable } from '../components/DataTable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n, type I18n } from '../i18n/context.js';
import { fromMicros } from '../money.js';
import { PromotionEconomics } from '../panels/PromotionEconomics.js';
import { BudgetAllocator } from '../tools/BudgetAllocator.js';

/** Conversions credited to each key by each model: one row per key, one column per model. */
function creditRows(report: AttributionReportAnswer, keys: readonly string[], names: readonly string[]): { key: string; name: string; credits: Record<string, number> }[] {
  return keys.map((key, i) => ({
    key, name: names[i] ?? key,
    credits: Object.fromEntries(report.models.map((m) => [m.model, m.credits.find((c) => c.channelId === key)?.conversions ?? 0])),
  }));
}

/** Attribution models side by side (GET /api/attribution): revenue credited to each key by each model. */
function attributionChart(report: AttributionReportAnswer, tEnum: I18n['tEnum']): { keys: string[]; names: string[]; models: string[]; series: { name: string; values: number[] }[] } {
  const keys = report.channels;
  return {
    keys,
    names: keys.map((k) => tEnum('promotionChannel', report.labels[k] ?? k)),
    models: report.models.map((m) => m.model),
    series: report.models.map((m) => ({ name: tEnum('attributionModel', m.model), values: keys.map((k) => fromMicros(m.credits.find((c) => c.channelId === k)?.revenueMicros ?? 0)) })),
  };
}

/** Promotion and campaigns: campaigns, channel economics, attribution models side by side, the budget allocator. */
export function PromotionPage() {
  const { t, tEnum, formatMoney, formatNumber } = useI18n();
  const modelName = (model: string): string => tEnum('attributionModel', model);
  const campaigns = useRoute(campaignRoutes.listCampaigns, {});
  const attribution = useRoute(campaignRoutes.attribution, {});
  return (
    <div className="grid">
      <Card title={t('promotion.campaigns')} wide>
        <ResourceView resource={campaigns} path={campaignRoutes.listCampaigns.url}>
          {(data) => (
            <DataTable
              testId="campaigns-table"
              rows={data.data}
              rowKey={(r) => r.id}
              columns={[
                { header: t('common.name'), cell: (r) => r.name || '—' },
                { header: t('promotion.goal'), cell: (r) => tEnum('campaignGoal', r.goal || '—') },
                { header: t('promotion.channel'), cell: (r) => (r.promotionChannels.length > 0 ? r.promotionChannels.map((c) => tEnum('promotionChannel', c)).join(', ') : '—') },
                { header: t('promotion.budget'), cell: (r) => formatMoney(r.budgetMicros), numeric: true },
                { header: t('promotion.dates'), cell: (r) => `${r.startsAt.slice(0, 10)} – ${(r.endsAt ?? '—').slice(0, 10)}` },
                { header: t('common.status'), cell: (r) => tEnum('status', r.status) },
              ]}
            />
          )}
        </ResourceView>
      </Card>
      <Card title={t('promotion.economics')} wide>
        <PromotionEconomics />
      </Card>
      <Card title={t('promotion.attribution')} wide testId="attribution">
        <p className="muted small">{t('promotion.attributionHint')}</p>
        <ResourceView resource={attribution} path={campaignRoutes.attribution.url}>
          {(data) => {
            const chart = attributionChart(data, tEnum);
            if (chart.keys.length === 0) return <p className="muted">{t('promotion.noPaths')}</p>;
            return (
              <>
                <p className="muted small" data-testid="attribution-paths">
                  {t('promotion.paths', { converting: formatNumber(data.convertingPaths), nonConverting: formatNumber(data.nonConvertingPaths), from: data.from.slice(0, 10), to: data.to.slice(0, 10) })}
                </p>
                <BarChart categories={chart.names} series={chart.series} height={320} label={t('promotion.attribution')} />
                <h3 className="small">{t('promotion.creditTable')}</h3>
                <DataTable
                  testId="attribution-table"
                  rows={creditRows(data, chart.keys, chart.names)}
                  rowKey={(r) => r.key}
                  columns={[
                    { header: t('promotion.channel'), cell: (r) => r.name },
                    ...chart.models.map((model) => ({ header: modelName(model), cell: (r: { credits: Record<string, number> }) => formatNumber(r.credits[model] ?? 0, 1), numeric: true })),
                  ]}
                />
              </>
            );
          }}
        </ResourceView>
      </Card>
      <Card title={t('promotion.allocator')} wide>
        <BudgetAllocator />
      </Card>
    </div>
  );
}
