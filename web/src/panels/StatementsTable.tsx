import { useState } from 'react';
import type { StatementAnswer } from '../../../src/shared/contract/partners.js';
import { downloadFile } from '../api/download.js';
import { DataTable } from '../components/DataTable.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useI18n } from '../i18n/context.js';
import { useSession } from '../session/context.js';

/**
 * Monthly revenue-share statements (admin: all partners; portal: the partner's own), each with its CSV
 * (`csvPath`: /api/statements/:id/csv or /api/portal/statements/:id/csv; money there is exact decimals).
 */
export function StatementsTable({ statements, testId, partnerName = (id) => id, csvPath, onHistory }: { statements: readonly StatementAnswer[]; testId?: string; partnerName?: (id: string) => string; csvPath?: (id: string) => string; onHistory?: (id: string) => void }) {
  const { t, tEnum, formatMoney } = useI18n();
  const { client } = useSession();
  const [error, setError] = useState<string | null>(null);
  const csvColumn = csvPath
    ? [
        {
          header: t('statements.csv'),
          cell: (r: StatementAnswer) => (
            <button
              type="button"
              data-testid={`statement-csv-${r.id}`}
              aria-label={t('statements.downloadCsv', { month: r.month })}
              onClick={() => {
                setError(null);
                downloadFile(() => client.request('GET', csvPath(r.id)), `${r.id}.csv`).catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
              }}
            >
              {t('statements.csv')}
            </button>
          ),
        },
      ]
    : [];
  // Administrators see who computed and finalised each statement (its audit history, /api/audit).
  const historyColumn = onHistory
    ? [
        {
          header: t('statements.history'),
          cell: (r: StatementAnswer) => (
            <button type="button" data-testid={`statement-history-${r.id}`} aria-label={t('statements.showHistory', { month: r.month })} onClick={() => onHistory(r.id)}>
              {t('statements.history')}
            </button>
          ),
        },
      ]
    : [];
  return (
    <>
      <DataTable
        testId={testId}
        rows={statements}
        rowKey={(r) => r.id}
        columns={[
          { header: t('statements.partner'), cell: (r) => partnerName(r.partnerId) },
          { header: t('statements.month'), cell: (r) => r.month },
          { header: t('common.status'), cell: (r) => tEnum('status', r.status) },
          { header: t('statements.revenue'), cell: (r) => formatMoney(r.revenueMicros), numeric: true },
          { header: t('statements.share'), cell: (r) => formatMoney(r.shareMicros), numeric: true },
          { header: t('statements.adjustment'), cell: (r) => formatMoney(r.adjustmentMicros), numeric: true },
          ...csvColumn,
          ...historyColumn,
        ]}
      />
      <ErrorMessage message={error} />
    </>
  );
}
