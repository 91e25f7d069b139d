import { listFrom } from '../api/client.js';
import { endpoints } from '../api/endpoints.js';
import { num, text, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { TrendChart } from '../charts/TrendChart.js';
import { DataTable } from '../components/DataTable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';

/** Ledger rows summed per UTC day, oldest first. */
function tokensByDay(rows: readonly Row[]): { day: string; prompt: number; completion: number }[] {
  const days = new Map<string, { prompt: number; completion: number }>();
  for (const r of rows) {
    const day = text(r, 'occurred_at', 'occurredAt').slice(0, 10);
    const d = days.get(day) ?? { prompt: 0, completion: 0 };
    d.prompt += num(r, 'prompt_tokens', 'promptTokens') ?? 0;
    d.completion += num(r, 'completion_tokens', 'completionTokens') ?? 0;
    days.set(day, d);
  }
  return [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, d]) => ({ day, ...d }));
}

/** Token usage from the ledger (GET /api/usage): totals, tokens per day of the latest requests, the latest rows. */
export function UsagePanel() {
  const { t, tEnum, formatNumber, formatMoney } = useI18n();
  const usage = useResource<Row>(endpoints.usage);
  return (
    <ResourceView resource={usage} path={endpoints.usage}>
      {(data) => {
        const rows = listFrom<Row>(data.data ?? []);
        const totals = (data.totals ?? {}) as Row;
        const days = tokensByDay(rows);
        return (
          <div data-testid="usage">
            <div className="kpis">
              <div><span className="muted">{t('usage.requests')}</span><strong>{formatNumber(num(totals, 'requests') ?? 0)}</strong></div>
              <div><span className="muted">{t('keys.inputTokens')}</span><strong>{formatNumber(num(totals, 'prompt_tokens', 'promptTokens') ?? 0)}</strong></div>
              <div><span className="muted">{t('keys.outputTokens')}</span><strong>{formatNumber(num(totals, 'completion_tokens', 'completionTokens') ?? 0)}</strong></div>
              <div><span className="muted">{t('usage.charged')}</span><strong>{formatMoney(num(totals, 'price_micros', 'priceMicros') ?? 0)}</strong></div>
              <div><span className="muted">{t('usage.costToServe')}</span><strong>{formatMoney(num(totals, 'cost_micros', 'costMicros') ?? 0)}</strong></div>
            </div>
            {days.length > 0 ? (
              <TrendChart labels={days.map((d) => d.day)} series={[{ name: t('keys.inputTokens'), values: days.map((d) => d.prompt) }, { name: t('keys.outputTokens'), values: days.map((d) => d.completion) }]} area height={220} label={t('keys.usage')} />
            ) : null}
            <p className="muted small">{t('usage.latest', { n: rows.length })}</p>
            <DataTable
              testId="usage-table"
              rows={rows.slice(0, 20)}
              rowKey={(r, i) => text(r, 'request_id', 'requestId') + i}
              columns={[
                { header: t('usage.time'), cell: (r) => text(r, 'occurred_at', 'occurredAt').replace('T', ' ').slice(0, 19) },
                { header: t('models.model'), cell: (r) => text(r, 'model') },
                { header: t('keys.inputTokens'), cell: (r) => formatNumber(num(r, 'prompt_tokens', 'promptTokens') ?? 0), numeric: true },
                { header: t('keys.outputTokens'), cell: (r) => formatNumber(num(r, 'completion_tokens', 'completionTokens') ?? 0), numeric: true },
                { header: t('usage.charged'), cell: (r) => formatMoney(num(r, 'price_micros', 'priceMicros') ?? 0), numeric: true },
                { header: t('common.status'), cell: (r) => tEnum('status', text(r, 'status')) },
              ]}
            />
          </div>
        );
      }}
    </ResourceView>
  );
}
