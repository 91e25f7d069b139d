import { listFrom } from '../api/client.js';
import { endpoints } from '../api/endpoints.js';
import { idOf, num, text, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { TrendChart } from '../charts/TrendChart.js';
import { Card } from '../components/Card.js';
import { DataTable } from '../components/DataTable.js';
import { NotAvailable } from '../components/NotAvailable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import { KeyForm } from '../panels/KeyForm.js';

/** Keys and usage: customer API keys (create, list) and token usage from the ledger. */
export function KeysPage() {
  const { t } = useI18n();
  const keys = useResource<unknown>(endpoints.keys);
  const usage = useResource<unknown>(endpoints.usage);
  return (
    <div className="grid">
      <Card title={t('keys.title')} wide>
        {keys.status === 'unavailable' ? (
          <NotAvailable path={endpoints.keys} />
        ) : (
          <>
            <KeyForm onCreated={keys.reload} />
            <ResourceView resource={keys} path={endpoints.keys}>
              {(data) => (
                <DataTable
                  testId="keys-table"
                  rows={listFrom<Row>(data)}
                  rowKey={idOf}
                  columns={[
                    { header: t('common.name'), cell: (r) => text(r, 'name') },
                    { header: t('keys.prefix'), cell: (r) => <code>{text(r, 'prefix')}</code> },
                    { header: t('keys.customer'), cell: (r) => text(r, 'customerId', 'customer_id') },
                    { header: t('keys.channel'), cell: (r) => text(r, 'channelId', 'channel_id') },
                    { header: t('keys.plan'), cell: (r) => text(r, 'planId', 'plan_id') },
                    { header: t('common.status'), cell: (r) => text(r, 'status') },
                    { header: t('keys.created'), cell: (r) => text(r, 'createdAt', 'created_at').slice(0, 10) },
                  ]}
                />
              )}
            </ResourceView>
          </>
        )}
      </Card>
      <Card title={t('keys.usage')} wide>
        <ResourceView resource={usage} path={endpoints.usage}>
          {(data) => {
            const days = listFrom<Row>(data);
            return (
              <TrendChart
                labels={days.map((d) => text(d, 'day', 'date', 'month'))}
                series={[
                  { name: t('keys.inputTokens'), values: days.map((d) => num(d, 'inputTokens', 'input_tokens', 'promptTokens')) },
                  { name: t('keys.outputTokens'), values: days.map((d) => num(d, 'outputTokens', 'output_tokens', 'completionTokens')) },
                ]}
                area
                label={t('keys.usage')}
              />
            );
          }}
        </ResourceView>
      </Card>
    </div>
  );
}
