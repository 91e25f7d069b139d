import type { InvoiceAnswer } from '../../../../src/shared/contract/billing.js';
import { useI18n } from '../../i18n/context.js';

/** An invoice's status as a coloured badge (styles.css `.badge.invoice-<status>`), in the reader's language. */
export function InvoiceStatusBadge({ status, testId }: { status: InvoiceAnswer['status']; testId?: string }) {
  const { tEnum } = useI18n();
  return (
    <span className={`badge invoice-${status}`} data-status={status} data-testid={testId}>
      {tEnum('invoiceStatus', status)}
    </span>
  );
}
