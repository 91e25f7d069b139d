import { pipelineRoutes, type RunMetrics } from '../../../src/shared/contract/pipeline.js';
import { useRoute } from '../api/useResource.js';
import { TrendChart } from '../charts/TrendChart.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';

/** A finite number, or null (a diverged loss arrives as null). */
const finite = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * A run's training and validation loss by step (GET /api/runs/:id, `metrics.curve`), polled every two seconds:
 * the server rewrites a running run's curve as it trains, so the chart follows it live.
 */
export function LossCurve({ runId }: { runId: string }) {
  const { t, tEnum, formatNumber } = useI18n();
  const run = useRoute(pipelineRoutes.getRun, { params: { id: runId } }, 2000);
  return (
    <ResourceView resource={run} path={pipelineRoutes.getRun.url}>
      {(data) => {
        const metrics: RunMetrics = data.metrics;
        const points = metrics.curve ?? [];
        const best = finite(metrics.bestValLoss);
        const scope = metrics.validation ?? null;
        const tokensPerSec = finite(metrics.tokensPerSec);
        // Says what the validation loss is the mean over: the first part of the split, or all of it.
        const scopeText = (value: number): string => {
          if (!scope) return formatNumber(value, 4);
          const vars = { value: formatNumber(value, 4), scored: formatNumber(scope.scored), total: formatNumber(scope.total), unit: t(scope.unit === 'examples' ? 'models.unit.examples' : 'models.unit.tokens') };
          return scope.scored >= scope.total ? t('models.valScopeAll', vars) : t('models.valScopePart', vars);
        };
        return (
          <div data-testid="loss-curve">
            <p className="muted small">
              {data.id} · {tEnum('runKind', data.kind)} · {tEnum('status', data.status)}
              {tokensPerSec !== null ? ` · ${formatNumber(tokensPerSec)} ${t('models.tokensPerSec')}` : ''}
            </p>
            {data.error ? <p className="small" data-testid="run-error">{data.error}</p> : null}
            {best !== null ? <p className="small" data-testid="best-val">{t('models.bestVal')}: {scopeText(best)}</p> : null}
            {points.length === 0 ? (
              <p className="muted">{t('models.noCurve')}</p>
            ) : (
              <TrendChart
                labels={points.map((p) => p.step)}
                series={[
                  { name: t('models.trainLoss'), values: points.map((p) => finite(p.loss)) },
                  // Validation runs every few steps: null between, so the series is drawn across the gaps.
                  { name: t('models.valLoss'), values: points.map((p) => finite(p.valLoss)), sparse: true },
                ]}
                label={t('models.lossCurve')}
                yName={t('models.loss')}
              />
            )}
          </div>
        );
      }}
    </ResourceView>
  );
}
