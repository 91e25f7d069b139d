import { useState } from 'react';
import { portalInvoiceRoutes } from '../../../../src/shared/contract/billing.js';
import { addMonths } from '../../../../src/shared/month.js';
import { useRoute } from '../../api/useResource.js';
import { invoiceLabel, runningMonth } from '../../billing.js';
import { Field } from '../../components/Field.js';
import { ResourceView } from '../../components/ResourceView.js';
import { useI18n } from '../../i18n/context.js';
import { InvoiceLines } from './InvoiceLines.js';
import { InvoicesTable } from './InvoicesTable.js';
import { InvoiceTotals } from './InvoiceTotals.js';

/** One of the partner's invoices, read only: its lines and totals (`/api/portal/invoices/:id`). */
function PortalInvoice({ id }: { id: string }) {
  const { t } = useI18n();
  const invoice = useRoute(portalInvoiceRoutes.get, { params: { id } });
  return (
    <ResourceView resource={invoice} path={portalInvoiceRoutes.get.url}>
      {(inv) => (
        <div data-testid="invoice-view" data-invoice-id={inv.id}>
          <h3>{`${invoiceLabel(inv, t('billing.draftNumber'))} · ${inv.customerName} · ${inv.month}`}</h3>
          <InvoiceLines lines={inv.lines} />
          <InvoiceTotals invoice={inv} />
        </div>
      )}
    </ResourceView>
  );
}

/**
 * The partner portal's invoices of a month (the last ended one first): those addressed to the signed-in
 * partner for the customers it resells to (the server scopes them); a row opens its lines.
 */
export function PortalInvoices() {
  const { t } = useI18n();
  const [month, setMonth] = useState(() => addMonths(runningMonth(), -1));
  const invoices = useRoute(portalInvoiceRoutes.list, { query: { month } });
  const [selected, setSelected] = useState<string | null>(null);
  return (
    <>
      <Field label={t('billing.month')}>
        <input type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} data-testid="portal-invoices-month" />
      </Field>
      <ResourceView resource={invoices} path={portalInvoiceRoutes.list.url}>
        {(data) => (
          <>
            <InvoicesTable invoices={data.data} onOpen={(i) => setSelected(i.id)} />
            {selected ? <PortalInvoice id={selected} /> : data.data.length > 0 ? <p className="muted">{t('billing.pickInvoice')}</p> : null}
          </>
        )}
      </ResourceView>
    </>
  );
}
