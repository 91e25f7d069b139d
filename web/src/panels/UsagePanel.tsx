import { useState } from 'react';
import { gatewayAdminRoutes } from '../../../src/shared/contract/gateway.js';
import { analyticsRoutes } from '../../../src/shared/contract/analytics.js';
import { useRoute } from '../api/useResource.js';
import { TrendChart } from '../charts/TrendChart.js';
import { DataTable } from '../components/DataTable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';

/** The ranges the panel offers, in days ending today (UTC). */
const RANGES = [7, 30, 90, 365] as const;

/** The last `days` UTC days ending today, as the API's `from` and `to`. */
function rangeOf(days: number, now = Date.now()): { from: string; to: string } {
  const to = new Date(now).toISOString().slice(0, 10);
  const from = new Date(now - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

/**
 * Token usage over a chosen range: totals and tokens per day from the analytics rollups (GET
 * /api/analytics/usage), so chart and totals cover the same days; below, the newest ledger rows.
 */
export function UsagePanel() {
  const { t, tEnum, formatNumber, formatMoney } = useI18n();
  const [days, setDays] = useState<number>(30);
  const range = rangeOf(days);
  const daily = useRoute(analyticsRoutes.usage, { query: range });
  const latest = useRoute(gatewayAdminRoutes.usage, { query: { limit: 20 } });
  return (
    <div data-testid="usage">
      <label className="inline">
        <span className="muted small">{t('usage.range')}</span>{' '}
        <select value={days} onChange={(e) => setDays(Number(e.target.value))} data-testid="usage-range">
          {RANGES.map((n) => <option key={n} value={n}>{t('usage.lastDays', { n })}</option>)}
        </select>
      </label>
      <ResourceView resource={daily} path={analyticsRoutes.usage.url}>
        {(data) => (
          <div data-testid="usage-daily" data-from={data.range.from} data-to={data.range.to} data-days={data.days.length}>
            <div className="kpis">
              <div><span className="muted">{t('usage.requests')}</span><strong data-testid="usage-total-requests">{formatNumber(data.totals.requests)}</strong></div>
              <div><span className="muted">{t('keys.inputTokens')}</span><strong>{formatNumber(data.totals.promptTokens)}</strong></div>
              <div><span className="muted">{t('keys.outputTokens')}</span><strong>{formatNumber(data.totals.completionTokens)}</strong></div>
              <div><span className="muted">{t('usage.charged')}</span><strong>{formatMoney(data.totals.priceMicros)}</strong></div>
              <div><span className="muted">{t('usage.costToServe')}</span><strong>{formatMoney(data.totals.costMicros)}</strong></div>
            </div>
            <TrendChart labels={data.days.map((d) => d.day)} series={[{ name: t('keys.inputTokens'), values: data.days.map((d) => d.promptTokens) }, { name: t('keys.outputTokens'), values: data.days.map((d) => d.completionTokens) }]} area height={220} label={t('keys.usage')} />
            <p className="muted small" data-testid="usage-range-note">{t('usage.rangeNote', { from: data.range.from, to: data.range.to })}</p>
          </div>
        )}
      </ResourceView>
      <ResourceView resource={latest} path={gatewayAdminRoutes.usage.url}>
        {(data) => {
          const rows = data.data;
          return (
            <>
              <p className="muted small">{t('usage.newest', { n: rows.length })}</p>
              <DataTable
                testId="usage-table"
                rows={rows}
                rowKey={(r, i) => r.requestId + i}
                columns={[
                  { header: t('usage.time'), cell: (r) => r.occurredAt.replace('T', ' ').slice(0, 19) },
                  { header: t('models.model'), cell: (r) => r.model },
                  { header: t('keys.inputTokens'), cell: (r) => formatNumber(r.promptTokens), numeric: true },
                  { header: t('keys.outputTokens'), cell: (r) => formatNumber(r.completionTokens), numeric: true },
                  { header: t('usage.charged'), cell: (r) => formatMoney(r.priceMicros), numeric: true },
                  { header: t('common.status'), cell: (r) => tEnum('status', r.status) },
                ]}
              />
            </>
          );
        }}
      </ResourceView>
    </div>
  );
}
