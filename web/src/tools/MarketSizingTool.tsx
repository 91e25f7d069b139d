import { useState } from 'react';
import { BarChart } from '../charts/BarChart.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useI18n } from '../i18n/context.js';
import { fromMicros, toMicros } from '../money.js';
import { sizeMarket, type MarketSize } from '../strategy.js';

interface SizingRow {
  id: string;
  accounts: number;
  serviceablePercent: number;
  adoptionPercent: number;
  annualPrice: number;
}

const exampleRows: SizingRow[] = [
  { id: 'finance', accounts: 4000, serviceablePercent: 40, adoptionPercent: 5, annualPrice: 120_000 },
  { id: 'education', accounts: 30000, serviceablePercent: 60, adoptionPercent: 3, annualPrice: 12_000 },
  { id: 'manufacturing', accounts: 12000, serviceablePercent: 30, adoptionPercent: 4, annualPrice: 48_000 },
];

/** Bottom-up TAM/SAM/SOM over segments (src/shared/methods/marketSizing.ts). */
export function MarketSizingTool() {
  const { t, formatMoney } = useI18n();
  const [rows, setRows] = useState<SizingRow[]>(exampleRows);
  const [result, setResult] = useState<MarketSize | null>(null);
  const [error, setError] = useState<string | null>(null);
  const set = (i: number, key: keyof SizingRow, value: string) => setRows(rows.map((r, k) => (k === i ? { ...r, [key]: key === 'id' ? value : Number(value) } : r)));

  function run() {
    setError(null);
    try {
      setResult(sizeMarket(rows.map((r) => ({ id: r.id, accounts: Math.round(r.accounts), serviceableShare: r.serviceablePercent / 100, adoptionRate: r.adoptionPercent / 100, annualPriceMicros: toMicros(r.annualPrice) }))));
    } catch (err) {
      setResult(null);
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  const fields: readonly (keyof SizingRow)[] = ['accounts', 'serviceablePercent', 'adoptionPercent', 'annualPrice'];
  return (
    <div className="tool" data-testid="market-sizing">
      <p className="example-note">{t('common.exampleInputs')}</p>
      <div className="table-scroll">
        <table className="form-table">
          <thead>
            <tr>
              <th>{t('market.segment')}</th>
              <th>{t('market.accounts')}</th>
              <th>{t('market.serviceable')}</th>
              <th>{t('market.adoption')}</th>
              <th>{t('market.annualPrice')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td>
                  <input value={r.id} onChange={(e) => set(i, 'id', e.target.value)} aria-label={t('market.segment')} />
                </td>
                {fields.map((f) => (
                  <td key={f}>
                    <input type="number" value={r[f]} onChange={(e) => set(i, f, e.target.value)} aria-label={f} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="form-row">
        <button type="button" onClick={() => setRows([...rows, { id: `segment ${rows.length + 1}`, accounts: 1000, serviceablePercent: 50, adoptionPercent: 5, annualPrice: 10_000 }])}>{t('market.addSegment')}</button>
        <button type="button" className="primary" onClick={run} data-testid="sizing-run">
          {t('market.size.run')}
        </button>
      </div>
      <ErrorMessage message={error} />
      {result ? (
        <>
          <div className="kpis">
            <div><span className="muted">TAM</span><strong>{formatMoney(result.tamMicros)}</strong></div>
            <div><span className="muted">SAM</span><strong>{formatMoney(result.samMicros)}</strong></div>
            <div><span className="muted">SOM</span><strong>{formatMoney(result.somMicros)}</strong></div>
          </div>
          <BarChart
            categories={result.segments.map((s) => s.id)}
            series={[
              { name: 'TAM', values: result.segments.map((s) => fromMicros(s.tamMicros)) },
              { name: 'SAM', values: result.segments.map((s) => fromMicros(s.samMicros)) },
              { name: 'SOM', values: result.segments.map((s) => fromMicros(s.somMicros)) },
            ]}
            height={240}
            label="TAM / SAM / SOM"
          />
        </>
      ) : null}
    </div>
  );
}
