import { promotionRoutes } from '../../../src/shared/contract/strategy/promotion.js';
import { useRoute } from '../api/useResource.js';
import { DataTable } from '../components/DataTable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';

/** Promotion channel selection: spend, signups, CAC, LTV, LTV/CAC and payback per channel (GET /api/promotion/economics). */
export function PromotionEconomics() {
  const { t, tEnum, formatNumber, formatMoney } = useI18n();
  const report = useRoute(promotionRoutes.economics, {});
  const money = (v: number | null) => (v === null ? '—' : formatMoney(v));
  return (
    <ResourceView resource={report} path={promotionRoutes.economics.url}>
      {(data) => (
        <DataTable
          testId="promotion-economics"
          rows={data.channels}
          rowKey={(r) => r.promotionChannel}
          columns={[
            { header: t('promotion.channel'), cell: (r) => tEnum('promotionChannel', r.promotionChannel) },
            { header: t('allocator.spend'), cell: (r) => money(r.spendMicros), numeric: true },
            { header: t('kpi.signups'), cell: (r) => formatNumber(r.signups), numeric: true },
            { header: t('promotion.activated'), cell: (r) => formatNumber(r.activatedCustomers), numeric: true },
            { header: t('kpi.cac'), cell: (r) => money(r.economics.cacMicros), numeric: true },
            { header: 'LTV', cell: (r) => money(r.economics.ltvMicros), numeric: true },
            { header: t('kpi.ltvToCac'), cell: (r) => (r.economics.ltvToCac === null ? '—' : `${formatNumber(r.economics.ltvToCac, 2)}×`), numeric: true },
            { header: t('kpi.payback'), cell: (r) => (r.economics.paybackMonths === null ? '—' : t('kpi.monthsValue', { n: formatNumber(r.economics.paybackMonths, 1) })), numeric: true },
          ]}
        />
      )}
    </ResourceView>
  );
}
