import { listFrom } from '../api/client.js';
import { endpoints } from '../api/endpoints.js';
import { num, text, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { CohortHeatmap, type Cohort } from '../charts/CohortHeatmap.js';
import { Card } from '../components/Card.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import { advantageCards, type OverviewMonthWire } from '../panels/advantageCards.js';
import { AdvantageCardView } from '../panels/AdvantageCardView.js';

/** Whole-business cohorts (dimension "all") of the stickiness report, oldest first. */
function cohortsOf(report: unknown): Cohort[] {
  const rows = listFrom<Row>((report as Row | null)?.cohorts ?? []);
  const all = rows.filter((r) => r.dimension === undefined || r.dimension === 'all');
  return all.map((r) => ({ cohort: `${text(r, 'cohortMonth')} (${num(r, 'cohortSize') ?? 0})`, retention: listFrom<unknown>(r.retention).map(Number) }));
}

/** Overview: the four channel advantages with their monthly trends, and cohort retention. */
export function OverviewPage() {
  const { t } = useI18n();
  const overview = useResource<{ months?: OverviewMonthWire[] }>(endpoints.overview);
  const stickiness = useResource<unknown>(endpoints.stickiness);
  return (
    <div className="grid">
      {overview.status === 'ready'
        ? advantageCards.map((card) => <AdvantageCardView key={card.key} card={card} months={overview.data.months ?? []} />)
        : advantageCards.map((card) => (
            <Card key={card.key} title={t(card.label)} testId={`advantage-${card.key}`}>
              <p className="muted small">{t(card.hint)}</p>
              <ResourceView resource={overview} path={endpoints.overview}>
                {() => null}
              </ResourceView>
            </Card>
          ))}
      <Card title={t('overview.cohorts')} wide>
        <ResourceView resource={stickiness} path={endpoints.stickiness}>
          {(data) => {
            const cohorts = cohortsOf(data);
            return cohorts.length > 0 ? <CohortHeatmap cohorts={cohorts} label={t('overview.cohorts')} monthLabel={(m) => t('overview.monthN', { n: m })} /> : <p className="muted">{t('common.empty')}</p>;
          }}
        </ResourceView>
      </Card>
    </div>
  );
}
