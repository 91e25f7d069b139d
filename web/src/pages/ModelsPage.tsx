import { useState, type MouseEvent } from 'react';
import { pipelineRoutes, type RunMetrics, type RunView } from '../../../src/shared/contract/pipeline.js';
import { useRoute } from '../api/useResource.js';
import { fineTuningAdminRoutes } from '../../../src/shared/contract/fine-tuning.js';
import { gatewayAdminRoutes, upstreamProviders, type Deployment, type UpstreamProviderName } from '../../../src/shared/contract/gateway.js';
import { Card } from '../components/Card.js';
import { DataTable } from '../components/DataTable.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n, type I18n } from '../i18n/context.js';
import type { MessageKey } from '../i18n/en.js';
import { GuardrailsPanel } from '../panels/GuardrailsPanel.js';
import { LossCurve } from '../panels/LossCurve.js';
import { RequestLogPanel } from '../panels/RequestLogPanel.js';
import { RunForm } from '../panels/RunForm.js';
import { baselineLines } from '../panels/evaluationBaselines.js';
import { useSession } from '../session/context.js';

/** The figures an evaluation reports (`metrics.evaluation`, or the second side of a comparison), named in the page's language. */
function results(metrics: RunMetrics, i18n: I18n): string {
  const evaluation = metrics.evaluation ?? metrics.comparison?.b;
  if (!evaluation) return '—';
  const named: Array<[MessageKey, number | null | undefined, number]> = [
    ['models.result.loss', evaluation.loss, 4],
    ['models.result.perplexity', evaluation.perplexity, 2],
    ['models.result.accuracy', evaluation.accuracy, 4],
    ['models.result.tokens', evaluation.tokens, 0],
    ['models.result.examples', evaluation.examples, 0],
  ];
  const parts = named.flatMap(([key, v, digits]) => (typeof v === 'number' && Number.isFinite(v) ? [`${i18n.t(key)} ${i18n.formatNumber(v, digits)}`] : []));
  return parts.length ? parts.join(' · ') : '—';
}

/** The classical baselines beside an evaluation (or the second side of a comparison), one line each. */
function baselines(metrics: RunMetrics, i18n: I18n) {
  const evaluation = metrics.evaluation ?? metrics.comparison?.b;
  const lines = evaluation ? baselineLines(evaluation, i18n) : [];
  if (lines.length === 0) return '—';
  return (
    <span className="baseline-lines" data-testid="evaluation-baselines">
      {lines.map((line) => (
        <span key={line}>{line}</span>
      ))}
    </span>
  );
}

/** The folder a run evaluated (eval runs name it `modelDir`). */
function evaluatedFolder(run: RunView): string {
  const dir = run.params.modelDir;
  return typeof dir === 'string' && dir !== '' ? dir : '—';
}

/** A figure of a run's metrics with `digits` decimals, or a dash while there is none. */
const figure = (v: number | null | undefined, format: (v: number) => string): string => (typeof v === 'number' && Number.isFinite(v) ? format(v) : '—');

