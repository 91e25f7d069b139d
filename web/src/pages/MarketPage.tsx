import { marketRoutes } from '../../../src/shared/contract/strategy/market.js';
import { useRoute } from '../api/useResource.js';
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
  const segments = useRoute(marketRoutes.listSegments, {});
  const pct = (v: number) => `${formatNumber(v * 100, 1)}%`;
  return (
    <div className="grid">
      <Card title={t('market.segments')} wide>
        <ResourceView resource={segments} path={marketRoutes.listSegments.url}>
          {(data) => (
            <DataTable
              testId="segments-table"
              rows={data.data}
              rowKey={(r) => r.id}
              columns={[
                { header: t('market.segment'), cell: (r) => r.name || r.id },
                { header: t('market.industry'), cell: (r) => r.industry || '—' },
                { header: t('partners.region'), cell: (r) => r.region || '—' },
                { header: t('market.companySize'), cell: (r) => r.companySize || '—' },
                { header: t('market.accounts'), cell: (r) => formatNumber(r.accounts), numeric: true },
                { header: t('market.annualPrice'), cell: (r) => formatMoney(r.annualPriceMicros), numeric: true },
                { header: t('market.growth'), cell: (r) => pct(r.growthRate), numeric: true },
                { header: t('market.wtp'), cell: (r) => String(r.willingnessToPay), numeric: true },
                { header: t('market.competition'), cell: (r) => String(r.competition), numeric: true },
                { header: t('market.fit'), cell: (r) => String(r.fit), numeric: true },
              ]}
            />
          )}
        </ResourceView>
      </Card>
      <Card title={t('market.sizing')} wide>
        {segments.status === 'unavailable' ? <NotAvailable path={marketRoutes.marketSize.url} /> : segments.status === 'ready' ? <MarketSizeReport hasSegments={segments.data.data.length > 0} /> : null}
      </Card>
      <Card title={t('market.ranking')} wide>
        <SegmentRanking segmentsAvailable={segments.status !== 'unavailable'} hasSegments={segments.status === 'ready' && segments.data.data.length > 0} />
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
