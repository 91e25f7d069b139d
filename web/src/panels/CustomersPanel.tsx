import { useEffect, useState } from 'react';
import { customerRoutes, type Customer } from '../../../src/shared/contract/customers.js';
import { useRoute } from '../api/useResource.js';
import { DataTable } from '../components/DataTable.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import { useSession } from '../session/context.js';

/** How many customers one search shows; the server counts the rest. */
const MATCHES = 50;

/** Saves a JSON answer as a file the browser downloads. */
function download(name: string, value: unknown): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

/**
 * Customers (privacy): search by name, e-mail or id; an erased customer is shown as erased (its name is
 * the pseudonym, its personal fields are gone). Each row exports the customer's data as JSON or erases it
 * after a confirmation.
 */
export function CustomersPanel({ onErased }: { onErased?: () => void }) {
  const { t, tEnum } = useI18n();
  const { client } = useSession();
  const [query, setQuery] = useState('');
  const [debounced, setDebounced] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(query.trim()), 250);
    return () => clearTimeout(timer);
  }, [query]);
  const customers = useRoute(customerRoutes.list, { query: { ...(debounced ? { q: debounced } : {}), limit: MATCHES } });

  async function exportData(c: Customer) {
    setError(null);
    try {
      download(`${c.id}.json`, await client.call(customerRoutes.exportData, { params: { id: c.id } }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  async function erase(c: Customer) {
    if (!window.confirm(t('customers.eraseConfirm', { name: c.name }))) return;
    setError(null);
    try {
      const r = await client.call(customerRoutes.erase, { params: { id: c.id }, body: { confirm: true } });
      setNote(t('customers.erasedDone', { name: c.name, keys: String(r.revokedKeys) }));
      customers.reload();
      onErased?.();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <div>
      <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('customers.search')} aria-label={t('customers.search')} data-testid="customers-search" />
      {note ? <p data-testid="customers-note">{note}</p> : null}
      <ErrorMessage message={error} />
      <ResourceView resource={customers} path={customerRoutes.list.url}>
        {(page) => (
          <DataTable
            testId="customers-table"
            rows={page.data}
            rowKey={(c) => c.id}
            columns={[
              { header: t('common.name'), cell: (c) => <span title={c.id}>{c.name}</span> },
              { header: t('customers.email'), cell: (c) => c.email ?? '—' },
              {
                header: t('common.status'),
                cell: (c) => (c.erasedAt ? <span className="badge" data-testid="customer-erased">{t('customers.erased', { date: c.erasedAt.slice(0, 10) })}</span> : tEnum('status', c.status)),
              },
              {
                header: '',
                cell: (c) => (
                  <>
                    <button type="button" className="link-button" onClick={() => void exportData(c)} data-testid="customer-export">{t('customers.export')}</button>{' '}
                    {c.erasedAt ? null : <button type="button" className="link-button" onClick={() => void erase(c)} data-testid="customer-erase">{t('customers.erase')}</button>}
                  </>
                ),
              },
            ]}
          />
        )}
      </ResourceView>
    </div>
  );
}
