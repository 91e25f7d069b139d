import { listFrom } from '../api/client.js';
import { endpoints } from '../api/endpoints.js';
import { idOf, num, text, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { BarChart } from '../charts/BarChart.js';
import { Card } from '../components/Card.js';
import { DataTable } from '../components/DataTable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n, type I18n } from '../i18n/context.js';
import { fromMicros } from '../money.js';
import { PromotionEconomics } from '../panels/PromotionEconomics.js';
import { BudgetAllocator } from '../tools/BudgetAllocator.js';

/** Conversions credited to each key by each model: one row per key, one column per model. */
function creditRows(data: unknown, keys: readonly string[], names: readonly string[]): { key: string; name: string; credits: Record<string, number> }[] {
  const models = listFrom<Row>(((data ?? {}) as Row).models ?? []);
  return keys.map((key, i) => ({
    key, name: names[i] ?? key,
    credits: Object.fromEntries(models.map((m) => [text(m, 'model'), num(listFrom<Row>(m.credits).find((c) => text(c, 'channelId') === key) ?? {}, 'conversions') ?? 0])),
  }));
}

/** Attribution models side by side (GET /api/attribution): revenue credited to each key by each model. */
function attributionChart(data: unknown, tEnum: I18n['tEnum']): { keys: string[]; names: string[]; models: string[]; series: { name: string; values: number[] }[] } {
  const report = (data ?? {}) as Row;
  const labels = (report.labels ?? {}) as Record<string, string>;
  const models = listFrom<Row>(report.models ?? []);
  const keys = Array.isArray(report.channels) ? (report.channels as string[]) : [...new Set(models.flatMap((m) => listFrom<Row>(m.credits).map((c) => text(c, 'channelId'))))];
  return {
    keys,
    names: keys.map((k) => tEnum('promotionChannel', labels[k] ?? k)),
    models: models.map((m) => text(m, 'model')),
    series: models.map((m) => {
      const credits = listFrom<Row>(m.credits);
      return { name: tEnum('attributionModel', text(m, 'model')), values: keys.map((k) => fromMicros(num(credits.find((c) => text(c, 'channelId') === k) ?? {}, 'revenueMicros') ?? 0)) };
    }),
  };
}

/** Promotion and campaigns: campaigns, channel economics, attribution models side by side, the budget allocator. */
export function PromotionPage() {
  const { t, tEnum, formatMoney, formatNumber } = useI18n();
  const modelName = (model: string): string => tEnum('attributionModel', model);
  const campaigns = useResource<unknown>(endpoints.campaigns);
  const attribution = useResource<unknown>(endpoints.attribution);
  return (
    <div className="grid">
      <Card title={t('promotion.campaigns')} wide>
        <ResourceView resource={campaigns} path={endpoints.campaigns}>
          {(data) => (
            <DataTable
              testId="campaigns-table"
              rows={listFrom<Row>(data)}
              rowKey={idOf}
              columns={[
                { header: t('common.name'), cell: (r) => text(r, 'name') },
                { header: t('promotion.goal'), cell: (r) => tEnum('campaignGoal', text(r, 'goal')) },
                { header: t('promotion.channel'), cell: (r) => (Array.isArray(r.promotionChannels) && r.promotionChannels.length > 0 ? r.promotionChannels.map((c) => tEnum('promotionChannel', String(c))).join(', ') : '—') },
                { header: t('promotion.budget'), cell: (r) => formatMoney(num(r, 'budgetMicros') ?? 0), numeric: true },
                { header: t('promotion.dates'), cell: (r) => `${text(r, 'startsAt').slice(0, 10)} – ${text(r, 'endsAt').slice(0, 10)}` },
                { header: t('common.status'), cell: (r) => tEnum('status', text(r, 'status')) },
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
        <ResourceView resource={attribution} path={endpoints.attribution}>
          {(data) => {
            const chart = attributionChart(data, tEnum);
            if (chart.keys.length === 0) return <p className="muted">{t('promotion.noPaths')}</p>;
            const report = (data ?? {}) as Row;
            return (
              <>
                <p className="muted small" data-testid="attribution-paths">
                  {t('promotion.paths', { converting: formatNumber(num(report, 'convertingPaths') ?? 0), nonConverting: formatNumber(num(report, 'nonConvertingPaths') ?? 0), from: text(report, 'from').slice(0, 10), to: text(report, 'to').slice(0, 10) })}
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
