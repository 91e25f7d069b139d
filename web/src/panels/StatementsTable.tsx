import { useState } from 'react';
import { listFrom } from '../api/client.js';
import { idOf, num, text, type Row } from '../api/records.js';
import { DataTable } from '../components/DataTable.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useI18n } from '../i18n/context.js';
import { useSession } from '../session/context.js';

/**
 * Fetches a statement's CSV with the session's credentials and hands it to the browser as a file download
 * (a plain link could not send the bearer token).
 */
async function downloadCsv(fetchCsv: () => Promise<Response>, filename: string): Promise<void> {
  const blob = await (await fetchCsv()).blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Monthly revenue-share statements (admin: all partners; portal: the partner's own), each with its CSV
 * (`csvPath`: /api/statements/:id/csv or /api/portal/statements/:id/csv; money there is exact decimals).
 */
export function StatementsTable({ data, testId, partnerName = (id) => id, csvPath }: { data: unknown; testId?: string; partnerName?: (id: string) => string; csvPath?: (id: string) => string }) {
  const { t, tEnum, formatMoney } = useI18n();
  const { client } = useSession();
  const [error, setError] = useState<string | null>(null);
  const money = (r: Row, ...names: string[]) => formatMoney(num(r, ...names) ?? 0);
  const csvColumn = csvPath
    ? [
        {
          header: t('statements.csv'),
          cell: (r: Row) => (
            <button
              type="button"
              data-testid={`statement-csv-${text(r, 'id')}`}
              aria-label={t('statements.downloadCsv', { month: text(r, 'month') })}
              onClick={() => {
                setError(null);
                downloadCsv(() => client.request('GET', csvPath(text(r, 'id'))), `${text(r, 'id')}.csv`).catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
              }}
            >
              {t('statements.csv')}
            </button>
          ),
        },
      ]
    : [];
  return (
    <>
      <DataTable
        testId={testId}
        rows={listFrom<Row>(data)}
        rowKey={idOf}
        columns={[
          { header: t('statements.partner'), cell: (r) => (typeof r.partnerName === 'string' ? r.partnerName : partnerName(text(r, 'partnerId', 'partner_id'))) },
          { header: t('statements.month'), cell: (r) => text(r, 'month') },
          { header: t('common.status'), cell: (r) => tEnum('status', text(r, 'status')) },
          { header: t('statements.revenue'), cell: (r) => money(r, 'revenueMicros', 'revenue_micros'), numeric: true },
          { header: t('statements.share'), cell: (r) => money(r, 'shareMicros', 'share_micros'), numeric: true },
          { header: t('statements.adjustment'), cell: (r) => money(r, 'adjustmentMicros', 'adjustment_micros'), numeric: true },
          ...csvColumn,
        ]}
      />
      <ErrorMessage message={error} />
    </>
  );
}
