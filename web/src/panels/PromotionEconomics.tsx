import { listFrom } from '../api/client.js';
import { endpoints } from '../api/endpoints.js';
import { num, text, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { DataTable } from '../components/DataTable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';

/** Promotion channel selection: spend, signups, CAC, LTV, LTV/CAC and payback per channel (GET /api/promotion/economics). */
export function PromotionEconomics() {
  const { t, tEnum, formatNumber, formatMoney } = useI18n();
  const report = useResource<Row>(endpoints.promotionEconomics);
  const money = (v: number | null) => (v === null ? '—' : formatMoney(v));
  const economics = (r: Row) => (r.economics ?? {}) as Row;
  return (
    <ResourceView resource={report} path={endpoints.promotionEconomics}>
      {(data) => (
        <DataTable
          testId="promotion-economics"
          rows={listFrom<Row>(data.channels ?? [])}
          rowKey={(r) => text(r, 'promotionChannel')}
          columns={[
            { header: t('promotion.channel'), cell: (r) => tEnum('promotionChannel', text(r, 'promotionChannel')) },
            { header: t('allocator.spend'), cell: (r) => money(num(r, 'spendMicros')), numeric: true },
            { header: t('kpi.signups'), cell: (r) => formatNumber(num(r, 'signups') ?? 0), numeric: true },
            { header: t('promotion.activated'), cell: (r) => formatNumber(num(r, 'activatedCustomers') ?? 0), numeric: true },
            { header: t('kpi.cac'), cell: (r) => money(num(economics(r), 'cacMicros')), numeric: true },
            { header: 'LTV', cell: (r) => money(num(economics(r), 'ltvMicros')), numeric: true },
            { header: t('kpi.ltvToCac'), cell: (r) => (num(economics(r), 'ltvToCac') === null ? '—' : `${formatNumber(num(economics(r), 'ltvToCac')!, 2)}×`), numeric: true },
            { header: t('kpi.payback'), cell: (r) => (num(economics(r), 'paybackMonths') === null ? '—' : t('kpi.monthsValue', { n: formatNumber(num(economics(r), 'paybackMonths')!, 1) })), numeric: true },
          ]}
        />
      )}
    </ResourceView>
  );
}
