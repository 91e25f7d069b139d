import { ecosystemRoutes, type EcosystemGraphAnswer } from '../../../src/shared/contract/strategy/ecosystem.js';
import { resourceRoutes } from '../../../src/shared/contract/strategy/resources.js';
import { useRoute } from '../api/useResource.js';
import { GraphChart, type GraphEdge, type GraphNode } from '../charts/GraphChart.js';
import { Card } from '../components/Card.js';
import { DataTable } from '../components/DataTable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n, type I18n } from '../i18n/context.js';

/** The ecosystem graph (GET /api/ecosystem): partners sized by the revenue they sourced, relations as edges. */
function ecosystemGraph(graph: EcosystemGraphAnswer, tEnum: I18n['tEnum']): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const revenueOf = (n: EcosystemGraphAnswer['nodes'][number]) => n.sourcedRevenueMicros + n.influencedRevenueMicros;
  const maxRevenue = Math.max(1, ...graph.nodes.map(revenueOf));
  return {
    nodes: graph.nodes.map((n) => ({ id: n.partnerId, name: n.name || '—', category: tEnum('channelType', n.type || '—'), size: 14 + 30 * Math.sqrt(revenueOf(n) / maxRevenue) })),
    edges: graph.edges.map((e) => ({ source: e.fromPartnerId, target: e.toPartnerId, kind: tEnum('relationKind', e.kind) })),
  };
}

/** Ecosystem: the partner graph with sourced and influenced revenue, and the shared resources with their grants. */
export function EcosystemPage() {
  const { t, tEnum, formatMoney } = useI18n();
  const graph = useRoute(ecosystemRoutes.graph, {});
  const resources = useRoute(resourceRoutes.listResources, {});
  const partnerName = (id: string | null): string => (id === null ? '—' : (graph.data?.nodes.find((n) => n.partnerId === id)?.name ?? id));
  return (
    <div className="grid">
      <Card title={t('ecosystem.graph')} wide testId="ecosystem-graph">
        <ResourceView resource={graph} path={ecosystemRoutes.graph.url}>
          {(data) => {
            const g = ecosystemGraph(data, tEnum);
            return (
              <>
                <div className="kpis">
                  <div><span className="muted">{t('ecosystem.totalRevenue')}</span><strong>{formatMoney(data.totalRevenueMicros)}</strong></div>
                  <div><span className="muted">{t('ecosystem.sourced')}</span><strong>{formatMoney(data.partnerSourcedRevenueMicros)}</strong></div>
                  <div><span className="muted">{t('ecosystem.influenced')}</span><strong>{formatMoney(data.partnerInfluencedRevenueMicros)}</strong></div>
                </div>
                {g.nodes.length > 0 ? <GraphChart nodes={g.nodes} edges={g.edges} label={t('ecosystem.graph')} /> : <p className="muted">{t('common.empty')}</p>}
              </>
            );
          }}
        </ResourceView>
      </Card>
      <Card title={t('ecosystem.resources')} wide>
        <ResourceView resource={resources} path={resourceRoutes.listResources.url}>
          {(data) => (
            <DataTable
              rows={data.data}
              rowKey={(r) => r.id}
              columns={[
                { header: t('common.name'), cell: (r) => r.name || '—' },
                { header: t('ecosystem.kind'), cell: (r) => tEnum('resourceKind', r.kind) },
                { header: t('ecosystem.owner'), cell: (r) => <span title={r.ownerPartnerId ?? '—'}>{partnerName(r.ownerPartnerId)}</span> },
                { header: t('models.deployments'), cell: (r) => r.deploymentName ?? '—' },
                { header: t('ecosystem.grants'), cell: (r) => String(r.grants.filter((g) => !g.revokedAt).length), numeric: true },
                { header: t('ecosystem.description'), cell: (r) => r.description || '—' },
              ]}
            />
          )}
        </ResourceView>
      </Card>
    </div>
  );
}
