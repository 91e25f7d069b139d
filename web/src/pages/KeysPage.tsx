import { useState } from 'react';
import { listFrom } from '../api/client.js';
import { endpoints, revokeKey } from '../api/endpoints.js';
import { idOf, text, type Row } from '../api/records.js';
import { useResource, type Resource } from '../api/useResource.js';
import { Card } from '../components/Card.js';
import { DataTable } from '../components/DataTable.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { NotAvailable } from '../components/NotAvailable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import { KeyForm } from '../panels/KeyForm.js';
import { useSession } from '../session/context.js';
import { UsagePanel } from '../panels/UsagePanel.js';

/** Keys and usage: customer API keys (create, list, revoke) and token usage from the ledger. */
export function KeysPage() {
  const { t, tEnum } = useI18n();
  const keys = useResource<unknown>(endpoints.keys);
  const channels = useResource<unknown>(endpoints.channels);
  const plans = useResource<unknown>(endpoints.plans);
  // Names where the row has an id; the id stays on hover.
  const named = (name: string | undefined, id: string) => <span title={id}>{name ?? id}</span>;
  // Until a list arrives its names are unknown: an ellipsis, not the raw id.
  const nameIn = (list: Resource<unknown>, id: string) => (list.status === 'loading' ? '…' : (listFrom<Row>(list.data).find((x) => x.id === id)?.name as string | undefined));
  const { client } = useSession();
  const [error, setError] = useState<string | null>(null);
  async function revoke(id: string) {
    if (!window.confirm(t('keys.revokeConfirm'))) return;
    try {
      await client.post(revokeKey(id), {});
      keys.reload();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }
  return (
    <div className="grid">
      <Card title={t('keys.title')} wide>
        {keys.status === 'unavailable' ? (
          <NotAvailable path={endpoints.keys} />
        ) : (
          <>
            <KeyForm onCreated={keys.reload} />
            <ErrorMessage message={error} />
            <ResourceView resource={keys} path={endpoints.keys}>
              {(data) => (
                <DataTable
                  testId="keys-table"
                  rows={listFrom<Row>(data)}
                  rowKey={idOf}
                  columns={[
                    { header: t('common.name'), cell: (r) => text(r, 'name') },
                    { header: t('keys.prefix'), cell: (r) => <code>{text(r, 'prefix')}</code> },
                    { header: t('keys.customer'), cell: (r) => named(typeof r.customer_name === 'string' ? r.customer_name : undefined, text(r, 'customerId', 'customer_id')) },
                    { header: t('keys.channel'), cell: (r) => named(nameIn(channels, text(r, 'channelId', 'channel_id')), text(r, 'channelId', 'channel_id')) },
                    { header: t('keys.plan'), cell: (r) => named(nameIn(plans, text(r, 'planId', 'plan_id')), text(r, 'planId', 'plan_id')) },
                    { header: t('common.status'), cell: (r) => tEnum('status', text(r, 'status')) },
                    { header: t('keys.created'), cell: (r) => text(r, 'createdAt', 'created_at').slice(0, 10) },
                    {
                      header: '',
                      cell: (r) =>
                        r.status === 'active' ? (
                          <button type="button" className="link-button" onClick={() => void revoke(text(r, 'id'))} data-testid="key-revoke">
                            {t('keys.revoke')}
                          </button>
                        ) : null,
                    },
                  ]}
                />
              )}
            </ResourceView>
          </>
        )}
      </Card>
      <Card title={t('keys.usage')} wide>
        <UsagePanel />
      </Card>
    </div>
  );
}
