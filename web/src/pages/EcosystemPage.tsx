import { listFrom } from '../api/client.js';
import { endpoints } from '../api/endpoints.js';
import { idOf, text, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { GraphChart, type GraphEdge, type GraphNode } from '../charts/GraphChart.js';
import { Card } from '../components/Card.js';
import { DataTable } from '../components/DataTable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';

/** Nodes: every partner (categorised by type); edges: the relations (referral, co-selling, integration). */
function ecosystemGraph(relations: unknown, partners: unknown): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const edges = listFrom<Row>(relations).map((r) => ({ source: text(r, 'fromPartnerId', 'from_partner_id', 'source'), target: text(r, 'toPartnerId', 'to_partner_id', 'target'), kind: text(r, 'kind') }));
  const known = new Map(listFrom<Row>(partners).map((p) => [text(p, 'id'), p]));
  const ids = [...new Set([...known.keys(), ...edges.flatMap((e) => [e.source, e.target])])];
  const degree = (id: string) => edges.filter((e) => e.source === id || e.target === id).length;
  const nodes = ids.map((id) => {
    const p = known.get(id);
    return { id, name: p ? text(p, 'name') : id, category: p ? text(p, 'type') : '—', size: 14 + 4 * Math.min(degree(id), 8) };
  });
  return { nodes, edges };
}

/** Ecosystem: the partner graph and the catalogue of shared resources with their grants. */
export function EcosystemPage() {
  const { t } = useI18n();
  const relations = useResource<unknown>(endpoints.relations);
  const partners = useResource<unknown>(endpoints.partners);
  const resources = useResource<unknown>(endpoints.resources);
  return (
    <div className="grid">
      <Card title={t('ecosystem.graph')} wide testId="ecosystem-graph">
        <ResourceView resource={relations} path={endpoints.relations}>
          {(data) => {
            const graph = ecosystemGraph(data, partners.data);
            return <GraphChart nodes={graph.nodes} edges={graph.edges} label={t('ecosystem.graph')} />;
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
                { header: t('ecosystem.kind'), cell: (r) => text(r, 'kind') },
                { header: t('ecosystem.owner'), cell: (r) => text(r, 'ownerPartnerId', 'owner_partner_id') },
                { header: t('ecosystem.grants'), cell: (r) => text(r, 'grants', 'grantedTo') },
                { header: t('ecosystem.description'), cell: (r) => text(r, 'description') },
              ]}
            />
          )}
        </ResourceView>
      </Card>
    </div>
  );
}
