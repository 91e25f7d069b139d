import { listFrom } from '../api/client.js';
import { num, text, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { Card } from '../components/Card.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import type { MessageKey } from '../i18n/en.js';

type MetricFormat = 'count' | 'money' | 'bps' | 'ms';

/** The scorecard metrics (src/partners/scorecard.ts, ScorecardMetrics) and how each reads. */
const metrics: readonly { field: string; label: MessageKey; format: MetricFormat }[] = [
  { field: 'revenueMicros', label: 'scorecard.revenue', format: 'money' },
  { field: 'revenueGrowthBps', label: 'scorecard.growth', format: 'bps' },
  { field: 'customersSourced', label: 'scorecard.customersSourced', format: 'count' },
  { field: 'activeCustomers', label: 'kpi.activeCustomers', format: 'count' },
  { field: 'retentionBps', label: 'scorecard.retention', format: 'bps' },
  { field: 'tokens', label: 'channels.tokens', format: 'count' },
  { field: 'errorRateBps', label: 'scorecard.errorRate', format: 'bps' },
  { field: 'latencyP95Ms', label: 'scorecard.latency', format: 'ms' },
  { field: 'certifiedStaff', label: 'scorecard.certifiedStaff', format: 'count' },
];

/**
 * A partner's month in numbers, computed by the server from the ledger (admin: /api/partners/:id/scorecard,
 * portal: /api/portal/scorecard): the metrics, SLA, tier compliance and the tier recommendation.
 */
export function PartnerScorecard({ path, title }: { path: string; title?: string }) {
  const { t, formatNumber, formatMoney } = useI18n();
  const card = useResource<Row>(path);
  const show = (value: number | null, format: MetricFormat): string => {
    if (value === null) return '—';
    if (format === 'money') return formatMoney(value);
    if (format === 'bps') return `${formatNumber(value / 100, 2)}%`;
    if (format === 'ms') return `${formatNumber(value)} ms`;
    return formatNumber(value);
  };
  const body = (
    <ResourceView resource={card} path={path}>
      {(data) => {
        const m = (data.metrics ?? {}) as Row;
        const sla = (data.sla ?? {}) as Row;
        const recommendation = (data.recommendation ?? {}) as Row;
        const checks = listFrom<Row>(recommendation.checks ?? (data.tier as Row | undefined)?.checks ?? []);
        return (
          <div data-testid="scorecard">
            <p className="muted small">
              {text(data, 'partnerName')} · {text(data, 'month')}
            </p>
            <dl className="kv">
              {metrics.map((spec) => (
                <div key={spec.field}>
                  <dt>{t(spec.label)}</dt>
                  <dd>{show(num(m, spec.field), spec.format)}</dd>
                </div>
              ))}
              <div>
                <dt>{t('scorecard.sla')}</dt>
                <dd className={(sla.result as Row | undefined)?.met === false ? 'error' : 'ok'}>{(sla.result as Row | undefined)?.met === false ? t('scorecard.slaMissed') : t('scorecard.slaMet')}</dd>
              </div>
            </dl>
            {checks.length > 0 ? (
              <ul className="checks">
                {checks.map((c, i) => (
                  <li key={i} className={c.met ? 'ok' : 'error'}>
                    {c.met ? '✓' : '✗'} {text(c, 'label', 'key')}: {text(c, 'actual')} / {text(c, 'required')}
                  </li>
                ))}
              </ul>
            ) : null}
            <p>
              <strong>{t('scorecard.recommendation')}:</strong> {text(recommendation, 'action')} — {text(recommendation, 'reason')}
            </p>
          </div>
        );
      }}
    </ResourceView>
  );
  return title ? <Card title={title}>{body}</Card> : body;
}
