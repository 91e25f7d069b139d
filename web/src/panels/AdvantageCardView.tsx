import { TrendChart } from '../charts/TrendChart.js';
import { Card } from '../components/Card.js';
import { useI18n } from '../i18n/context.js';
import { kpiValue, type AdvantageCard, type KpiSpec, type OverviewMonthWire } from './advantageCards.js';

/** One channel advantage: its KPIs in the latest month as tiles, and their monthly trend. */
export function AdvantageCardView({ card, months }: { card: AdvantageCard; months: readonly OverviewMonthWire[] }) {
  const { t, formatNumber } = useI18n();
  const latest = months[months.length - 1];
  const show = (spec: KpiSpec): string => {
    const v = latest ? kpiValue(latest, spec) : null;
    if (v === null) return '—';
    if (spec.format === 'percent') return `${formatNumber(v, 1)}%`;
    if (spec.format === 'ratio') return `${formatNumber(v, 2)}×`;
    if (spec.format === 'months') return t('kpi.monthsValue', { n: formatNumber(v, 1) });
    return formatNumber(v, spec.format === 'money' ? 2 : 0);
  };
  return (
    <Card title={t(card.label)} testId={`advantage-${card.key}`}>
      <p className="muted small">{t(card.hint)}</p>
      <div className="kpis">
        {card.tiles.map((spec) => (
          <div key={spec.field}>
            <span className="muted small">{t(spec.label)}</span>
            <strong>{show(spec)}</strong>
          </div>
        ))}
      </div>
      <TrendChart labels={months.map((m) => m.month)} series={card.trend.map((spec) => ({ name: spec.format === 'percent' ? `${t(spec.label)} %` : t(spec.label), values: months.map((m) => kpiValue(m, spec)) }))} height={200} label={t(card.label)} />
    </Card>
  );
}
