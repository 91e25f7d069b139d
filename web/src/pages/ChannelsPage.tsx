import { channelRoutes } from '../../../src/shared/contract/channels.js';
import { partnerRoutes } from '../../../src/shared/contract/partners.js';
import { useRoute, type Resource } from '../api/useResource.js';
import { gatewayAdminRoutes } from '../../../src/shared/contract/gateway.js';
import { SankeyChart } from '../charts/SankeyChart.js';
import { Card } from '../components/Card.js';
import { DataTable } from '../components/DataTable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import { channelFlows } from '../panels/channelFlows.js';

/** Channels: the channel map (this month) as a Sankey of revenue flow, the channels and the price plans. */
export function ChannelsPage() {
  const { t, tEnum, formatNumber, formatMoney } = useI18n();
  const flow = useRoute(channelRoutes.map, {});
  const channels = useRoute(channelRoutes.list, {});
  const plans = useRoute(gatewayAdminRoutes.listPlans, {});
  const partners = useRoute(partnerRoutes.list, {});
  // Until a list arrives its names are unknown: an ellipsis, not the raw id (the id stays for rows the list lacks).
  const nameOf = (list: Resource<{ data: readonly { id: string; name: string }[] }>, id: string): string =>
    id === '—' ? id : list.status === 'loading' ? '…' : (list.data?.data.find((x) => x.id === id)?.name ?? id);
  return (
    <div className="grid">
      <Card title={t('channels.map')} wide testId="channel-map">
        <p className="muted small">{t('channels.mapHint')}</p>
        <ResourceView resource={flow} path={channelRoutes.map.url}>
          {(data) => {
            const flows = channelFlows(data.entries, { noChannel: t('channels.noChannel'), channelMargin: t('channels.flowMargin'), costToServe: t('channels.flowCost'), net: t('channels.flowNet'), typeOf: (type) => t('channels.typeNode', { type: tEnum('channelType', type) }) });
            const entries = data.entries;
            return (
              <>
                {flows.length > 0 ? <SankeyChart flows={flows} label={t('channels.map')} /> : <p className="muted">{t('channels.noRevenue')}</p>}
                <DataTable
                  testId="channel-map-table"
                  rows={entries}
                  rowKey={(r, i) => (r.channel?.id ?? '—') + i}
                  columns={[
                    { header: t('allocator.channel'), cell: (r) => (r.channel ? r.channel.name : t('channels.noChannel')) },
                    { header: t('channels.customers'), cell: (r) => formatNumber(r.customers), numeric: true },
                    { header: t('channels.activeKeys'), cell: (r) => formatNumber(r.activeKeys), numeric: true },
                    { header: t('channels.tokens'), cell: (r) => formatNumber(r.tokens), numeric: true },
                    { header: t('statements.revenue'), cell: (r) => formatMoney(r.revenueMicros), numeric: true },
                    { header: t('channels.margin'), cell: (r) => formatMoney(r.marginMicros), numeric: true },
                    { header: t('channels.net'), cell: (r) => formatMoney(r.netMicros), numeric: true },
                  ]}
                />
              </>
            );
          }}
        </ResourceView>
      </Card>
      <Card title={t('channels.list')} wide>
        <ResourceView resource={channels} path={channelRoutes.list.url}>
          {(data) => (
            <DataTable
              testId="channels-table"
              rows={data.data}
              rowKey={(r) => r.id}
              columns={[
                { header: t('common.name'), cell: (r) => r.name },
                { header: t('channels.type'), cell: (r) => tEnum('channelType', r.type) },
                { header: t('channels.plan'), cell: (r) => nameOf(plans, r.defaultPlanId ?? '—') },
                { header: t('channels.owner'), cell: (r) => nameOf(partners, r.ownerPartnerId ?? '—') },
                { header: t('channels.margin'), cell: (r) => `${tEnum('marginKind', r.marginKind)} ${formatNumber(r.marginBps / 100, 2)}%`, numeric: true },
                { header: t('common.status'), cell: (r) => tEnum('status', r.status) },
              ]}
            />
          )}
        </ResourceView>
      </Card>
      <Card title={t('channels.plans')} wide>
        <ResourceView resource={plans} path={gatewayAdminRoutes.listPlans.url}>
          {(data) => (
            <DataTable
              rows={data.data}
              rowKey={(p) => p.id}
              columns={[
                { header: t('common.name'), cell: (p) => p.name },
                { header: t('channels.inputPrice'), cell: (p) => formatMoney(p.inputPer1mMicros), numeric: true },
                { header: t('channels.outputPrice'), cell: (p) => formatMoney(p.outputPer1mMicros), numeric: true },
                { header: t('channels.monthlyFee'), cell: (p) => formatMoney(p.monthlyFeeMicros), numeric: true },
                { header: t('channels.rpm'), cell: (p) => (p.rpmLimit === null ? '—' : String(p.rpmLimit)), numeric: true },
              ]}
            />
          )}
        </ResourceView>
      </Card>
    </div>
  );
}
