import { billingRoutes } from '../../../../src/shared/contract/billing.js';
import { useRoute } from '../../api/useResource.js';
import { revenueSeries, type RevenueSeries } from '../../billing.js';
import { BarChart } from '../../charts/BarChart.js';
import { DataTable } from '../../components/DataTable.js';
import { ResourceView } from '../../components/ResourceView.js';
import { useI18n } from '../../i18n/context.js';

/** One stacked bar chart of billed revenue by month, and the exact totals of its groups beneath it. */
function RevenueChart({ title, revenue, testId }: { title: string; revenue: RevenueSeries; testId: string }) {
  const { t, formatMoney } = useI18n();
  return (
    <div className="grid-cell" data-testid={testId}>
      <h3>{title}</h3>
      <BarChart categories={revenue.months} series={revenue.series.map((s) => ({ name: s.name, values: s.values }))} stacked height={260} label={title} />
      <DataTable
        rows={revenue.series}
        rowKey={(s) => s.key ?? ''}
        pageSize={10}
        columns={[
          { header: t('common.name'), cell: (s) => s.name },
          { header: t('billing.billedInRange'), cell: (s) => formatMoney(s.totalMicros), numeric: true },
        ]}
      />
    </div>
  );
}

/**
 * Billed revenue (invoice subtotals) by month, by channel and by partner (GET /api/billing/revenue); revenue
 * through no channel or no partner is named in the reader's language.
 */
export function BilledRevenueCharts() {
  const { t } = useI18n();
  const revenue = useRoute(billingRoutes.revenue, {});
  return (
    <ResourceView resource={revenue} path={billingRoutes.revenue.url}>
      {(r) => (
        <div className="grid two">
          <RevenueChart
            title={t('billing.revenueByChannel')}
            testId="revenue-by-channel"
            revenue={revenueSeries(
              r.months,
              r.byChannel.map((x) => ({ month: x.month, key: x.channelId, name: x.channelId === null ? t('channels.noChannel') : x.channelName, subtotalMicros: x.subtotalMicros })),
            )}
          />
          <RevenueChart
            title={t('billing.revenueByPartner')}
            testId="revenue-by-partner"
            revenue={revenueSeries(
              r.months,
              r.byPartner.map((x) => ({ month: x.month, key: x.partnerId, name: x.partnerId === null ? t('billing.noPartner') : x.partnerName, subtotalMicros: x.subtotalMicros })),
            )}
          />
        </div>
      )}
    </ResourceView>
  );
}
