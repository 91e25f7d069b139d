import { listFrom } from '../api/client.js';
import { endpoints } from '../api/endpoints.js';
import { idOf, num, text, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { Card } from '../components/Card.js';
import { DataTable } from '../components/DataTable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import { MarketSizingTool } from '../tools/MarketSizingTool.js';
import { SegmentScoringTool } from '../tools/SegmentScoringTool.js';

/** Market positioning: the workspace's segments, segment scoring, TAM/SAM/SOM. */
export function MarketPage() {
  const { t } = useI18n();
  const segments = useResource<unknown>(endpoints.segments);
  return (
    <div className="grid">
      <Card title={t('market.segments')} wide>
        <ResourceView resource={segments} path={endpoints.segments}>
          {(data) => (
            <DataTable
              rows={listFrom<Row>(data)}
              rowKey={idOf}
              columns={[
                { header: t('market.segment'), cell: (r) => text(r, 'name', 'id') },
                { header: t('market.industry'), cell: (r) => text(r, 'industry') },
                { header: t('partners.region'), cell: (r) => text(r, 'region') },
                { header: t('market.companySize'), cell: (r) => text(r, 'companySize', 'size') },
                { header: t('market.growth'), cell: (r) => text(r, 'growth'), numeric: true },
                { header: t('market.fit'), cell: (r) => String(num(r, 'fit') ?? '—'), numeric: true },
              ]}
            />
          )}
        </ResourceView>
      </Card>
      <Card title={t('market.scoring')} wide>
        <SegmentScoringTool />
      </Card>
      <Card title={t('market.sizing')} wide>
        <MarketSizingTool />
      </Card>
    </div>
  );
}
