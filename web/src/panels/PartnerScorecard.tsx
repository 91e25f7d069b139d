import { partnerScorecard } from '../api/endpoints.js';
import type { Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { BarChart } from '../charts/BarChart.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';

/** Numeric fields of a scorecard (nested one level), as label → value. */
function metricsOf(card: Row): [string, number][] {
  const source = (card.metrics && typeof card.metrics === 'object' ? card.metrics : card) as Row;
  return Object.entries(source).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]));
}

/** One partner's scorecard, computed by the server from the ledger. */
export function PartnerScorecard({ partnerId }: { partnerId: string }) {
  const { t, formatNumber } = useI18n();
  const path = partnerScorecard(partnerId);
  const card = useResource<Row>(path);
  return (
    <ResourceView resource={card} path={path}>
      {(data) => {
        const metrics = metricsOf(data);
        return (
          <div data-testid="scorecard">
            <dl className="kv">
              {metrics.map(([k, v]) => (
                <div key={k}>
                  <dt>{k}</dt>
                  <dd>{formatNumber(v, 2)}</dd>
                </div>
              ))}
            </dl>
            {metrics.length > 0 ? <BarChart categories={metrics.map(([k]) => k)} series={[{ name: t('partners.scorecard'), values: metrics.map(([, v]) => v) }]} height={200} label={t('partners.scorecard')} horizontal /> : null}
          </div>
        );
      }}
    </ResourceView>
  );
}
