import type { InvoiceLine } from '../../../../src/shared/contract/billing.js';
import { lineQuantity, lineUnitPrice, lineWording } from '../../billing.js';
import { DataTable } from '../../components/DataTable.js';
import { useI18n } from '../../i18n/context.js';

/** Every line of an invoice: kind, month, what it is (worded in the reader's language), quantity, unit price, amount. */
export function InvoiceLines({ lines }: { lines: readonly InvoiceLine[] }) {
  const { t, tEnum, formatMoney, formatNumber } = useI18n();
  const tokenKind = (kind: string) => tEnum('tokenKind', kind);
  const unitPrice = (line: InvoiceLine): string => {
    const price = lineUnitPrice(line);
    if (price.kind === 'none') return '—';
    if (price.kind === 'rate') return `${formatNumber(price.bps / 100, 2)}%`;
    return price.per ? `${formatMoney(price.micros)} ${t(price.per)}` : formatMoney(price.micros);
  };
  return (
    <DataTable
      testId="invoice-lines"
      rows={lines}
      rowKey={(_, i) => String(i)}
      pageSize={500}
      columns={[
        { header: t('billing.lineKind'), cell: (l) => tEnum('invoiceLineKind', l.kind) },
        { header: t('billing.month'), cell: (l) => l.month },
        {
          header: t('billing.description'),
          cell: (l) => {
            const w = lineWording(l, tokenKind, formatNumber);
            return <span title={l.description}>{t(w.key, w.vars)}</span>;
          },
        },
        {
          header: t('billing.quantity'),
          cell: (l) => {
            const q = lineQuantity(l, formatNumber);
            return t(q.key, q.vars);
          },
          numeric: true,
        },
        { header: t('billing.unitPrice'), cell: unitPrice, numeric: true },
        { header: t('billing.amount'), cell: (l) => <span data-testid="invoice-line-amount">{formatMoney(l.amountMicros)}</span>, numeric: true },
      ]}
    />
  );
}
