import { listFrom } from '../api/client.js';
import { idOf, num, text, type Row } from '../api/records.js';
import { DataTable } from '../components/DataTable.js';
import { useI18n } from '../i18n/context.js';

/** Monthly revenue-share statements (admin: all partners; portal: the partner's own). */
export function StatementsTable({ data, testId, partnerName = (id) => id }: { data: unknown; testId?: string; partnerName?: (id: string) => string }) {
  const { t, tEnum, formatMoney } = useI18n();
  const money = (r: Row, ...names: string[]) => formatMoney(num(r, ...names) ?? 0);
  return (
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
      ]}
    />
  );
}
