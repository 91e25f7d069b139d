import { billingRoutes } from '../../../../src/shared/contract/billing.js';
import { useRoute } from '../../api/useResource.js';
import { DataTable } from '../../components/DataTable.js';
import { ResourceView } from '../../components/ResourceView.js';
import { useI18n } from '../../i18n/context.js';

/** ✓ or ✗ with the words for a screen reader and the test. */
function Match({ ok, testId }: { ok: boolean; testId?: string }) {
  const { t } = useI18n();
  return (
    <span className={ok ? 'ok' : 'warning'} data-testid={testId} data-matches={String(ok)} title={ok ? t('billing.matches') : t('billing.mismatch')}>
      {ok ? '✓' : '✗'}
    </span>
  );
}

/**
 * A month's invoices against the ledger, the KPIs and the revenue-share statements
 * (GET /api/billing/reconciliation): the invoiced subtotal beside the expected one, then customer by
 * customer, mismatches first. `customerName` names a customer id (from the month's invoices).
 */
export function ReconciliationPanel({ month, customerName }: { month: string; customerName: (id: string) => string }) {
  const { t, formatMoney, formatNumber } = useI18n();
  const recon = useRoute(billingRoutes.reconciliation, { query: { month } });
  return (
    <ResourceView resource={recon} path={billingRoutes.reconciliation.url}>
      {(r) => {
        const mismatched = new Set(r.mismatches.map((c) => c.customerId));
        const customers = [...r.customers].sort((a, b) => Number(mismatched.has(b.customerId)) - Number(mismatched.has(a.customerId)));
        return (
          <div data-testid="reconciliation">
            <p data-testid="reconciliation-summary">
              <Match ok={r.matches} testId="reconciliation-matches" />{' '}
              {r.matches ? t('billing.reconciled', { month: r.month }) : t('billing.notReconciled', { month: r.month, n: formatNumber(r.mismatches.length) })}
            </p>
            <dl className="kv">
              <div>
                <dt>{t('billing.invoicedSubtotal')}</dt>
                <dd data-testid="reconciliation-invoiced">{formatMoney(r.invoicedSubtotalMicros)}</dd>
              </div>
              <div>
                <dt>{t('billing.expectedSubtotal')}</dt>
                <dd data-testid="reconciliation-expected">{formatMoney(r.expectedSubtotalMicros)}</dd>
              </div>
              <div>
                <dt>{t('billing.ledger')}</dt>
                <dd data-testid="reconciliation-ledger">{formatMoney(r.ledgerMicros)}</dd>
              </div>
              <div>
                <dt>{t('billing.invoicedUsage')}</dt>
                <dd>{formatMoney(r.invoicedUsageMicros)}</dd>
              </div>
              <div>
                <dt>{t('billing.kpiRevenue')}</dt>
                <dd data-testid="reconciliation-kpi">{formatMoney(r.kpiMicros)}</dd>
              </div>
              <div>
                <dt>{t('billing.statementRevenue')}</dt>
                <dd>{formatMoney(r.statementMicros)}</dd>
              </div>
              <div>
                <dt>{t('billing.fees')}</dt>
                <dd>{formatMoney(r.feesMicros)}</dd>
              </div>
              <div>
                <dt>{t('billing.discounts')}</dt>
                <dd>{formatMoney(r.discountMicros)}</dd>
              </div>
              <div>
                <dt>{t('billing.invoiceCounts')}</dt>
                <dd>{t('billing.invoiceCountsValue', { final: formatNumber(r.finalInvoices), draft: formatNumber(r.draftInvoices) })}</dd>
              </div>
            </dl>
            <DataTable
              testId="reconciliation-customers"
              rows={customers}
              rowKey={(c) => c.customerId}
              pageSize={10}
              columns={[
                { header: t('billing.customer'), cell: (c) => <span title={c.customerId}>{customerName(c.customerId)}</span> },
                { header: t('billing.ledger'), cell: (c) => formatMoney(c.ledgerMicros), numeric: true },
                { header: t('billing.invoicedUsage'), cell: (c) => formatMoney(c.invoicedMicros), numeric: true },
                { header: t('billing.kpiRevenue'), cell: (c) => formatMoney(c.kpiMicros), numeric: true },
                { header: t('billing.partnerLedger'), cell: (c) => formatMoney(c.partnerLedgerMicros), numeric: true },
                { header: t('billing.statementRevenue'), cell: (c) => formatMoney(c.statementMicros), numeric: true },
                { header: t('billing.matches'), cell: (c) => <Match ok={c.matches} /> },
              ]}
            />
          </div>
        );
      }}
    </ResourceView>
  );
}
