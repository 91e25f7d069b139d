import { analyticsRoutes, type OverviewView, type StickinessReportView } from '../../../src/shared/contract/analytics.js';
import { useRoute } from '../api/useResource.js';
import { CohortHeatmap, type Cohort } from '../charts/CohortHeatmap.js';
import { monthName } from '../charts/months.js';
import { Card } from '../components/Card.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import { advantageCards } from '../panels/advantageCards.js';
import { AdvantageCardView, type OverviewPeriods } from '../panels/AdvantageCardView.js';

/** Whole-business cohorts (dimension "all") of the stickiness report, oldest first, with their month-to-date cells. */
function cohortsOf(report: StickinessReportView): Cohort[] {
  return report.cohorts
    .filter((r) => r.dimension === 'all')
    .map((r) => ({ cohort: `${r.cohortMonth} (${r.cohortSize})`, retention: r.retention, complete: r.complete }));
}

/** The headline (last complete) and running months the server names. */
function periodsOf(overview: OverviewView): OverviewPeriods {
  const months = overview.months;
  return { headline: months.find((m) => m.month === overview.headlineMonth), running: months.find((m) => m.month === overview.runningMonth) };
}

/** Overview: the four channel advantages with their monthly trends, and cohort retention. */
export function OverviewPage() {
  const { t, lang } = useI18n();
  const overview = useRoute(analyticsRoutes.overview, {});
  const stickiness = useRoute(analyticsRoutes.stickiness, {});
  const periods = overview.status === 'ready' ? periodsOf(overview.data) : null;
  const runningName = periods?.running ? monthName(periods.running.month, lang) : '';
  return (
    <div className="grid">
      {periods ? (
        <div className="period" data-testid="overview-period" data-headline-month={periods.headline?.month} data-running-month={periods.running?.month}>
          <p>{periods.headline ? t('overview.headline', { month: monthName(periods.headline.month, lang) }) : t('overview.noCompleteMonth')}</p>
          {periods.running ? <p className="muted small">{t('overview.runningNote', { month: runningName, elapsed: periods.running.elapsedDays, days: periods.running.daysInMonth })}</p> : null}
        </div>
      ) : null}
      {overview.status === 'ready' && periods
        ? advantageCards.map((card) => <AdvantageCardView key={card.key} card={card} months={overview.data.months} periods={periods} />)
        : advantageCards.map((card) => (
            <Card key={card.key} title={t(card.label)} testId={`advantage-${card.key}`}>
              <p className="muted small">{t(card.hint)}</p>
              <ResourceView resource={overview} path={analyticsRoutes.overview.url}>
                {() => null}
              </ResourceView>
            </Card>
          ))}
      <Card title={t('overview.cohorts')} wide testId="cohorts">
        <ResourceView resource={stickiness} path={analyticsRoutes.stickiness.url}>
          {(data) => {
            const cohorts = cohortsOf(data);
            const running = data.runningMonth;
            const note = running !== null ? t('overview.runningCells', { month: monthName(running, lang) }) : undefined;
            return cohorts.length > 0 ? <CohortHeatmap cohorts={cohorts} label={t('overview.cohorts')} monthLabel={(m) => t('overview.monthN', { n: m })} runningNote={note} /> : <p className="muted">{t('common.empty')}</p>;
          }}
        </ResourceView>
      </Card>
    </div>
  );
}
