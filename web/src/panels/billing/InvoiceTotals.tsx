import type { InvoiceAnswer } from '../../../../src/shared/contract/billing.js';
import type { MessageKey } from '../../i18n/en.js';
import { useI18n } from '../../i18n/context.js';

/** The money rows of an invoice, in the order they add up: usage + adjustments + fees − discounts = subtotal; + tax = total; − credits = due. */
const moneyRows: readonly (readonly [MessageKey, keyof InvoiceAnswer, string])[] = [
  ['billing.usage', 'usageMicros', 'usage'],
  ['billing.adjustments', 'adjustmentMicros', 'adjustment'],
  ['billing.fees', 'feesMicros', 'fees'],
  ['billing.discounts', 'discountMicros', 'discount'],
  ['billing.subtotal', 'subtotalMicros', 'subtotal'],
  ['billing.tax', 'taxMicros', 'tax'],
  ['billing.total', 'totalMicros', 'total'],
  ['billing.credits', 'creditsMicros', 'credits'],
  ['billing.due', 'dueMicros', 'due'],
];

/** An invoice's totals and token counts, each with a test id (`invoice-<name>`) the browser test reads. */
export function InvoiceTotals({ invoice }: { invoice: InvoiceAnswer }) {
  const { t, formatMoney, formatNumber } = useI18n();
  return (
    <dl className="kv" data-testid="invoice-totals">
      {moneyRows.map(([label, field, name]) => (
        <div key={name}>
          <dt>{label === 'billing.tax' ? t('billing.taxAt', { rate: `${formatNumber(invoice.taxRateBps / 100, 2)}%` }) : t(label)}</dt>
          <dd data-testid={`invoice-${name}`}>{formatMoney(invoice[field] as number)}</dd>
        </div>
      ))}
      <div>
        <dt>{t('billing.tokens')}</dt>
        <dd data-testid="invoice-tokens">{t('billing.tokensValue', { used: formatNumber(invoice.usedTokens), included: formatNumber(invoice.includedTokens), overage: formatNumber(invoice.overageTokens) })}</dd>
      </div>
    </dl>
  );
}
