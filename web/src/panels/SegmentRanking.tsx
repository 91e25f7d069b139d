import { useState } from 'react';
import { marketRoutes, type SegmentRankingAnswer } from '../../../src/shared/contract/strategy/market.js';
import { isNotAvailable } from '../api/client.js';
import { BarChart } from '../charts/BarChart.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { NotAvailable } from '../components/NotAvailable.js';
import { useI18n } from '../i18n/context.js';
import type { MessageKey } from '../i18n/en.js';
import { useSession } from '../session/context.js';
import type { SegmentWeights } from '../strategy.js';

const weightKeys: readonly { key: keyof SegmentWeights; label: MessageKey }[] = [
  { key: 'size', label: 'market.size' },
  { key: 'growth', label: 'market.growth' },
  { key: 'willingnessToPay', label: 'market.wtp' },
  { key: 'competition', label: 'market.competition' },
  { key: 'fit', label: 'market.fit' },
];

/** Ranks the workspace's segments on the server (POST /api/market/rank): weighted sum and TOPSIS side by side. */
export function SegmentRanking({ segmentsAvailable, hasSegments }: { segmentsAvailable: boolean; hasSegments: boolean }) {
  const { t } = useI18n();
  const { client } = useSession();
  const [weights, setWeights] = useState<SegmentWeights>({ size: 1, growth: 1, willingnessToPay: 1, competition: 1, fit: 1 });
  const [report, setReport] = useState<SegmentRankingAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [unavailable, setUnavailable] = useState(false);

  async function rank() {
    setError(null);
    try {
      setReport(await client.call(marketRoutes.rankSegments, { body: { weights } }));
    } catch (err) {
      if (isNotAvailable(err)) setUnavailable(true);
      else setError(err instanceof Error ? err.message : String(err));
    }
  }

  if (unavailable || !segmentsAvailable) return <NotAvailable path={marketRoutes.rankSegments.url} />;
  if (!hasSegments) return <p className="muted">{t('market.noSegments')}</p>;
  const round = (xs: readonly number[]) => xs.map((x) => Math.round(x * 1000) / 1000);
  return (
    <div data-testid="segment-ranking">
      <div className="form-row wrap">
        {weightKeys.map((w) => (
          <label key={w.key} className="field">
            <span className="field-label">
              {t('market.weight')} · {t(w.label)}
            </span>
            <input type="number" min={0.1} step={0.5} value={weights[w.key]} onChange={(e) => setWeights({ ...weights, [w.key]: Number(e.target.value) })} />
          </label>
        ))}
        <button type="button" className="primary" onClick={() => void rank()} data-testid="segment-rank">
          {t('market.score')}
        </button>
      </div>
      <ErrorMessage message={error} />
      {report ? (
        <BarChart
          categories={report.segments.map((s) => s.name)}
          series={[
            { name: t('market.weightedSum'), values: round(report.weightedSum.scores) },
            { name: 'TOPSIS', values: round(report.topsis.scores) },
          ]}
          height={Math.max(200, 40 * report.segments.length)}
          label={t('market.scoring')}
          horizontal
        />
      ) : null}
    </div>
  );
}
