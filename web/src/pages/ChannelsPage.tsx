import { listFrom } from '../api/client.js';
import { endpoints } from '../api/endpoints.js';
import { idOf, num, text, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { SankeyChart } from '../charts/SankeyChart.js';
import { Card } from '../components/Card.js';
import { DataTable } from '../components/DataTable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import { fromMicros } from '../money.js';

/** Channels: the channel map as a Sankey of revenue flow (channel → partner → segment), channels and price plans. */
export function ChannelsPage() {
  const { t, formatNumber } = useI18n();
  const flow = useResource<unknown>(endpoints.revenueFlow);
  const channels = useResource<unknown>(endpoints.channels);
  const plans = useResource<unknown>(endpoints.plans);
  return (
    <div className="grid">
      <Card title={t('channels.map')} wide testId="channel-map">
        <p className="muted small">{t('channels.mapHint')}</p>
        <ResourceView resource={flow} path={endpoints.revenueFlow}>
          {(data) => (
            <SankeyChart
              flows={listFrom<Row>(data)
                .map((f) => ({ source: text(f, 'source', 'from'), target: text(f, 'target', 'to'), value: fromMicros(num(f, 'revenueMicros', 'valueMicros', 'value') ?? 0) }))
                .filter((f) => f.value > 0)}
              label={t('channels.map')}
            />
          )}
        </ResourceView>
      </Card>
      <Card title={t('channels.list')} wide>
        <ResourceView resource={channels} path={endpoints.channels}>
          {(data) => (
            <DataTable
              testId="channels-table"
              rows={listFrom<Row>(data)}
              rowKey={idOf}
              columns={[
                { header: t('common.name'), cell: (r) => text(r, 'name') },
                { header: t('channels.type'), cell: (r) => text(r, 'type') },
                { header: t('channels.plan'), cell: (r) => text(r, 'defaultPlanId', 'default_plan_id', 'planId') },
                { header: t('channels.owner'), cell: (r) => text(r, 'ownerPartnerId', 'owner_partner_id') },
                { header: t('channels.margin'), cell: (r) => `${text(r, 'marginKind', 'margin_kind')} ${formatNumber((num(r, 'marginBps', 'margin_bps') ?? 0) / 100, 2)}%`, numeric: true },
                { header: t('common.status'), cell: (r) => text(r, 'status') },
              ]}
            />
          )}
        </ResourceView>
      </Card>
      <Card title={t('channels.plans')} wide>
        <ResourceView resource={plans} path={endpoints.plans}>
          {(data) => (
            <DataTable
              rows={listFrom<Row>(data)}
              rowKey={idOf}
              columns={[
                { header: t('common.name'), cell: (r) => text(r, 'name') },
                { header: t('channels.inputPrice'), cell: (r) => formatNumber(fromMicros(num(r, 'inputPer1mMicros', 'input_per_1m_micros') ?? 0), 4), numeric: true },
                { header: t('channels.outputPrice'), cell: (r) => formatNumber(fromMicros(num(r, 'outputPer1mMicros', 'output_per_1m_micros') ?? 0), 4), numeric: true },
                { header: t('channels.monthlyFee'), cell: (r) => formatNumber(fromMicros(num(r, 'monthlyFeeMicros', 'monthly_fee_micros') ?? 0), 2), numeric: true },
                { header: t('channels.rpm'), cell: (r) => text(r, 'rpmLimit', 'rpm_limit'), numeric: true },
              ]}
            />
          )}
        </ResourceView>
      </Card>
    </div>
  );
}
