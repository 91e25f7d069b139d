import { useState } from 'react';
import { BarChart } from '../charts/BarChart.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Field } from '../components/Field.js';
import { useI18n } from '../i18n/context.js';
import type { MessageKey } from '../i18n/en.js';
import { scoreSegments, type SegmentAttributes, type SegmentWeights } from '../strategy.js';

type Attribute = keyof SegmentWeights;
const attributes: readonly { key: Attribute; label: MessageKey }[] = [
  { key: 'size', label: 'market.size' },
  { key: 'growth', label: 'market.growth' },
  { key: 'willingnessToPay', label: 'market.wtp' },
  { key: 'competition', label: 'market.competition' },
  { key: 'fit', label: 'market.fit' },
];

/** Example segments (1–10 ratings) the tool opens with; replaced by the workspace's segments when the API has them. */
const exampleSegments: SegmentAttributes[] = [
  { id: 'finance × east-cn × enterprise', size: 8, growth: 6, willingnessToPay: 9, competition: 8, fit: 6 },
  { id: 'education × national × smb', size: 7, growth: 8, willingnessToPay: 4, competition: 5, fit: 8 },
  { id: 'manufacturing × south-cn × mid', size: 6, growth: 7, willingnessToPay: 6, competition: 3, fit: 7 },
];

/** Segment scoring (market positioning): weighted sum or TOPSIS over the segment attributes. */
export function SegmentScoringTool({ initial }: { initial?: SegmentAttributes[] }) {
  const { t } = useI18n();
  const [segments, setSegments] = useState<SegmentAttributes[]>(initial && initial.length > 0 ? initial : exampleSegments);
  const [weights, setWeights] = useState<SegmentWeights>({ size: 3, growth: 2, willingnessToPay: 2, competition: 1, fit: 3 });
  const [method, setMethod] = useState<'topsis' | 'weightedSum'>('topsis');
  const [scores, setScores] = useState<number[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  function run() {
    setError(null);
    try {
      setScores(scoreSegments(segments, weights, method).scores);
    } catch (err) {
      setScores(null);
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <div className="tool" data-testid="segment-scoring">
      {!initial || initial.length === 0 ? <p className="example-note">{t('common.exampleInputs')}</p> : null}
      <div className="table-scroll">
        <table className="form-table">
          <thead>
            <tr>
              <th>{t('market.segment')}</th>
              {attributes.map((a) => (
                <th key={a.key}>
                  {t(a.label)} {a.key === 'competition' ? '↓' : '↑'}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr className="weights-row">
              <th>{t('market.weight')}</th>
              {attributes.map((a) => (
                <td key={a.key}>
                  <input type="number" min={0} step={0.5} value={weights[a.key]} onChange={(e) => setWeights({ ...weights, [a.key]: Number(e.target.value) })} aria-label={`${t('market.weight')} ${t(a.label)}`} />
                </td>
              ))}
            </tr>
            {segments.map((s, i) => (
              <tr key={i}>
                <td>
                  <input value={s.id} onChange={(e) => setSegments(segments.map((x, k) => (k === i ? { ...x, id: e.target.value } : x)))} aria-label={t('market.segment')} />
                </td>
                {attributes.map((a) => (
                  <td key={a.key}>
                    <input type="number" value={s[a.key]} onChange={(e) => setSegments(segments.map((x, k) => (k === i ? { ...x, [a.key]: Number(e.target.value) } : x)))} aria-label={t(a.label)} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="form-row">
        <button type="button" onClick={() => setSegments([...segments, { id: `segment ${segments.length + 1}`, size: 5, growth: 5, willingnessToPay: 5, competition: 5, fit: 5 }])}>{t('market.addSegment')}</button>
        <Field label={t('market.method')}>
          <select value={method} onChange={(e) => setMethod(e.target.value === 'weightedSum' ? 'weightedSum' : 'topsis')}>
            <option value="topsis">TOPSIS</option>
            <option value="weightedSum">{t('market.weightedSum')}</option>
          </select>
        </Field>
        <button type="button" className="primary" onClick={run} data-testid="segment-run">
          {t('market.score')}
        </button>
      </div>
      <ErrorMessage message={error} />
      {scores ? (
        <BarChart categories={segments.map((s) => s.id)} series={[{ name: t('market.scoreLabel'), values: scores.map((v) => Math.round(v * 1000) / 1000) }]} height={220} label={t('market.scoring')} horizontal />
      ) : null}
    </div>
  );
}
