import { useState } from 'react';
import { listFrom } from '../api/client.js';
import { num, text, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { Card } from '../components/Card.js';
import { Field } from '../components/Field.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import type { MessageKey } from '../i18n/en.js';
import { CheckText } from './TierTerms.js';

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

const adviceKeys: Readonly<Record<string, MessageKey>> = {
  promote: 'scorecard.advice.promote',
  demote: 'scorecard.advice.demote',
  keep: 'scorecard.advice.keep',
  assign: 'scorecard.advice.assign',
  none: 'scorecard.advice.none',
};

/** The last month that has ended, `YYYY-MM` (UTC): a tier is judged on a whole month. */
export function lastEndedMonth(now = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

/** The tier advice from the server's structured recommendation: action, the thresholds it rests on, what the next tier needs. */
function TierAdvice({ recommendation, tierName, month }: { recommendation: Row; tierName: (id: string | null) => string; month: string }) {
  const { t } = useI18n();
  const action = typeof recommendation.action === 'string' ? recommendation.action : 'none';
  const target = typeof recommendation.recommendedTierId === 'string' ? recommendation.recommendedTierId : null;
  const evidence = listFrom<Row>(recommendation.evidence ?? []);
  const next = (recommendation.next ?? null) as Row | null;
  const nextMissing = next ? listFrom<Row>(next.checks ?? []).filter((c) => c.met !== true) : [];
  const shortfall = action === 'demote' || evidence.some((c) => c.met !== true);
  const current = typeof recommendation.currentTierId === 'string' ? recommendation.currentTierId : null;
  return (
    <div data-testid="tier-advice">
      {recommendation.monthEnded === false ? <p className="muted small" data-testid="scorecard-month-to-date">{t('scorecard.monthToDate', { month })}</p> : null}
      <p>
        <strong>{t('scorecard.recommendation')}:</strong> {t(adviceKeys[action] ?? 'scorecard.advice.none', { tier: target ? tierName(target) : t('scorecard.advice.noTier') })}
      </p>
      {evidence.length > 0 ? (
        <>
          <p className="muted small">{shortfall ? t('scorecard.advice.below', { tier: tierName(current) }) : t('scorecard.advice.because')}</p>
          <ul className="checks">
            {evidence.map((c, i) => (
              <li key={i} className={c.met ? 'ok' : 'error'}>
                {c.met ? '✓' : '✗'} <CheckText check={c} />
              </li>
            ))}
          </ul>
        </>
      ) : target ? (
        <p className="muted small">{t('scorecard.advice.entryTier', { tier: tierName(target) })}</p>
      ) : null}
      {next && nextMissing.length > 0 ? (
        <>
          <p className="muted small">{t('scorecard.advice.next', { tier: text(next, 'tierName') })}</p>
          <ul className="checks">
            {nextMissing.map((c, i) => (
              <li key={i} className="muted">
                ○ <CheckText check={c} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

/**
 * A partner's month in numbers, computed by the server from the ledger (admin: /api/partners/:id/scorecard,
 * portal: /api/portal/scorecard): the metrics, SLA, tier compliance and the tier recommendation. It opens on
 * the last month that has ended; a running month can be picked and is marked month-to-date.
 */
export function PartnerScorecard({ path, title, tierName = (id) => id }: { path: string; title?: string; tierName?: (id: string) => string }) {
  const { t, formatNumber, formatMoney } = useI18n();
  const [month, setMonth] = useState(lastEndedMonth);
  const card = useResource<Row>(`${path}?month=${encodeURIComponent(month)}`);
  const show = (value: number | null, format: MetricFormat): string => {
    if (value === null) return '—';
    if (format === 'money') return formatMoney(value);
    if (format === 'bps') return `${formatNumber(value / 100, 2)}%`;
    if (format === 'ms') return `${formatNumber(value)} ms`;
    return formatNumber(value);
  };
  const body = (
    <>
      <div className="form-row">
        <Field label={t('statements.month')}>
          <input type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} data-testid="scorecard-month" />
        </Field>
      </div>
      <ResourceView resource={card} path={path}>
      {(data) => {
        const m = (data.metrics ?? {}) as Row;
        const sla = (data.sla ?? {}) as Row;
        const recommendation = (data.recommendation ?? {}) as Row;
        const names: Record<string, unknown> = { [String(recommendation.currentTierId)]: recommendation.currentTierName, [String(recommendation.recommendedTierId)]: recommendation.recommendedTierName };
        const name = (id: string | null) => (id === null ? '—' : typeof names[id] === 'string' ? (names[id] as string) : tierName(id));
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
            <TierAdvice recommendation={{ ...recommendation, monthEnded: data.monthEnded ?? recommendation.monthEnded }} tierName={name} month={text(data, 'month')} />
          </div>
        );
      }}
      </ResourceView>
    </>
  );
  return title ? <Card title={title}>{body}</Card> : body;
}
