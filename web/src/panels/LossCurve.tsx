import { runDetail } from '../api/endpoints.js';
import { num, text, type Row } from '../api/records.js';
import { listFrom } from '../api/client.js';
import { useResource } from '../api/useResource.js';
import { TrendChart } from '../charts/TrendChart.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';

/**
 * A run's training and validation loss by step (GET /api/runs/:id, `metrics.curve`), polled every two seconds:
 * the server rewrites a running run's curve as it trains, so the chart follows it live.
 */
export function LossCurve({ runId }: { runId: string }) {
  const { t, tEnum, formatNumber } = useI18n();
  const path = runDetail(runId);
  const run = useResource<Row>(path, 2000);
  return (
    <ResourceView resource={run} path={path}>
      {(data) => {
        const metrics = (data.metrics ?? {}) as Row;
        const points = listFrom<Row>(metrics.curve ?? []);
        const best = num(metrics, 'bestValLoss');
        const scope = (metrics.validation ?? null) as Row | null;
        // Says what the validation loss is the mean over: the first part of the split, or all of it.
        const scopeText = (value: number): string => {
          const scored = scope ? num(scope, 'scored') : null;
          const total = scope ? num(scope, 'total') : null;
          if (scored === null || total === null) return formatNumber(value, 4);
          const vars = { value: formatNumber(value, 4), scored: formatNumber(scored), total: formatNumber(total), unit: t(text(scope!, 'unit') === 'examples' ? 'models.unit.examples' : 'models.unit.tokens') };
          return scored >= total ? t('models.valScopeAll', vars) : t('models.valScopePart', vars);
        };
        return (
          <div data-testid="loss-curve">
            <p className="muted small">
              {text(data, 'id')} · {tEnum('runKind', text(data, 'kind'))} · {tEnum('status', text(data, 'status'))}
              {num(metrics, 'tokensPerSec') !== null ? ` · ${formatNumber(num(metrics, 'tokensPerSec')!)} ${t('models.tokensPerSec')}` : ''}
            </p>
            {text(data, 'error') !== '—' ? <p className="small" data-testid="run-error">{text(data, 'error')}</p> : null}
            {best !== null ? <p className="small" data-testid="best-val">{t('models.bestVal')}: {scopeText(best)}</p> : null}
            {points.length === 0 ? (
              <p className="muted">{t('models.noCurve')}</p>
            ) : (
              <TrendChart
                labels={points.map((p, i) => num(p, 'step') ?? i)}
                series={[
                  { name: t('models.trainLoss'), values: points.map((p) => num(p, 'loss')) },
                  // Validation runs every few steps: null between, so the series is drawn across the gaps.
                  { name: t('models.valLoss'), values: points.map((p) => num(p, 'valLoss')), sparse: true },
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
