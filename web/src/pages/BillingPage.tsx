import { useState } from 'react';
import { invoiceRoutes, invoiceStatuses, type InvoiceAnswer } from '../../../src/shared/contract/billing.js';
import { addMonths } from '../../../src/shared/month.js';
import { useRoute } from '../api/useResource.js';
import { monthHasEnded, runningMonth } from '../billing.js';
import { Card } from '../components/Card.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Field } from '../components/Field.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import { BilledRevenueCharts } from '../panels/billing/BilledRevenueCharts.js';
import { CreditPanel } from '../panels/billing/CreditPanel.js';
import { InvoicesTable } from '../panels/billing/InvoicesTable.js';
import { InvoiceView } from '../panels/billing/InvoiceView.js';
import { ReconciliationPanel } from '../panels/billing/ReconciliationPanel.js';
import { CustomerPicker } from '../panels/CustomerPicker.js';
import { useSession } from '../session/context.js';
import { useMayCall } from '../session/mayCall.js';
import { useAction } from '../api/useAction.js';

type InvoiceStatus = InvoiceAnswer['status'];

/**
 * Billing: a month's invoices by status (drafts for customers not yet final), one invoice with its lines
 * and actions, finalising the month, the month's reconciliation with the ledger, KPIs and statements,
 * billed revenue by channel and partner, and a customer's prepaid credit with its top-up form.
 */
export function BillingPage() {
  const { t, tEnum } = useI18n();
  // The last ended month is the one usually finalised; the running one is a draft.
  const [month, setMonth] = useState(() => addMonths(runningMonth(), -1));
  const [status, setStatus] = useState<InvoiceStatus | ''>('');
  const [selected, setSelected] = useState<string | null>(null);
  // Whose credit is shown: picked in the credit card, or the customer of the invoice opened last.
  const [creditCustomer, setCreditCustomer] = useState<{ id: string; name: string | null }>({ id: '', name: null });
  // The month's whole list, filtered here by status: the reconciliation names every customer from it.
  const invoices = useRoute(invoiceRoutes.list, { query: { month } });
  const customerName = (id: string): string => invoices.data?.data.find((i) => i.customerId === id)?.customerName ?? id;
  const open = (invoice: InvoiceAnswer) => {
    setSelected(invoice.id);
    setCreditCustomer({ id: invoice.customerId, name: invoice.customerName });
  };

  return (
    <div className="grid">
      <Card title={t('billing.invoices')} wide testId="billing-invoices">
        <div className="form-row">
          <Field label={t('billing.month')}>
            <input type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} data-testid="billing-month" />
          </Field>
          <Field label={t('common.status')}>
            <select value={status} onChange={(e) => setStatus(e.target.value as InvoiceStatus | '')} data-testid="billing-status">
              <option value="">{t('billing.allStatuses')}</option>
              {invoiceStatuses.map((s) => (
                <option key={s} value={s}>
                  {tEnum('invoiceStatus', s)}
                </option>
              ))}
            </select>
          </Field>
          <FinalizeMonth month={month} onDone={invoices.reload} />
        </div>
        <ResourceView resource={invoices} path={invoiceRoutes.list.url}>
          {(data) => <InvoicesTable invoices={status ? data.data.filter((i) => i.status === status) : data.data} onOpen={open} />}
        </ResourceView>
      </Card>
      <Card title={t('billing.invoice')} wide testId="billing-invoice">
        {selected ? (
          <InvoiceView
            id={selected}
            onChanged={(invoice) => {
              setSelected(invoice.id);
              invoices.reload();
            }}
          />
        ) : (
          <p className="muted">{t('billing.pickInvoice')}</p>
        )}
      </Card>
      <Card title={t('billing.reconciliation', { month })} wide testId="billing-reconciliation">
        <ReconciliationPanel month={month} customerName={customerName} />
      </Card>
      <Card title={t('billing.creditTitle')} wide testId="billing-credits">
        <CustomerPicker value={creditCustomer.id} onChange={(id) => setCreditCustomer({ id, name: null })} testId="credit-customer" />
        {creditCustomer.name ? <p data-testid="credit-customer-name">{t('billing.creditOf', { name: creditCustomer.name })}</p> : null}
        {creditCustomer.id ? <CreditPanel customerId={creditCustomer.id} /> : <p className="muted">{t('billing.pickCustomer')}</p>}
      </Card>
      <Card title={t('billing.revenue')} wide testId="billing-revenue">
        <BilledRevenueCharts />
      </Card>
    </div>
  );
}

/**
 * Finalises every invoice of the chosen month (POST /api/invoices/finalize). A month that has not ended is
 * said to be so beside the button; the server refuses it, and its message is shown as it answers.
 */
function FinalizeMonth({ month, onDone }: { month: string; onDone: () => void }) {
  const { t, formatNumber } = useI18n();
  const { client } = useSession();
  const may = useMayCall(invoiceRoutes.finalize);
  const { busy, error, run } = useAction();
  const [note, setNote] = useState<string | null>(null);

  const finalize = () => {
    setNote(null);
    return run(async () => {
      const done = await client.call(invoiceRoutes.finalize, { body: { month } });
      setNote(t('billing.finalised', { n: formatNumber(done.data.length), month }));
      onDone();
    });
  };

  return (
    <div>
      <button type="button" className="primary" disabled={busy || !may} onClick={() => void finalize()} data-testid="billing-finalize">
        {busy ? t('common.working') : t('billing.finalizeMonth', { month })}
      </button>
      {monthHasEnded(month) ? null : (
        <p className="muted small" data-testid="billing-month-running">
          {t('billing.monthRunning', { month })}
        </p>
      )}
      {note ? <p className="ok" data-testid="billing-finalize-note">{note}</p> : null}
      <div data-testid="billing-finalize-error">
        <ErrorMessage message={error} />
      </div>
    </div>
  );
}
