import { useState } from 'react';
import { gatewayAdminRoutes } from '../../../src/shared/contract/gateway.js';
import { channelRoutes } from '../../../src/shared/contract/channels.js';
import { useRoute } from '../api/useResource.js';
import { Card } from '../components/Card.js';
import { DataTable } from '../components/DataTable.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { NotAvailable } from '../components/NotAvailable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import { CustomersPanel } from '../panels/CustomersPanel.js';
import { KeyForm } from '../panels/KeyForm.js';
import { useSession } from '../session/context.js';
import { UsagePanel } from '../panels/UsagePanel.js';

/** Keys and usage: customer API keys (create, list, revoke), customers (export, erase) and token usage from the ledger. */
export function KeysPage() {
  const { t, tEnum } = useI18n();
  const keys = useRoute(gatewayAdminRoutes.listKeys, {});
  const channels = useRoute(channelRoutes.list, {});
  const plans = useRoute(gatewayAdminRoutes.listPlans, {});
  // Names where the row has an id; the id stays on hover.
  const named = (name: string | null | undefined, id: string) => <span title={id}>{name ?? id}</span>;
  // Until a list arrives its names are unknown: an ellipsis, not the raw id.
  const channelName = (id: string) => (channels.status === 'loading' ? '…' : channels.data?.data.find((x) => x.id === id)?.name);
  const planName = (id: string) => (plans.status === 'loading' ? '…' : plans.data?.data.find((p) => p.id === id)?.name);
  const { client } = useSession();
  const [error, setError] = useState<string | null>(null);
  async function revoke(id: string) {
    if (!window.confirm(t('keys.revokeConfirm'))) return;
    try {
      await client.call(gatewayAdminRoutes.revokeKey, { params: { id } });
      keys.reload();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }
  return (
    <div className="grid">
      <Card title={t('keys.title')} wide>
        {keys.status === 'unavailable' ? (
          <NotAvailable path={gatewayAdminRoutes.listKeys.url} />
        ) : (
          <>
            <KeyForm onCreated={keys.reload} />
            <ErrorMessage message={error} />
            <ResourceView resource={keys} path={gatewayAdminRoutes.listKeys.url}>
              {(data) => (
                <DataTable
                  testId="keys-table"
                  rows={data.data}
                  rowKey={(k) => k.id}
                  columns={[
                    { header: t('common.name'), cell: (k) => k.name || '—' },
                    { header: t('keys.prefix'), cell: (k) => <code>{k.prefix}</code> },
                    { header: t('keys.customer'), cell: (k) => named(k.customerName, k.customerId) },
                    { header: t('keys.channel'), cell: (k) => named(channelName(k.channelId), k.channelId) },
                    { header: t('keys.plan'), cell: (k) => named(planName(k.planId), k.planId) },
                    { header: t('common.status'), cell: (k) => tEnum('status', k.status) },
                    { header: t('keys.created'), cell: (k) => k.createdAt.slice(0, 10) },
                    {
                      header: '',
                      cell: (k) =>
                        k.status === 'active' ? (
                          <button type="button" className="link-button" onClick={() => void revoke(k.id)} data-testid="key-revoke">
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
      <Card title={t('customers.title')} wide>
        <CustomersPanel onErased={keys.reload} />
      </Card>
      <Card title={t('keys.usage')} wide>
        <UsagePanel />
      </Card>
    </div>
  );
}
