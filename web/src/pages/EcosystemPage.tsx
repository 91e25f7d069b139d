import { listFrom } from '../api/client.js';
import { endpoints } from '../api/endpoints.js';
import { idOf, num, text, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { GraphChart, type GraphEdge, type GraphNode } from '../charts/GraphChart.js';
import { Card } from '../components/Card.js';
import { DataTable } from '../components/DataTable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n, type I18n } from '../i18n/context.js';

/** The ecosystem graph (GET /api/ecosystem): partners sized by the revenue they sourced, relations as edges. */
function ecosystemGraph(graph: Row, tEnum: I18n['tEnum']): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes = listFrom<Row>(graph.nodes ?? []);
  const maxRevenue = Math.max(1, ...nodes.map((n) => (num(n, 'sourcedRevenueMicros') ?? 0) + (num(n, 'influencedRevenueMicros') ?? 0)));
  return {
    nodes: nodes.map((n) => {
      const revenue = (num(n, 'sourcedRevenueMicros') ?? 0) + (num(n, 'influencedRevenueMicros') ?? 0);
      return { id: text(n, 'partnerId'), name: text(n, 'name'), category: tEnum('channelType', text(n, 'type')), size: 14 + 30 * Math.sqrt(revenue / maxRevenue) };
    }),
    edges: listFrom<Row>(graph.edges ?? []).map((e) => ({ source: text(e, 'fromPartnerId'), target: text(e, 'toPartnerId'), kind: tEnum('relationKind', text(e, 'kind')) })),
  };
}

/** Ecosystem: the partner graph with sourced and influenced revenue, and the shared resources with their grants. */
export function EcosystemPage() {
  const { t, tEnum, formatMoney } = useI18n();
  const graph = useResource<Row>(endpoints.ecosystem);
  const resources = useResource<unknown>(endpoints.resources);
  const money = (r: Row, field: string) => formatMoney(num(r, field) ?? 0);
  const partnerName = (id: string): string => (listFrom<Row>((graph.data as Row | null | undefined)?.nodes ?? []).find((n) => n.partnerId === id)?.name as string | undefined) ?? id;
  return (
    <div className="grid">
      <Card title={t('ecosystem.graph')} wide testId="ecosystem-graph">
        <ResourceView resource={graph} path={endpoints.ecosystem}>
          {(data) => {
            const g = ecosystemGraph(data, tEnum);
            return (
              <>
                <div className="kpis">
                  <div><span className="muted">{t('ecosystem.totalRevenue')}</span><strong>{money(data, 'totalRevenueMicros')}</strong></div>
                  <div><span className="muted">{t('ecosystem.sourced')}</span><strong>{money(data, 'partnerSourcedRevenueMicros')}</strong></div>
                  <div><span className="muted">{t('ecosystem.influenced')}</span><strong>{money(data, 'partnerInfluencedRevenueMicros')}</strong></div>
                </div>
                {g.nodes.length > 0 ? <GraphChart nodes={g.nodes} edges={g.edges} label={t('ecosystem.graph')} /> : <p className="muted">{t('common.empty')}</p>}
              </>
            );
          }}
        </ResourceView>
      </Card>
      <Card title={t('ecosystem.resources')} wide>
        <ResourceView resource={resources} path={endpoints.resources}>
          {(data) => (
            <DataTable
              rows={listFrom<Row>(data)}
              rowKey={idOf}
              columns={[
                { header: t('common.name'), cell: (r) => text(r, 'name') },
                { header: t('ecosystem.kind'), cell: (r) => tEnum('resourceKind', text(r, 'kind')) },
                { header: t('ecosystem.owner'), cell: (r) => <span title={text(r, 'ownerPartnerId')}>{partnerName(text(r, 'ownerPartnerId'))}</span> },
                { header: t('models.deployments'), cell: (r) => text(r, 'deploymentName') },
                { header: t('ecosystem.grants'), cell: (r) => String(listFrom<Row>(r.grants ?? []).filter((g) => !g.revokedAt).length), numeric: true },
                { header: t('ecosystem.description'), cell: (r) => text(r, 'description') },
              ]}
            />
          )}
        </ResourceView>
      </Card>
    </div>
  );
}
