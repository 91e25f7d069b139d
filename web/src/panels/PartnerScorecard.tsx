import { useState } from 'react';
import { partnerRoutes, type ScorecardAnswer, type TierRecommendationAnswer } from '../../../src/shared/contract/partners.js';
import { portalRoutes } from '../../../src/shared/contract/portal.js';
import { useRoute } from '../api/useResource.js';
import { Card } from '../components/Card.js';
import { Field } from '../components/Field.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import type { MessageKey } from '../i18n/en.js';
import { CheckText } from './TierTerms.js';

type MetricFormat = 'count' | 'money' | 'bps' | 'ms';

/** The scorecard metrics (scorecardMetricsSchema) and how each reads. */
const metrics: readonly { field: keyof ScorecardAnswer['metrics']; label: MessageKey; format: MetricFormat }[] = [
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

const adviceKeys: Readonly<Record<TierRecommendationAnswer['action'], MessageKey>> = {
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
function TierAdvice({ recommendation, monthEnded, tierName, month }: { recommendation: TierRecommendationAnswer; monthEnded: boolean; tierName: (id: string | null) => string; month: string }) {
  const { t } = useI18n();
  const { action, evidence, next } = recommendation;
  const target = recommendation.recommendedTierId;
  const nextMissing = next ? next.checks.filter((c) => !c.met) : [];
  const shortfall = action === 'demote' || evidence.some((c) => !c.met);
  return (
    <div data-testid="tier-advice">
      {!monthEnded ? <p className="muted small" data-testid="scorecard-month-to-date">{t('scorecard.monthToDate', { month })}</p> : null}
      <p>
        <strong>{t('scorecard.recommendation')}:</strong> {t(adviceKeys[action], { tier: target ? tierName(target) : t('scorecard.advice.noTier') })}
      </p>
      {evidence.length > 0 ? (
        <>
          <p className="muted small">{shortfall ? t('scorecard.advice.below', { tier: tierName(recommendation.currentTierId) }) : t('scorecard.advice.because')}</p>
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
          <p className="muted small">{t('scorecard.advice.next', { tier: next.tierName })}</p>
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
 * A partner's month in numbers, computed by the server from the ledger (admin: /api/partners/:id/scorecard
 * for `partnerId`; portal, without it: /api/portal/scorecard): the metrics, SLA, tier compliance and the
 * tier recommendation. It opens on the last month that has ended; a running month can be picked and is
 * marked month-to-date.
 */
export function PartnerScorecard({ partnerId, title, tierName = (id) => id }: { partnerId?: string; title?: string; tierName?: (id: string) => string }) {
  const { t, formatNumber, formatMoney } = useI18n();
  const [month, setMonth] = useState(lastEndedMonth);
  const admin = useRoute(partnerRoutes.scorecard, partnerId === undefined ? null : { params: { id: partnerId }, query: { month } });
  const portal = useRoute(portalRoutes.scorecard, partnerId === undefined ? { query: { month } } : null);
  const card = partnerId === undefined ? portal : admin;
  const path = partnerId === undefined ? portalRoutes.scorecard.url : partnerRoutes.scorecard.url;
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
        const { recommendation } = data;
        const names: Record<string, string | null> = { [String(recommendation.currentTierId)]: recommendation.currentTierName, [String(recommendation.recommendedTierId)]: recommendation.recommendedTierName };
        const name = (id: string | null) => (id === null ? '—' : (names[id] ?? tierName(id)));
        return (
          <div data-testid="scorecard">
            <p className="muted small">
              {data.partnerName} · {data.month}
            </p>
            <dl className="kv">
              {metrics.map((spec) => (
                <div key={spec.field}>
                  <dt>{t(spec.label)}</dt>
                  <dd>{show(data.metrics[spec.field], spec.format)}</dd>
                </div>
              ))}
              <div>
                <dt>{t('scorecard.sla')}</dt>
                <dd className={data.sla.result.met ? 'ok' : 'error'}>{data.sla.result.met ? t('scorecard.slaMet') : t('scorecard.slaMissed')}</dd>
              </div>
            </dl>
            <TierAdvice recommendation={recommendation} monthEnded={data.monthEnded} tierName={name} month={data.month} />
          </div>
        );
      }}
      </ResourceView>
    </>
  );
  return title ? <Card title={title}>{body}</Card> : body;
}
