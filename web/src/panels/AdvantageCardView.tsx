import { monthName } from '../charts/months.js';
import { TrendChart } from '../charts/TrendChart.js';
import { Card } from '../components/Card.js';
import { useI18n } from '../i18n/context.js';
import { kpiValue, type AdvantageCard, type KpiSpec, type OverviewMonthWire } from './advantageCards.js';

/** Which months the overview headlines and shows apart (GET /api/analytics/overview). */
export interface OverviewPeriods {
  /** The last complete month: the tiles. */
  headline: OverviewMonthWire | undefined;
  /** The running month: month-to-date tiles and the dashed end of the trends. */
  running: OverviewMonthWire | undefined;
}

/**
 * One channel advantage: its KPIs in the last complete month as tiles, the running month's apart as
 * month to date (a KPI the server leaves null there waits for the month's end), and the monthly trend with
 * the running month dashed.
 */
export function AdvantageCardView({ card, months, periods }: { card: AdvantageCard; months: readonly OverviewMonthWire[]; periods: OverviewPeriods }) {
  const { t, lang, formatNumber } = useI18n();
  const { headline, running } = periods;
  const show = (month: OverviewMonthWire | undefined, spec: KpiSpec): string => {
    const v = month ? kpiValue(month, spec) : null;
    if (v === null) return month && !month.complete ? t('overview.atMonthEnd') : '—';
    if (spec.format === 'percent') return `${formatNumber(v, 1)}%`;
    if (spec.format === 'ratio') return `${formatNumber(v, 2)}×`;
    if (spec.format === 'months') return t('kpi.monthsValue', { n: formatNumber(v, 1) });
    return formatNumber(v, spec.format === 'money' ? 2 : 0);
  };
  const runningName = running ? monthName(running.month, lang) : '';
  return (
    <Card title={t(card.label)} testId={`advantage-${card.key}`}>
      <p className="muted small">{t(card.hint)}</p>
      <div className="kpis" data-testid={`headline-${card.key}`} data-month={headline?.month}>
        {card.tiles.map((spec) => (
          <div key={`${spec.group}.${spec.field}`}>
            <span className="muted small">{t(spec.label)}</span>
            <strong>{show(headline, spec)}</strong>
          </div>
        ))}
      </div>
      {running ? (
        <div className="mtd" data-testid={`mtd-${card.key}`} data-month={running.month}>
          <span className="muted small">{t('overview.monthToDate', { month: runningName, elapsed: running.elapsedDays, days: running.daysInMonth })}</span>
          <div className="kpis">
            {card.tiles.map((spec) => (
              <div key={`${spec.group}.${spec.field}`}>
                <span className="muted small">{t(spec.label)}</span>
                <span>{show(running, spec)}</span>
              </div>
            ))}
          </div>
        </div>
      ) : null}
      <TrendChart
        labels={months.map((m) => m.month)}
        series={card.trend.map((spec) => ({ name: spec.format === 'percent' ? `${t(spec.label)} %` : t(spec.label), values: months.map((m) => kpiValue(m, spec)) }))}
        height={200}
        label={t(card.label)}
        running={running ? { label: running.month, note: t('overview.runningMark', { month: runningName }) } : null}
      />
    </Card>
  );
}
