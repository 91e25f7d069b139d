import { listFrom } from '../api/client.js';
import { endpoints } from '../api/endpoints.js';
import { num, text, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { CohortHeatmap, type Cohort } from '../charts/CohortHeatmap.js';
import { monthName } from '../charts/months.js';
import { Card } from '../components/Card.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import { advantageCards, type OverviewMonthWire } from '../panels/advantageCards.js';
import { AdvantageCardView, type OverviewPeriods } from '../panels/AdvantageCardView.js';

/** GET /api/analytics/overview as the page reads it (src/analytics/report/overview.ts, Overview). */
interface OverviewWire {
  months?: OverviewMonthWire[];
  headlineMonth?: string | null;
  runningMonth?: string | null;
}

/** Whole-business cohorts (dimension "all") of the stickiness report, oldest first, with their month-to-date cells. */
function cohortsOf(report: unknown): Cohort[] {
  const rows = listFrom<Row>((report as Row | null)?.cohorts ?? []);
  const all = rows.filter((r) => r.dimension === undefined || r.dimension === 'all');
  return all.map((r) => ({
    cohort: `${text(r, 'cohortMonth')} (${num(r, 'cohortSize') ?? 0})`,
    retention: listFrom<unknown>(r.retention).map(Number),
    complete: listFrom<unknown>(r.complete ?? []).map((c) => c !== false),
  }));
}

/** The headline (last complete) and running months the server names. */
function periodsOf(overview: OverviewWire): OverviewPeriods {
  const months = overview.months ?? [];
  return { headline: months.find((m) => m.month === overview.headlineMonth), running: months.find((m) => m.month === overview.runningMonth) };
}

/** Overview: the four channel advantages with their monthly trends, and cohort retention. */
export function OverviewPage() {
  const { t, lang } = useI18n();
  const overview = useResource<OverviewWire>(endpoints.overview);
  const stickiness = useResource<unknown>(endpoints.stickiness);
  const periods = overview.status === 'ready' ? periodsOf(overview.data) : null;
  const runningName = periods?.running ? monthName(periods.running.month, lang) : '';
  return (
    <div className="grid">
      {periods ? (
        <div className="period" data-testid="overview-period" data-headline-month={periods.headline?.month} data-running-month={periods.running?.month}>
          <p>{periods.headline ? t('overview.headline', { month: monthName(periods.headline.month, lang) }) : t('overview.noCompleteMonth')}</p>
          {periods.running ? <p className="muted small">{t('overview.runningNote', { month: runningName, elapsed: periods.running.elapsedDays ?? 0, days: periods.running.daysInMonth ?? 0 })}</p> : null}
        </div>
      ) : null}
      {overview.status === 'ready' && periods
        ? advantageCards.map((card) => <AdvantageCardView key={card.key} card={card} months={overview.data.months ?? []} periods={periods} />)
        : advantageCards.map((card) => (
            <Card key={card.key} title={t(card.label)} testId={`advantage-${card.key}`}>
              <p className="muted small">{t(card.hint)}</p>
              <ResourceView resource={overview} path={endpoints.overview}>
                {() => null}
              </ResourceView>
            </Card>
          ))}
      <Card title={t('overview.cohorts')} wide testId="cohorts">
        <ResourceView resource={stickiness} path={endpoints.stickiness}>
          {(data) => {
            const cohorts = cohortsOf(data);
            const running = (data as Row | null)?.runningMonth;
            const note = typeof running === 'string' ? t('overview.runningCells', { month: monthName(running, lang) }) : undefined;
            return cohorts.length > 0 ? <CohortHeatmap cohorts={cohorts} label={t('overview.cohorts')} monthLabel={(m) => t('overview.monthN', { n: m })} runningNote={note} /> : <p className="muted">{t('common.empty')}</p>;
          }}
        </ResourceView>
      </Card>
    </div>
  );
}
