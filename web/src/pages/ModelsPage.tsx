import { useState } from 'react';
import { listFrom } from '../api/client.js';
import { endpoints } from '../api/endpoints.js';
import { idOf, num, text, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { Card } from '../components/Card.js';
import { DataTable } from '../components/DataTable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import { LossCurve } from '../panels/LossCurve.js';

/** Models: training runs (live loss curve of the chosen run), evaluations, deployments. */
export function ModelsPage() {
  const { t, formatNumber } = useI18n();
  const runs = useResource<unknown>(endpoints.runs, 5000);
  const evaluations = useResource<unknown>(endpoints.evaluations);
  const deployments = useResource<unknown>(endpoints.deployments);
  const [runId, setRunId] = useState<string | null>(null);
  return (
    <div className="grid">
      <Card title={t('models.runs')} wide>
        <ResourceView resource={runs} path={endpoints.runs}>
          {(data) => (
            <DataTable
              rows={listFrom<Row>(data)}
              rowKey={idOf}
              onRowClick={(r) => setRunId(text(r, 'id'))}
              columns={[
                { header: 'ID', cell: (r) => text(r, 'id') },
                { header: t('models.kind'), cell: (r) => text(r, 'kind', 'type') },
                { header: t('models.model'), cell: (r) => text(r, 'model', 'modelId', 'preset') },
                { header: t('common.status'), cell: (r) => text(r, 'status') },
                { header: t('models.step'), cell: (r) => text(r, 'step', 'steps'), numeric: true },
                { header: t('models.loss'), cell: (r) => { const v = num(r, 'loss', 'lastLoss'); return v === null ? '—' : formatNumber(v, 4); }, numeric: true },
              ]}
            />
          )}
        </ResourceView>
      </Card>
      <Card title={t('models.lossCurve')} wide>{runId ? <LossCurve runId={runId} /> : <p className="muted">{t('models.pickRun')}</p>}</Card>
      <Card title={t('models.evaluations')}>
        <ResourceView resource={evaluations} path={endpoints.evaluations}>
          {(data) => (
            <DataTable
              rows={listFrom<Row>(data)}
              rowKey={idOf}
              columns={[
                { header: t('models.model'), cell: (r) => text(r, 'modelVersionId', 'model', 'version') },
                { header: t('models.dataset'), cell: (r) => text(r, 'dataset') },
                { header: t('models.loss'), cell: (r) => text(r, 'loss'), numeric: true },
                { header: t('models.perplexity'), cell: (r) => text(r, 'perplexity'), numeric: true },
                { header: t('models.accuracy'), cell: (r) => text(r, 'accuracy', 'f1'), numeric: true },
              ]}
            />
          )}
        </ResourceView>
      </Card>
      <Card title={t('models.deployments')}>
        <ResourceView resource={deployments} path={endpoints.deployments}>
          {(data) => (
            <DataTable
              testId="deployments-table"
              rows={listFrom<Row>(data)}
              rowKey={idOf}
              columns={[
                { header: t('models.publicName'), cell: (r) => text(r, 'name') },
                { header: t('models.kind'), cell: (r) => text(r, 'kind') },
                { header: t('models.target'), cell: (r) => text(r, 'model_version_id', 'modelVersionId', 'upstream_url', 'upstreamUrl') },
                { header: t('common.status'), cell: (r) => text(r, 'status') },
              ]}
            />
          )}
        </ResourceView>
      </Card>
    </div>
  );
}
