import { listFrom } from '../api/client.js';
import { endpoints } from '../api/endpoints.js';
import { idOf, num, text, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { Card } from '../components/Card.js';
import { DataTable } from '../components/DataTable.js';
import { NotAvailable } from '../components/NotAvailable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import { MarketSizeReport } from '../panels/MarketSizeReport.js';
import { SegmentRanking } from '../panels/SegmentRanking.js';
import { MarketSizingTool } from '../tools/MarketSizingTool.js';
import { SegmentScoringTool } from '../tools/SegmentScoringTool.js';

/**
 * Market positioning: the workspace's segments, their TAM/SAM/SOM with observed reach, and their ranking
 * (server); then what-if calculators over numbers a person types (browser).
 */
export function MarketPage() {
  const { t, formatNumber, formatMoney } = useI18n();
  const segments = useResource<unknown>(endpoints.segments);
  const pct = (r: Row, field: string) => (num(r, field) === null ? '—' : `${formatNumber(num(r, field)! * 100, 1)}%`);
  return (
    <div className="grid">
      <Card title={t('market.segments')} wide>
        <ResourceView resource={segments} path={endpoints.segments}>
          {(data) => (
            <DataTable
              testId="segments-table"
              rows={listFrom<Row>(data)}
              rowKey={idOf}
              columns={[
                { header: t('market.segment'), cell: (r) => text(r, 'name', 'id') },
                { header: t('market.industry'), cell: (r) => text(r, 'industry') },
                { header: t('partners.region'), cell: (r) => text(r, 'region') },
                { header: t('market.companySize'), cell: (r) => text(r, 'companySize') },
                { header: t('market.accounts'), cell: (r) => formatNumber(num(r, 'accounts') ?? 0), numeric: true },
                { header: t('market.annualPrice'), cell: (r) => formatMoney(num(r, 'annualPriceMicros') ?? 0), numeric: true },
                { header: t('market.growth'), cell: (r) => pct(r, 'growthRate'), numeric: true },
                { header: t('market.wtp'), cell: (r) => text(r, 'willingnessToPay'), numeric: true },
                { header: t('market.competition'), cell: (r) => text(r, 'competition'), numeric: true },
                { header: t('market.fit'), cell: (r) => text(r, 'fit'), numeric: true },
              ]}
            />
          )}
        </ResourceView>
      </Card>
      <Card title={t('market.sizing')} wide>
        {segments.status === 'unavailable' ? <NotAvailable path={endpoints.marketSize} /> : segments.status === 'ready' ? <MarketSizeReport hasSegments={listFrom(segments.data).length > 0} /> : null}
      </Card>
      <Card title={t('market.ranking')} wide>
        <SegmentRanking segmentsAvailable={segments.status !== 'unavailable'} hasSegments={segments.status === 'ready' && listFrom(segments.data).length > 0} />
      </Card>
      <Card title={t('market.whatIfScoring')} wide>
        <SegmentScoringTool />
      </Card>
      <Card title={t('market.whatIfSizing')} wide>
        <MarketSizingTool />
      </Card>
    </div>
  );
}
