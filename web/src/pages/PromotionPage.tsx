import { listFrom } from '../api/client.js';
import { endpoints } from '../api/endpoints.js';
import { idOf, num, text, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { BarChart } from '../charts/BarChart.js';
import { Card } from '../components/Card.js';
import { DataTable } from '../components/DataTable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import { fromMicros } from '../money.js';
import { BudgetAllocator } from '../tools/BudgetAllocator.js';

/** Attribution models side by side: revenue credited to each channel by each model. */
function attributionChart(data: unknown): { channels: string[]; series: { name: string; values: number[] }[] } {
  const record = (data ?? {}) as Row;
  const models = listFrom<Row>(record.models ?? data);
  const channels = Array.isArray(record.channels) ? (record.channels as string[]) : [...new Set(models.flatMap((m) => listFrom<Row>(m.credits).map((c) => text(c, 'channelId', 'channel'))))];
  return {
    channels,
    series: models.map((m) => {
      const credits = listFrom<Row>(m.credits);
      return { name: text(m, 'model'), values: channels.map((ch) => fromMicros(num(credits.find((c) => text(c, 'channelId', 'channel') === ch) ?? {}, 'revenueMicros', 'revenue') ?? 0)) };
    }),
  };
}

/** Promotion and campaigns: campaigns, attribution models side by side, the budget allocator. */
export function PromotionPage() {
  const { t, formatNumber } = useI18n();
  const campaigns = useResource<unknown>(endpoints.campaigns);
  const attribution = useResource<unknown>(endpoints.attribution);
  return (
    <div className="grid">
      <Card title={t('promotion.campaigns')} wide>
        <ResourceView resource={campaigns} path={endpoints.campaigns}>
          {(data) => (
            <DataTable
              rows={listFrom<Row>(data)}
              rowKey={idOf}
              columns={[
                { header: t('common.name'), cell: (r) => text(r, 'name') },
                { header: t('promotion.goal'), cell: (r) => text(r, 'goal') },
                { header: t('promotion.channel'), cell: (r) => text(r, 'promotionChannel', 'promotion_channel') },
                { header: t('promotion.budget'), cell: (r) => formatNumber(fromMicros(num(r, 'budgetMicros', 'budget_micros') ?? 0)), numeric: true },
                { header: t('promotion.dates'), cell: (r) => `${text(r, 'startsOn', 'startDate', 'starts_on')} – ${text(r, 'endsOn', 'endDate', 'ends_on')}` },
              ]}
            />
          )}
        </ResourceView>
      </Card>
      <Card title={t('promotion.attribution')} wide testId="attribution">
        <p className="muted small">{t('promotion.attributionHint')}</p>
        <ResourceView resource={attribution} path={endpoints.attribution}>
          {(data) => {
            const chart = attributionChart(data);
            return <BarChart categories={chart.channels} series={chart.series} height={300} label={t('promotion.attribution')} />;
          }}
        </ResourceView>
      </Card>
      <Card title={t('promotion.allocator')} wide>
        <BudgetAllocator />
      </Card>
    </div>
  );
}
