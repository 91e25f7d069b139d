import { listFrom } from '../api/client.js';
import { endpoints } from '../api/endpoints.js';
import { num, text, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { CohortHeatmap, type Cohort } from '../charts/CohortHeatmap.js';
import { TrendChart } from '../charts/TrendChart.js';
import { Card } from '../components/Card.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import type { MessageKey } from '../i18n/en.js';

/** The four channel advantages (DESIGN.md §analytics), in display order. */
const advantages: readonly { key: string; label: MessageKey; hint: MessageKey }[] = [
  { key: 'coverage', label: 'advantage.coverage', hint: 'advantage.coverageHint' },
  { key: 'stickiness', label: 'advantage.stickiness', hint: 'advantage.stickinessHint' },
  { key: 'costControl', label: 'advantage.costControl', hint: 'advantage.costControlHint' },
  { key: 'brand', label: 'advantage.brand', hint: 'advantage.brandHint' },
];

/** One advantage's monthly trend out of the analytics answer, however it is enveloped. */
function advantageOf(payload: unknown, key: string): { headline: number | null; months: string[]; values: number[] } | null {
  const rows = listFrom<Row>(payload);
  const row = rows.find((r) => r.key === key || r.advantage === key || r.id === key) ?? ((payload as Record<string, unknown> | null)?.[key] as Row | undefined);
  if (!row) return null;
  const trend = listFrom<Row>(row.trend ?? row.months ?? []);
  return { headline: num(row, 'value', 'headline', 'score'), months: trend.map((p) => text(p, 'month', 'label')), values: trend.map((p) => num(p, 'value', 'score') ?? 0) };
}

/** Overview: the four channel advantages with their monthly trends, and cohort retention. */
export function OverviewPage() {
  const { t, formatNumber } = useI18n();
  const kpis = useResource<unknown>(endpoints.advantages);
  const cohorts = useResource<unknown>(endpoints.cohorts);
  return (
    <div className="grid">
      {advantages.map((a) => (
        <Card key={a.key} title={t(a.label)} testId={`advantage-${a.key}`}>
          <p className="muted small">{t(a.hint)}</p>
          <ResourceView resource={kpis} path={endpoints.advantages}>
            {(data) => {
              const adv = advantageOf(data, a.key);
              if (!adv) return <p className="muted">{t('common.empty')}</p>;
              return (
                <>
                  <p className="kpi">{adv.headline === null ? '—' : formatNumber(adv.headline, 2)}</p>
                  <TrendChart labels={adv.months} series={[{ name: t(a.label), values: adv.values }]} area height={160} label={t(a.label)} />
                </>
              );
            }}
          </ResourceView>
        </Card>
      ))}
      <Card title={t('overview.cohorts')} wide>
        <ResourceView resource={cohorts} path={endpoints.cohorts}>
          {(data) => (
            <CohortHeatmap
              cohorts={listFrom<Row>(data).map((r): Cohort => ({ cohort: text(r, 'cohort', 'month'), retention: listFrom<unknown>(r.retention).map((v) => Number(v)) }))}
              label={t('overview.cohorts')}
              monthLabel={(m) => t('overview.monthN', { n: m })}
            />
          )}
        </ResourceView>
      </Card>
    </div>
  );
}
