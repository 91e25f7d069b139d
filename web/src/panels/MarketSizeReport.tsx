import { listFrom } from '../api/client.js';
import { endpoints } from '../api/endpoints.js';
import { idOf, num, text, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { BarChart } from '../charts/BarChart.js';
import { DataTable } from '../components/DataTable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import { fromMicros } from '../money.js';

/**
 * TAM/SAM/SOM of the workspace's segments with the reach observed in the ledger (GET /api/market/size). Not
 * asked while there are no segments (the server refuses to size an empty market).
 */
export function MarketSizeReport({ hasSegments }: { hasSegments: boolean }) {
  const { t, formatNumber, formatMoney } = useI18n();
  const report = useResource<Row>(hasSegments ? endpoints.marketSize : null);
  const money = (r: Row, field: string) => formatMoney(num(r, field) ?? 0);
  const share = (r: Row, field: string) => (num(r, field) === null ? '—' : `${formatNumber(num(r, field)! * 100, 1)}%`);
  if (!hasSegments) return <p className="muted">{t('market.noSegments')}</p>;
  return (
    <ResourceView resource={report} path={endpoints.marketSize}>
      {(data) => {
        const segments = listFrom<Row>(data.segments ?? []);
        if (segments.length === 0) return <p className="muted">{t('market.noSegments')}</p>;
        return (
          <div data-testid="market-size-report">
            <div className="kpis">
              <div><span className="muted">TAM</span><strong>{money(data, 'tamMicros')}</strong></div>
              <div><span className="muted">SAM</span><strong>{money(data, 'samMicros')}</strong></div>
              <div><span className="muted">SOM</span><strong>{money(data, 'somMicros')}</strong></div>
              <div><span className="muted">{t('market.observedRevenue')}</span><strong>{money(data, 'observedRevenueMicros')}</strong></div>
              <div><span className="muted">{t('market.observedCustomers')}</span><strong>{formatNumber(num(data, 'observedCustomers') ?? 0)}</strong></div>
            </div>
            <BarChart
              categories={segments.map((s) => text(s, 'name', 'id'))}
              series={[
                { name: 'TAM', values: segments.map((s) => fromMicros(num(s, 'tamMicros') ?? 0)) },
                { name: 'SAM', values: segments.map((s) => fromMicros(num(s, 'samMicros') ?? 0)) },
                { name: 'SOM', values: segments.map((s) => fromMicros(num(s, 'somMicros') ?? 0)) },
                { name: t('market.observedRevenue'), values: segments.map((s) => fromMicros(num(s, 'observedRevenueMicros') ?? 0)) },
              ]}
              height={260}
              label={t('market.sizing')}
            />
            <DataTable
              rows={segments}
              rowKey={idOf}
              columns={[
                { header: t('market.segment'), cell: (r) => text(r, 'name', 'id') },
                { header: 'SOM', cell: (r) => money(r, 'somMicros'), numeric: true },
                { header: t('market.observedCustomers'), cell: (r) => formatNumber(num(r, 'observedCustomers') ?? 0), numeric: true },
                { header: t('market.shareOfSam'), cell: (r) => share(r, 'observedShareOfSam'), numeric: true },
                { header: t('market.shareOfSom'), cell: (r) => share(r, 'observedShareOfSom'), numeric: true },
              ]}
            />
          </div>
        );
      }}
    </ResourceView>
  );
}
