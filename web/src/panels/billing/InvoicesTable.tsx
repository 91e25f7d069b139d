import type { InvoiceAnswer } from '../../../../src/shared/contract/billing.js';
import { invoiceLabel } from '../../billing.js';
import { DataTable } from '../../components/DataTable.js';
import { useI18n } from '../../i18n/context.js';
import { InvoiceStatusBadge } from './InvoiceStatusBadge.js';

/** A month's invoices: number (or "draft"), customer, who is billed, the money and the status; a row opens the invoice. */
export function InvoicesTable({ invoices, onOpen }: { invoices: readonly InvoiceAnswer[]; onOpen: (invoice: InvoiceAnswer) => void }) {
  const { t, tEnum, formatMoney } = useI18n();
  return (
    <DataTable
      testId="invoices-table"
      rows={invoices}
      rowKey={(r) => r.id}
      onRowClick={onOpen}
      columns={[
        { header: t('billing.number'), cell: (r) => <span data-testid={`invoice-row-${r.id}`}>{invoiceLabel(r, t('billing.draftNumber'))}</span> },
        { header: t('billing.customer'), cell: (r) => <span title={r.customerId}>{r.customerName}</span> },
        { header: t('billing.billTo'), cell: (r) => `${r.billTo.name} (${tEnum('billToKind', r.billTo.kind)})` },
        { header: t('billing.subtotal'), cell: (r) => formatMoney(r.subtotalMicros), numeric: true },
        { header: t('billing.tax'), cell: (r) => formatMoney(r.taxMicros), numeric: true },
        { header: t('billing.total'), cell: (r) => formatMoney(r.totalMicros), numeric: true },
        { header: t('billing.due'), cell: (r) => formatMoney(r.dueMicros), numeric: true },
        { header: t('common.status'), cell: (r) => <InvoiceStatusBadge status={r.status} /> },
      ]}
    />
  );
}
