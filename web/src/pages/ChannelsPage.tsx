import { listFrom } from '../api/client.js';
import { endpoints } from '../api/endpoints.js';
import { idOf, num, text, type Row } from '../api/records.js';
import { useResource, type Resource } from '../api/useResource.js';
import { SankeyChart } from '../charts/SankeyChart.js';
import { Card } from '../components/Card.js';
import { DataTable } from '../components/DataTable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import { channelFlows } from '../panels/channelFlows.js';

/** Channels: the channel map (this month) as a Sankey of revenue flow, the channels and the price plans. */
export function ChannelsPage() {
  const { t, tEnum, formatNumber, formatMoney } = useI18n();
  const flow = useResource<unknown>(endpoints.channelMap);
  const channels = useResource<unknown>(endpoints.channels);
  const plans = useResource<unknown>(endpoints.plans);
  const partners = useResource<unknown>(endpoints.partners);
  // Until a list arrives its names are unknown: an ellipsis, not the raw id (the id stays for rows the list lacks).
  const nameOf = (list: Resource<unknown>, id: string): string => (id === '—' ? id : list.status === 'loading' ? '…' : ((listFrom<Row>(list.data).find((x) => x.id === id)?.name as string | undefined) ?? id));
  return (
    <div className="grid">
      <Card title={t('channels.map')} wide testId="channel-map">
        <p className="muted small">{t('channels.mapHint')}</p>
        <ResourceView resource={flow} path={endpoints.channelMap}>
          {(data) => {
            const flows = channelFlows(data, { noChannel: t('channels.noChannel'), channelMargin: t('channels.flowMargin'), costToServe: t('channels.flowCost'), net: t('channels.flowNet'), typeOf: (type) => t('channels.typeNode', { type: tEnum('channelType', type) }) });
            const entries = listFrom<Row>((data as Row | null)?.entries ?? []);
            return (
              <>
                {flows.length > 0 ? <SankeyChart flows={flows} label={t('channels.map')} /> : <p className="muted">{t('channels.noRevenue')}</p>}
                <DataTable
                  testId="channel-map-table"
                  rows={entries}
                  rowKey={(r, i) => text((r.channel ?? {}) as Row, 'id') + i}
                  columns={[
                    { header: t('allocator.channel'), cell: (r) => (r.channel ? text(r.channel as Row, 'name') : t('channels.noChannel')) },
                    { header: t('channels.customers'), cell: (r) => formatNumber(num(r, 'customers') ?? 0), numeric: true },
                    { header: t('channels.activeKeys'), cell: (r) => formatNumber(num(r, 'activeKeys') ?? 0), numeric: true },
                    { header: t('channels.tokens'), cell: (r) => formatNumber(num(r, 'tokens') ?? 0), numeric: true },
                    { header: t('statements.revenue'), cell: (r) => formatMoney(num(r, 'revenueMicros') ?? 0), numeric: true },
                    { header: t('channels.margin'), cell: (r) => formatMoney(num(r, 'marginMicros') ?? 0), numeric: true },
                    { header: t('channels.net'), cell: (r) => formatMoney(num(r, 'netMicros') ?? 0), numeric: true },
                  ]}
                />
              </>
            );
          }}
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
                { header: t('channels.type'), cell: (r) => tEnum('channelType', text(r, 'type')) },
                { header: t('channels.plan'), cell: (r) => nameOf(plans, text(r, 'defaultPlanId', 'default_plan_id')) },
                { header: t('channels.owner'), cell: (r) => nameOf(partners, text(r, 'ownerPartnerId', 'owner_partner_id')) },
                { header: t('channels.margin'), cell: (r) => `${tEnum('marginKind', text(r, 'marginKind', 'margin_kind'))} ${formatNumber((num(r, 'marginBps', 'margin_bps') ?? 0) / 100, 2)}%`, numeric: true },
                { header: t('common.status'), cell: (r) => tEnum('status', text(r, 'status')) },
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
                { header: t('channels.inputPrice'), cell: (r) => formatMoney(num(r, 'inputPer1mMicros', 'input_per_1m_micros') ?? 0), numeric: true },
                { header: t('channels.outputPrice'), cell: (r) => formatMoney(num(r, 'outputPer1mMicros', 'output_per_1m_micros') ?? 0), numeric: true },
                { header: t('channels.monthlyFee'), cell: (r) => formatMoney(num(r, 'monthlyFeeMicros', 'monthly_fee_micros') ?? 0), numeric: true },
                { header: t('channels.rpm'), cell: (r) => text(r, 'rpmLimit', 'rpm_limit'), numeric: true },
              ]}
            />
          )}
        </ResourceView>
      </Card>
    </div>
  );
}
