import { useMemo, useState } from 'react';
import { BarChart } from '../charts/BarChart.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useI18n } from '../i18n/context.js';
import type { MessageKey } from '../i18n/en.js';
import { analysePairwiseMatrix, rankByTopsis, type AhpResult, type CriterionKind, type TopsisResult } from '../strategy.js';
import { strategyToolRoutes } from '../../../src/shared/contract/strategy/tools.js';
import { useSession } from '../session/context.js';
import { computeTool, type ComputedWhere } from './computeTool.js';
import { ComputedBy } from './ComputedBy.js';
import { PairwiseMatrix } from './PairwiseMatrix.js';

interface Candidate {
  id: string;
  scores: number[];
}

/** Example criteria and candidates the tool opens with; the page labels them as examples. */
const criteria: readonly { id: string; label: MessageKey; kind: CriterionKind }[] = [
  { id: 'reach', label: 'selection.reach', kind: 'benefit' },
  { id: 'fit', label: 'selection.fit', kind: 'benefit' },
  { id: 'capability', label: 'selection.capability', kind: 'benefit' },
  { id: 'cost', label: 'selection.cost', kind: 'cost' },
];
const exampleCandidates: Candidate[] = [
  { id: 'A', scores: [8, 6, 7, 5] },
  { id: 'B', scores: [6, 9, 6, 4] },
  { id: 'C', scores: [9, 5, 8, 8] },
];

/** Upper-triangle judgements → full reciprocal matrix. */
function fullMatrix(upper: number[][]): number[][] {
  return upper.map((row, i) => row.map((v, j) => (i === j ? 1 : i < j ? v : 1 / upper[j]![i]!)));
}

/**
 * Partner selection: AHP criterion weights from pairwise judgements (with the consistency ratio), then
 * TOPSIS ranking of the candidates with those weights.
 */
export function PartnerSelectionTool() {
  const { t, formatNumber } = useI18n();
  const n = criteria.length;
  const [upper, setUpper] = useState<number[][]>(() => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : [[1, 3, 2, 3], [1, 1, 1, 2], [1, 1, 1, 2], [1, 1, 1, 1]][i]![j]!))));
  const [candidates, setCandidates] = useState<Candidate[]>(exampleCandidates);
  const [result, setResult] = useState<{ ahp: AhpResult; topsis: TopsisResult; where: ComputedWhere } | null>(null);
  const { client } = useSession();
  const [error, setError] = useState<string | null>(null);
  const labels = useMemo(() => criteria.map((c) => t(c.label)), [t]);

  async function run() {
    setError(null);
    try {
      const matrix = fullMatrix(upper);
      const { result: ahp, where } = await computeTool(client, strategyToolRoutes.ahp, { body: { matrix, labels } }, () => analysePairwiseMatrix(matrix, { labels }), (answer): AhpResult => answer);
      const problem = { criteria: criteria.map((c, j) => ({ id: c.id, kind: c.kind, weight: ahp.weights[j]! })), alternatives: candidates };
      const { result: topsis } = await computeTool(client, strategyToolRoutes.topsis, { body: problem }, () => rankByTopsis(problem), (answer): TopsisResult => answer.topsis);
      setResult({ ahp, topsis, where });
    } catch (err) {
      setResult(null);
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <div className="tool" data-testid="partner-selection">
      <p className="muted">{t('selection.intro')}</p>
      <p className="example-note">{t('common.exampleInputs')}</p>
      <h3>{t('selection.judgements')}</h3>
      <PairwiseMatrix labels={labels} upper={upper} onChange={setUpper} />
      <h3>{t('selection.candidates')}</h3>
      <div className="table-scroll">
        <table className="form-table">
          <thead>
            <tr>
              <th>{t('selection.candidate')}</th>
              {criteria.map((c) => (
                <th key={c.id}>
                  {t(c.label)} {c.kind === 'cost' ? '↓' : '↑'}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {candidates.map((cand, i) => (
              <tr key={i}>
                <td>
                  <input value={cand.id} onChange={(e) => setCandidates(candidates.map((c, k) => (k === i ? { ...c, id: e.target.value } : c)))} aria-label={t('selection.candidate')} />
                </td>
                {cand.scores.map((s, j) => (
                  <td key={j}>
                    <input type="number" value={s} onChange={(e) => setCandidates(candidates.map((c, k) => (k === i ? { ...c, scores: c.scores.map((v, m) => (m === j ? Number(e.target.value) : v)) } : c)))} aria-label={t(criteria[j]!.label)} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="form-row">
        <button type="button" onClick={() => setCandidates([...candidates, { id: String.fromCharCode(65 + candidates.length), scores: criteria.map(() => 5) }])}>{t('selection.addCandidate')}</button>
        <button type="button" className="primary" onClick={() => void run()} data-testid="selection-run">
          {t('selection.run')}
        </button>
      </div>
      <ErrorMessage message={error} />
      {result ? (
        <div className="grid two" data-testid="selection-result">
          <div>
            <h3>{t('selection.weights')}</h3>
            <ComputedBy where={result.where} />
            <p className={result.ahp.consistencyRatio <= 0.1 ? 'ok' : 'error'}>{t('selection.cr', { cr: formatNumber(result.ahp.consistencyRatio, 3) })}</p>
            {result.ahp.consistencyRatio > 0.1 ? <p className="error">{t('selection.inconsistent', { pairs: result.ahp.mostInconsistent.map((d) => `${d.labelI} / ${d.labelJ}`).join(', ') })}</p> : null}
            <BarChart categories={labels} series={[{ name: t('selection.weight'), values: result.ahp.weights.map((w) => Math.round(w * 1000) / 1000) }]} height={200} label={t('selection.weights')} horizontal />
          </div>
          <div>
            <h3>{t('selection.ranking')}</h3>
            <ol>
              {result.topsis.ranking.map((r) => (
                <li key={r.id}>
                  {r.id} — {t('selection.closeness')} {formatNumber(r.score, 3)}
                </li>
              ))}
            </ol>
          </div>
        </div>
      ) : null}
    </div>
  );
}
