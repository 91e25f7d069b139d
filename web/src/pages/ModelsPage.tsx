import { useState, type MouseEvent } from 'react';
import { listFrom } from '../api/client.js';
import { endpoints, resumeRun, stopRun } from '../api/endpoints.js';
import { idOf, num, text, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { Card } from '../components/Card.js';
import { DataTable } from '../components/DataTable.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n, type I18n } from '../i18n/context.js';
import type { MessageKey } from '../i18n/en.js';
import { LossCurve } from '../panels/LossCurve.js';
import { RunForm } from '../panels/RunForm.js';
import { useSession } from '../session/context.js';

/** The figures an evaluation reports (`metrics.evaluation`, or each side of a comparison), named in the page's language. */
function results(metrics: unknown, i18n: I18n): string {
  const m = (metrics ?? {}) as Row;
  const evaluation = (m.evaluation ?? (m.comparison as Row | undefined)?.b ?? {}) as Row;
  const named: Array<[MessageKey, string, number]> = [
    ['models.result.loss', 'loss', 4],
    ['models.result.perplexity', 'perplexity', 2],
    ['models.result.accuracy', 'accuracy', 4],
    ['models.result.tokens', 'tokens', 0],
    ['models.result.examples', 'examples', 0],
  ];
  const parts = named.flatMap(([key, field, digits]) => {
    const v = num(evaluation, field);
    return v === null ? [] : [`${i18n.t(key)} ${i18n.formatNumber(v, digits)}`];
  });
  return parts.length ? parts.join(' · ') : '—';
}

/** Models: pipeline runs (start, stop, resume; the chosen one's loss curve live), evaluations, the registry, deployments with health. */
export function ModelsPage() {
  const i18n = useI18n();
  const { t, tEnum, formatNumber } = i18n;
  const { client } = useSession();
  const runs = useResource<unknown>(endpoints.runs, 5000);
  const evaluations = useResource<unknown>(endpoints.evalRuns);
  const families = useResource<unknown>(endpoints.modelFamilies);
  const deployments = useResource<unknown>(endpoints.deployments, 15_000);
  const [runId, setRunId] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  function act(path: string) {
    return (event: MouseEvent) => {
      event.stopPropagation();
      setActionError(null);
      client.post(path, {}).then(runs.reload, (err: unknown) => setActionError(err instanceof Error ? err.message : String(err)));
    };
  }

  return (
    <div className="grid">
      <Card title={t('models.startRun')} wide>
        <RunForm onStarted={(id) => { setRunId(id); runs.reload(); }} />
      </Card>
      <Card title={t('models.runs')} wide>
        <ErrorMessage message={actionError} />
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
                { header: t('models.step'), cell: (r) => { const v = num((r.metrics ?? {}) as Row, 'step'); return v === null ? '—' : formatNumber(v); }, numeric: true },
                { header: t('models.loss'), cell: (r) => { const v = num((r.metrics ?? {}) as Row, 'loss'); return v === null ? '—' : formatNumber(v, 4); }, numeric: true },
                { header: t('models.bestVal'), cell: (r) => { const v = num((r.metrics ?? {}) as Row, 'bestValLoss'); return v === null ? '—' : formatNumber(v, 4); }, numeric: true },
                { header: t('models.started'), cell: (r) => text(r, 'startedAt', 'createdAt').replace('T', ' ').slice(0, 16) },
                {
                  header: t('models.actions'),
                  cell: (r) => {
                    const status = text(r, 'status');
                    if (status === 'running') return <button type="button" onClick={act(stopRun(text(r, 'id')))} data-testid="run-stop">{t('models.stopRun')}</button>;
                    if (status === 'stopped' || status === 'failed') return <button type="button" onClick={act(resumeRun(text(r, 'id')))} data-testid="run-resume">{t('models.resumeRun')}</button>;
                    return '';
                  },
                },
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
                { header: t('models.checkpoint'), cell: (r) => text((r.params ?? {}) as Row, 'modelDir', 'checkpoint', 'model') },
                { header: t('common.status'), cell: (r) => tEnum('status', text(r, 'status')) },
                { header: t('models.results'), cell: (r) => results(r.metrics, i18n) },
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
      <Card title={t('models.deployments')} wide>
        <ResourceView resource={deployments} path={endpoints.deployments}>
          {(data) => (
            <DataTable
              testId="deployments-table"
              rows={listFrom<Row>(data)}
              rowKey={idOf}
              columns={[
                { header: t('models.publicName'), cell: (r) => text(r, 'name') },
                { header: t('models.kind'), cell: (r) => tEnum('deploymentKind', text(r, 'kind')) },
                { header: t('models.target'), cell: (r) => <span className="cell-wrap">{text(r, 'model_version_id', 'modelVersionId', 'upstream_url', 'upstreamUrl')}</span> },
                { header: t('common.status'), cell: (r) => tEnum('status', text(r, 'status')) },
                { header: t('models.health'), cell: (r) => <span className={`health ${text(r, 'health')}`} data-testid="deployment-health">{tEnum('status', text(r, 'health'))}</span> },
                { header: t('models.healthChecked'), cell: (r) => text(r, 'health_checked_at').replace('T', ' ').slice(0, 19) },
                { header: t('models.healthError'), cell: (r) => <span className="cell-wrap">{text(r, 'health_error')}</span> },
              ]}
            />
          )}
        </ResourceView>
      </Card>
    </div>
  );
}