/** Models: pipeline runs (start, stop, resume; the chosen one's loss curve live), evaluations, the registry, deployments with health and their guardrails. */
export function ModelsPage() {
  const i18n = useI18n();
  const { t, tEnum, formatNumber } = i18n;
  const { client } = useSession();
  const runs = useRoute(pipelineRoutes.listRuns, {}, 5000);
  const evaluations = useRoute(pipelineRoutes.listRuns, { query: { kind: 'eval' } });
  const families = useRoute(pipelineRoutes.listModels, {});
  const fineTuningJobs = useRoute(fineTuningAdminRoutes.listJobs, { query: { limit: 50 } }, 5000);
  const deployments = useRoute(gatewayAdminRoutes.listDeployments, {}, 15_000);
  const [runId, setRunId] = useState<string | null>(null);
  const [deploymentId, setDeploymentId] = useState<string | null>(null);
  const chosenDeployment = deployments.data?.data.find((d) => d.id === deploymentId);
  const [actionError, setActionError] = useState<string | null>(null);
  const [deploymentError, setDeploymentError] = useState<string | null>(null);

  /** Switches an upstream deployment's wire format (the gateway translates to it from the next request on). */
  function setProvider(d: Deployment, provider: UpstreamProviderName) {
    setDeploymentError(null);
    client.call(gatewayAdminRoutes.updateDeployment, { params: { id: d.id }, body: { provider } }).then(deployments.reload, (err: unknown) => setDeploymentError(err instanceof Error ? err.message : String(err)));
  }

  function act(route: typeof pipelineRoutes.stopRun | typeof pipelineRoutes.resumeRun, id: string) {
    return (event: MouseEvent) => {
      event.stopPropagation();
      setActionError(null);
      client.call(route, { params: { id } }).then(runs.reload, (err: unknown) => setActionError(err instanceof Error ? err.message : String(err)));
    };
  }

  return (
    <div className="grid">
      <Card title={t('models.startRun')} wide>
        <RunForm onStarted={(id) => { setRunId(id); runs.reload(); }} />
      </Card>
      <Card title={t('models.runs')} wide>
        <ErrorMessage message={actionError} />
        <ResourceView resource={runs} path={pipelineRoutes.listRuns.url}>
          {(data) => (
            <DataTable
              testId="runs-table"
              rows={data.data}
              rowKey={(r) => r.id}
              onRowClick={(r) => setRunId(r.id)}
              columns={[
                { header: 'ID', cell: (r) => r.id },
                { header: t('models.kind'), cell: (r) => tEnum('runKind', r.kind) },
                { header: t('common.status'), cell: (r) => tEnum('status', r.status) },
                { header: t('models.step'), cell: (r) => figure(r.metrics.step, (v) => formatNumber(v)), numeric: true },
                { header: t('models.loss'), cell: (r) => figure(r.metrics.loss, (v) => formatNumber(v, 4)), numeric: true },
                { header: t('models.bestVal'), cell: (r) => figure(r.metrics.bestValLoss, (v) => formatNumber(v, 4)), numeric: true },
                { header: t('models.started'), cell: (r) => (r.startedAt ?? r.createdAt).replace('T', ' ').slice(0, 16) },
                {
                  header: t('models.actions'),
                  cell: (r) => {
                    if (r.status === 'running') return <button type="button" onClick={act(pipelineRoutes.stopRun, r.id)} data-testid="run-stop">{t('models.stopRun')}</button>;
                    if (r.status === 'stopped' || r.status === 'failed') return <button type="button" onClick={act(pipelineRoutes.resumeRun, r.id)} data-testid="run-resume">{t('models.resumeRun')}</button>;
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
        <ResourceView resource={evaluations} path={pipelineRoutes.listRuns.url}>
          {(data) => (
            <DataTable
              rows={data.data}
              rowKey={(r) => r.id}
              columns={[
                { header: 'ID', cell: (r) => r.id },
                { header: t('models.checkpoint'), cell: (r) => evaluatedFolder(r) },
                { header: t('common.status'), cell: (r) => tEnum('status', r.status) },
                { header: t('models.results'), cell: (r) => results(r.metrics, i18n) },
                { header: t('models.baselines'), cell: (r) => baselines(r.metrics, i18n) },
              ]}
            />
          )}
        </ResourceView>
      </Card>
      <Card title={t('models.registry')}>
        <ResourceView resource={families} path={pipelineRoutes.listModels.url}>
          {(data) => (
            <DataTable
              rows={data.data}
              rowKey={(r) => r.id}
              columns={[
                { header: t('models.model'), cell: (r) => r.name },
                { header: t('models.kind'), cell: (r) => tEnum('modelKind', r.kind) },
                { header: t('models.versions'), cell: (r) => String(r.versions), numeric: true },
              ]}
            />
          )}
        </ResourceView>
      </Card>
      <Card title={t('models.fineTuningJobs')} wide>
        <ResourceView resource={fineTuningJobs} path={fineTuningAdminRoutes.listJobs.url}>
          {(data) => (
            <DataTable
              testId="fine-tuning-jobs-table"
              rows={data.data}
              rowKey={(j) => j.id}
              onRowClick={(j) => j.runId && setRunId(j.runId)}
              columns={[
                { header: 'ID', cell: (j) => <code>{j.id}</code> },
                { header: t('models.ftCustomer'), cell: (j) => j.customerName ?? j.customerId },
                { header: t('models.ftBase'), cell: (j) => j.baseModel },
                { header: t('common.status'), cell: (j) => <code>{j.status}</code> },
                { header: t('models.ftTrainedTokens'), cell: (j) => (j.trainedTokens === null ? '—' : formatNumber(j.trainedTokens)), numeric: true },
                { header: t('models.ftModel'), cell: (j) => <span className="cell-wrap">{j.fineTunedModel ?? j.error ?? '—'}</span> },
                { header: t('models.started'), cell: (j) => j.createdAt.replace('T', ' ').slice(0, 19) },
              ]}
            />
          )}
        </ResourceView>
      </Card>
      <Card title={t('models.deployments')} wide>
        <ErrorMessage message={deploymentError} />
        <ResourceView resource={deployments} path={gatewayAdminRoutes.listDeployments.url}>
          {(data) => (
            <DataTable
              testId="deployments-table"
              rows={data.data}
              rowKey={(d) => d.id}
              onRowClick={(d) => setDeploymentId(d.id)}
              columns={[
                { header: t('models.publicName'), cell: (d) => d.name },
                { header: t('models.kind'), cell: (d) => tEnum('deploymentKind', d.kind) },
                {
                  header: t('models.provider'),
                  cell: (d) =>
                    d.kind === 'local' ? (
                      '—'
                    ) : (
                      <select value={d.provider} aria-label={t('models.providerOf', { name: d.name })} data-testid="deployment-provider" onChange={(e) => setProvider(d, e.target.value as UpstreamProviderName)}>
                        {upstreamProviders.map((p) => (
                          <option key={p} value={p}>
                            {tEnum('upstreamProvider', p)}
                          </option>
                        ))}
                      </select>
                    ),
                },
                { header: t('models.target'), cell: (d) => <span className="cell-wrap">{d.modelVersionId ?? d.upstreamUrl ?? '—'}{d.apiVersion ? ` (${d.apiVersion})` : ''}</span> },
                { header: t('common.status'), cell: (d) => tEnum('status', d.status) },
                { header: t('models.health'), cell: (d) => <span className={`health ${d.health}`} data-testid="deployment-health">{tEnum('status', d.health)}</span> },
                { header: t('models.healthChecked'), cell: (d) => (d.healthCheckedAt ?? '—').replace('T', ' ').slice(0, 19) },
                { header: t('models.healthError'), cell: (d) => <span className="cell-wrap">{d.healthError ?? '—'}</span> },
                { header: t('models.requestLog'), cell: (d) => <span data-testid="deployment-request-log">{d.requestLog.enabled ? t('privacy.logOn', { days: formatNumber(d.requestLog.retentionDays) }) : t('privacy.logOff')}</span> },
              ]}
            />
          )}
        </ResourceView>
      </Card>
      <Card title={chosenDeployment ? t('privacy.logsOf', { name: chosenDeployment.name }) : t('models.requestLog')} wide>
        {chosenDeployment ? <RequestLogPanel deployment={chosenDeployment} onChanged={deployments.reload} /> : <p className="muted">{t('privacy.pickDeployment')}</p>}
      </Card>
      <Card title={t('guardrails.title')} wide>
        {deployments.status === 'ready' ? <GuardrailsPanel deployments={deployments.data.data.filter((d) => d.status === 'active')} /> : null}
      </Card>
    </div>
  );
}
