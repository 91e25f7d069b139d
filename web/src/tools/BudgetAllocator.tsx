import { useMemo, useState } from 'react';
import { BarChart } from '../charts/BarChart.js';
import { EChart } from '../charts/EChart.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Field } from '../components/Field.js';
import { useI18n } from '../i18n/context.js';
import { fromMicros, toMicros } from '../money.js';
import { allocateBudget, expectedOutcome, type BudgetAllocation } from '../strategy.js';
import { strategyToolRoutes } from '../../../src/shared/contract/strategy/tools.js';
import { useSession } from '../session/context.js';
import { budgetInputOf, curveOf, exampleChannels, type ChannelRow } from './budgetInputs.js';
import { computeTool, type ComputedWhere } from './computeTool.js';
import { ComputedBy } from './ComputedBy.js';
import { ChannelCurveRow } from './ChannelCurveRow.js';

/**
 * Budget allocator: a person describes each promotion channel's response curve, sets a total, and
 * gets the spend per channel that maximises contribution (src/shared/methods/budgetAllocator.ts,
 * run in the browser), with the curves drawn and each channel's spend marked on its curve.
 */
export function BudgetAllocator() {
  const { t, tEnum, formatNumber, formatMoney } = useI18n();
  const [rows, setRows] = useState<ChannelRow[]>(() => exampleChannels.map((r) => ({ ...r })));
  const [total, setTotal] = useState(100_000);
  const [spendAll, setSpendAll] = useState(false);
  const [result, setResult] = useState<BudgetAllocation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [where, setWhere] = useState<ComputedWhere | null>(null);
  const { client } = useSession();

  async function run() {
    setError(null);
    try {
      const channels = rows.map(budgetInputOf);
      const { result: allocation, where: ran } = await computeTool(
        client,
        strategyToolRoutes.allocateBudget,
        { body: { totalBudgetMicros: toMicros(total), channels, spendAll } },
        () => allocateBudget(toMicros(total), channels, { spendAll }),
        (answer): BudgetAllocation => answer,
      );
      setResult(allocation);
      setWhere(ran);
    } catch (err) {
      setResult(null);
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  const curveOption = useMemo(() => {
    const maxX = Math.max(total, ...rows.map((r) => r.halfSaturationSpend * 3));
    const xs = Array.from({ length: 41 }, (_, i) => (maxX * i) / 40);
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 48, right: 16, top: 36, bottom: 40 },
      xAxis: { type: 'value', name: t('allocator.spend'), nameLocation: 'middle', nameGap: 26 },
      yAxis: { type: 'value', name: t('allocator.outcome') },
      series: rows.map((row) => {
        let curve: ReturnType<typeof curveOf> | null = null;
        try {
          curve = curveOf(row);
        } catch {
          curve = null;
        }
        const allocated = result?.channels.find((c) => c.channelId === row.channelId);
        return {
          name: tEnum('promotionChannel', row.channelId),
          type: 'line',
          showSymbol: false,
          data: curve ? xs.map((x) => [x, safeOutcome(curve, x)]) : [],
          markPoint: allocated && curve ? { symbolSize: 36, data: [{ coord: [fromMicros(allocated.spendMicros), allocated.expectedOutcome], value: formatNumber(allocated.expectedOutcome, 0) }] } : undefined,
        };
      }),
    };
  }, [rows, result, total, t, tEnum, formatNumber]);

  return (
    <div className="tool" data-testid="budget-allocator">
      <p className="muted">{t('allocator.intro')}</p>
      <p className="example-note">{t('common.exampleInputs')}</p>
      <div className="table-scroll">
        <table className="form-table">
          <thead>
            <tr>
              <th>{t('allocator.channel')}</th>
              <th>{t('allocator.curve')}</th>
              <th>{t('allocator.saturation')}</th>
              <th>{t('allocator.halfSpend')}</th>
              <th>{t('allocator.shape')}</th>
              <th>{t('allocator.margin')}</th>
              <th>{t('allocator.min')}</th>
              <th>{t('allocator.max')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <ChannelCurveRow key={i} row={row} onChange={(next) => setRows(rows.map((r, j) => (j === i ? next : r)))} onRemove={() => setRows(rows.filter((_, j) => j !== i))} />
            ))}
          </tbody>
        </table>
      </div>
      <div className="form-row">
        <button type="button" onClick={() => setRows([...rows, { ...exampleChannels[0]!, channelId: `channel-${rows.length + 1}` }])}>
          {t('allocator.addChannel')}
        </button>
        <Field label={t('allocator.total')}>
          <input type="number" min={0} step={1000} value={total} onChange={(e) => setTotal(Number(e.target.value))} data-testid="allocator-total" />
        </Field>
        <label className="check">
          <input type="checkbox" checked={spendAll} onChange={(e) => setSpendAll(e.target.checked)} /> {t('allocator.spendAll')}
        </label>
        <button type="button" className="primary" onClick={() => void run()} data-testid="allocator-run">
          {t('allocator.run')}
        </button>
      </div>
      <ErrorMessage message={error} />
      <EChart option={curveOption} height={300} label={t('allocator.curvesTitle')} />
      {result ? (
        <div data-testid="allocator-result">
          <ComputedBy where={where} />
          <p>
            {t('allocator.summary', {
              spent: formatMoney(result.spentMicros),
              total: formatMoney(result.totalBudgetMicros),
              contribution: formatMoney(result.contributionMicros),
              mu: formatNumber(result.shadowPrice, 2),
            })}
          </p>
          <BarChart categories={result.channels.map((c) => tEnum('promotionChannel', c.channelId))} series={[{ name: t('allocator.spend'), values: result.channels.map((c) => fromMicros(c.spendMicros)) }]} height={220} label={t('allocator.allocationTitle')} />
        </div>
      ) : null}
    </div>
  );
}

function safeOutcome(curve: ReturnType<typeof curveOf>, spendUnits: number): number | null {
  try {
    return expectedOutcome(curve, toMicros(spendUnits));
  } catch {
    return null;
  }
}
