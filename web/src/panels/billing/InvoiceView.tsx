import { useState } from 'react';
import { invoiceRoutes, type InvoiceAnswer } from '../../../../src/shared/contract/billing.js';
import { pathOf } from '../../../../src/shared/contract/route.js';
import { downloadFile } from '../../api/download.js';
import { useRoute } from '../../api/useResource.js';
import { invoiceActions, invoiceLabel } from '../../billing.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { ResourceView } from '../../components/ResourceView.js';
import { useI18n } from '../../i18n/context.js';
import { useSession } from '../../session/context.js';
import { useMayCall } from '../../session/mayCall.js';
import { InvoiceLines } from './InvoiceLines.js';
import { InvoiceStatusBadge } from './InvoiceStatusBadge.js';
import { InvoiceTotals } from './InvoiceTotals.js';
import { messageOf, useAction } from '../../api/useAction.js';

/**
 * One invoice (a final id or a draft id) with every line and its totals, and what may be done with it:
 * finalise a draft (its month must have ended: the server says so otherwise), mark a final one paid, void
 * it with a reason; download its CSV or its PDF in English or 简体中文. `onChanged` gets the invoice after a
 * change (a finalised draft comes back under its new id).
 */
export function InvoiceView({ id, onChanged }: { id: string; onChanged: (invoice: InvoiceAnswer) => void }) {
  const { t, tEnum } = useI18n();
  const invoice = useRoute(invoiceRoutes.get, { params: { id } });
  return (
    <ResourceView resource={invoice} path={invoiceRoutes.get.url}>
      {(inv) => (
        <div data-testid="invoice-view" data-invoice-id={inv.id}>
          <dl className="kv">
            <div>
              <dt>{t('billing.number')}</dt>
              <dd data-testid="invoice-number">{invoiceLabel(inv, t('billing.draftNumber'))}</dd>
            </div>
            <div>
              <dt>{t('billing.customer')}</dt>
              <dd>{inv.customerName}</dd>
            </div>
            <div>
              <dt>{t('billing.billTo')}</dt>
              <dd>{`${inv.billTo.name} (${tEnum('billToKind', inv.billTo.kind)})`}</dd>
            </div>
            <div>
              <dt>{t('billing.month')}</dt>
              <dd>{inv.month}</dd>
            </div>
            <div>
              <dt>{t('common.status')}</dt>
              <dd>
                <InvoiceStatusBadge status={inv.status} testId="invoice-status" />
              </dd>
            </div>
            {inv.voidReason ? (
              <div>
                <dt>{t('billing.voidReason')}</dt>
                <dd data-testid="invoice-void-reason">{inv.voidReason}</dd>
              </div>
            ) : null}
          </dl>
          <InvoiceLines lines={inv.lines} />
          <InvoiceTotals invoice={inv} />
          <InvoiceActions
            invoice={inv}
            onChanged={(next) => {
              invoice.reload();
              onChanged(next);
            }}
          />
        </div>
      )}
    </ResourceView>
  );
}

/** The buttons of one invoice; write buttons are disabled for a role that may not use them. */
function InvoiceActions({ invoice, onChanged }: { invoice: InvoiceAnswer; onChanged: (invoice: InvoiceAnswer) => void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const { busy, error, setError, run } = useAction();
  const [voiding, setVoiding] = useState(false);
  const [reason, setReason] = useState('');
  const may = { finalize: useMayCall(invoiceRoutes.finalize), pay: useMayCall(invoiceRoutes.pay), void: useMayCall(invoiceRoutes.void) };
  const can = invoiceActions(invoice.status);
  const params = { id: invoice.id };

  const attempt = (action: () => Promise<InvoiceAnswer>) =>
    run(async () => {
      const next = await action();
      setVoiding(false);
      setReason('');
      onChanged(next);
    });

  const finalize = async (): Promise<InvoiceAnswer> => {
    const done = await client.call(invoiceRoutes.finalize, { body: { month: invoice.month, customerId: invoice.customerId } });
    const mine = done.data.find((i) => i.customerId === invoice.customerId);
    if (!mine) throw new Error(t('billing.notFinalised'));
    return mine;
  };
  const download = (path: string, filename: string) => {
    setError(null);
    downloadFile(() => client.request('GET', path), filename).catch((err: unknown) => setError(messageOf(err)));
  };
  const file = invoice.number ?? invoice.id;

  return (
    <>
      <div className="form-row">
        {can.finalize ? (
          <button type="button" className="primary" disabled={busy || !may.finalize} onClick={() => void attempt(finalize)} data-testid="invoice-finalize">
            {t('billing.finalizeInvoice')}
          </button>
        ) : null}
        {can.pay ? (
          <button type="button" className="primary" disabled={busy || !may.pay} onClick={() => void attempt(() => client.call(invoiceRoutes.pay, { params, body: {} }))} data-testid="invoice-pay">
            {t('billing.markPaid')}
          </button>
        ) : null}
        {can.void ? (
          <button type="button" disabled={busy || !may.void} onClick={() => setVoiding(!voiding)} data-testid="invoice-void">
            {t('billing.void')}
          </button>
        ) : null}
        <button type="button" onClick={() => download(pathOf(invoiceRoutes.csv, params), `${file}.csv`)} data-testid="invoice-csv">
          {t('billing.csv')}
        </button>
        <button type="button" onClick={() => download(pathOf(invoiceRoutes.pdf, params, { lang: 'en' }), `${file}.en.pdf`)} data-testid="invoice-pdf-en">
          {t('billing.pdfEn')}
        </button>
        <button type="button" onClick={() => download(pathOf(invoiceRoutes.pdf, params, { lang: 'zh' }), `${file}.zh.pdf`)} data-testid="invoice-pdf-zh">
          {t('billing.pdfZh')}
        </button>
      </div>
      {voiding ? (
        <form
          className="form-row"
          onSubmit={(e) => {
            e.preventDefault();
            void attempt(() => client.call(invoiceRoutes.void, { params, body: { reason: reason.trim() } }));
          }}
        >
          <Field label={t('billing.voidReason')} hint={t('billing.voidHint')}>
            <input value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} data-testid="invoice-void-reason-input" />
          </Field>
          <button type="submit" className="primary" disabled={busy || reason.trim() === ''} data-testid="invoice-void-confirm">
            {t('billing.voidConfirm')}
          </button>
        </form>
      ) : null}
      <div data-testid="invoice-error">
        <ErrorMessage message={error} />
      </div>
    </>
  );
}
