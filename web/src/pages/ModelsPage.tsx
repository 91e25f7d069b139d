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

/** The numeric results of a run's metrics (perplexity, accuracy, F1, …), curve and counters left out. */
function results(metrics: unknown, formatNumber: (v: number, d?: number) => string): string {
  const m = (metrics ?? {}) as Row;
  const skip = new Set(['curve', 'step', 'tokensPerSec', 'loss']);
  const parts = Object.entries(m).filter(([k, v]) => !skip.has(k) && typeof v === 'number').map(([k, v]) => `${k} ${formatNumber(v as number, 4)}`);
  return parts.length ? parts.join(' · ') : '—';
}

/** Models: pipeline runs (the chosen one's loss curve live), evaluations, the model registry, deployments. */
export function ModelsPage() {
  const { t, tEnum, formatNumber } = useI18n();
  const runs = useResource<unknown>(endpoints.runs, 5000);
  const evaluations = useResource<unknown>(endpoints.evalRuns);
  const families = useResource<unknown>(endpoints.modelFamilies);
  const deployments = useResource<unknown>(endpoints.deployments);
  const [runId, setRunId] = useState<string | null>(null);
  return (
    <div className="grid">
      <Card title={t('models.runs')} wide>
        <ResourceView resource={runs} path={endpoints.runs}>
          {(data) => (
            <DataTable
              testId="runs-table"
              rows={listFrom<Row>(data)}
              rowKey={idOf}
              onRowClick={(r) => setRunId(text(r, 'id'))}
              columns={[
                { header: 'ID', cell: (r) => text(r, 'id') },
                { header: t('models.kind'), cell: (r) => tEnum('runKind', text(r, 'kind')) },
                { header: t('common.status'), cell: (r) => tEnum('status', text(r, 'status')) },
                { header: t('models.step'), cell: (r) => text((r.metrics ?? {}) as Row, 'step'), numeric: true },
                { header: t('models.loss'), cell: (r) => { const v = num((r.metrics ?? {}) as Row, 'loss'); return v === null ? '—' : formatNumber(v, 4); }, numeric: true },
                { header: t('models.started'), cell: (r) => text(r, 'startedAt', 'createdAt').replace('T', ' ').slice(0, 16) },
              ]}
            />
          )}
        </ResourceView>
      </Card>
      <Card title={t('models.lossCurve')} wide>{runId ? <LossCurve runId={runId} /> : <p className="muted">{t('models.pickRun')}</p>}</Card>
      <Card title={t('models.evaluations')} wide>
        <ResourceView resource={evaluations} path={endpoints.runs}>
          {(data) => (
            <DataTable
              rows={listFrom<Row>(data)}
              rowKey={idOf}
              columns={[
                { header: 'ID', cell: (r) => text(r, 'id') },
                { header: t('models.checkpoint'), cell: (r) => text((r.params ?? {}) as Row, 'checkpoint', 'model') },
                { header: t('common.status'), cell: (r) => tEnum('status', text(r, 'status')) },
                { header: t('models.results'), cell: (r) => results(r.metrics, formatNumber) },
              ]}
            />
          )}
        </ResourceView>
      </Card>
      <Card title={t('models.registry')}>
        <ResourceView resource={families} path={endpoints.modelFamilies}>
          {(data) => (
            <DataTable
              rows={listFrom<Row>(data)}
              rowKey={idOf}
              columns={[
                { header: t('models.model'), cell: (r) => text(r, 'name') },
                { header: t('models.kind'), cell: (r) => tEnum('modelKind', text(r, 'kind')) },
                { header: t('models.versions'), cell: (r) => text(r, 'versions'), numeric: true },
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
                { header: t('models.kind'), cell: (r) => tEnum('deploymentKind', text(r, 'kind')) },
                { header: t('models.target'), cell: (r) => text(r, 'model_version_id', 'modelVersionId', 'upstream_url', 'upstreamUrl') },
                { header: t('common.status'), cell: (r) => tEnum('status', text(r, 'status')) },
              ]}
            />
          )}
        </ResourceView>
      </Card>
    </div>
  );
}
