import { listFrom } from '../api/client.js';
import { runMetrics } from '../api/endpoints.js';
import { num, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { TrendChart } from '../charts/TrendChart.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';

/** A training run's train/validation loss by step, refreshed every two seconds while it runs. */
export function LossCurve({ runId }: { runId: string }) {
  const { t } = useI18n();
  const path = runMetrics(runId);
  const metrics = useResource<unknown>(path, 2000);
  return (
    <ResourceView resource={metrics} path={path}>
      {(data) => {
        const points = listFrom<Row>(data);
        return (
          <TrendChart
            labels={points.map((p, i) => num(p, 'step') ?? i)}
            series={[
              { name: t('models.trainLoss'), values: points.map((p) => num(p, 'loss', 'trainLoss', 'train_loss')) },
              { name: t('models.valLoss'), values: points.map((p) => num(p, 'valLoss', 'val_loss', 'validationLoss')) },
            ]}
            label={t('models.lossCurve')}
            yName={t('models.loss')}
          />
        );
      }}
    </ResourceView>
  );
}
