import { marketRoutes, type MarketSizeReportAnswer } from '../../../src/shared/contract/strategy/market.js';
import { useRoute } from '../api/useResource.js';
import { BarChart } from '../charts/BarChart.js';
import { DataTable } from '../components/DataTable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import type { MessageKey } from '../i18n/en.js';
import { fromMicros } from '../money.js';

/** One segment of the report. */
type SegmentRow = MarketSizeReportAnswer['segments'][number];
/** The input to raise when observed customers exceed the sizing. */
type SizingInput = NonNullable<SegmentRow['observedShareOfSam']['exceedsSizing']>['input'];
type ShareField = 'observedShareOfSam' | 'observedShareOfSom';

/** How each sizing input is named on screen. */
const inputLabels: Record<SizingInput, MessageKey> = { accounts: 'market.input.accounts', serviceableShare: 'market.input.serviceableShare', adoptionRate: 'market.input.adoptionRate' };

/**
 * TAM/SAM/SOM of the workspace's segments with the reach observed in the ledger (GET /api/market/size). Not
 * asked while there are no segments (the server refuses to size an empty market).
 */
export function MarketSizeReport({ hasSegments }: { hasSegments: boolean }) {
  const { t, formatNumber, formatMoney } = useI18n();
  const report = useRoute(marketRoutes.marketSize, hasSegments ? {} : null);
  const inputName = (input: SizingInput) => t(inputLabels[input]);
  /** A share as a percentage; a share the sizing cannot hold is a warning naming the input, never a percentage. */
  const share = (r: SegmentRow, field: ShareField) => {
    const s = r[field];
    if (s.exceedsSizing) return <span className="warning" data-testid="share-exceeds-sizing" data-input={s.exceedsSizing.input}>{t('market.exceedsSizing', { input: inputName(s.exceedsSizing.input) })}</span>;
    return <span data-testid="observed-share">{s.share === null ? '—' : `${formatNumber(s.share * 100, 1)}%`}</span>;
  };
  /** One line per segment and market whose observed customers exceed the sizing. */
  const warnings = (segments: readonly SegmentRow[]) =>
    segments.flatMap((r) => (['observedShareOfSam', 'observedShareOfSom'] as const).flatMap((field) => {
      const s = r[field];
      if (!s.exceedsSizing) return [];
      const ratio = s.exceedsSizing.ratio === null ? '—' : `${formatNumber(s.exceedsSizing.ratio * 100, 0)}%`;
      return [{ key: `${r.id}-${field}`, text: t('market.sizingWarning', { segment: r.name || r.id, observed: formatNumber(s.observed), market: field === 'observedShareOfSam' ? 'SAM' : 'SOM', sized: formatNumber(s.sized, 1), ratio, input: inputName(s.exceedsSizing.input) }) }];
    }));
  if (!hasSegments) return <p className="muted">{t('market.noSegments')}</p>;
  return (
    <ResourceView resource={report} path={marketRoutes.marketSize.url}>
      {(data) => {
        const segments = data.segments;
        if (segments.length === 0) return <p className="muted">{t('market.noSegments')}</p>;
        const sizingWarnings = warnings(segments);
        return (
          <div data-testid="market-size-report">
            <div className="kpis">
              <div><span className="muted">TAM</span><strong>{formatMoney(data.tamMicros)}</strong></div>
              <div><span className="muted">SAM</span><strong>{formatMoney(data.samMicros)}</strong></div>
              <div><span className="muted">SOM</span><strong>{formatMoney(data.somMicros)}</strong></div>
              <div><span className="muted">{t('market.observedRevenue')}</span><strong>{formatMoney(data.observedRevenueMicros)}</strong></div>
              <div><span className="muted">{t('market.observedCustomers')}</span><strong>{formatNumber(data.observedCustomers)}</strong></div>
            </div>
            <BarChart
              categories={segments.map((s) => s.name || s.id)}
              series={[
                { name: 'TAM', values: segments.map((s) => fromMicros(s.tamMicros)) },
                { name: 'SAM', values: segments.map((s) => fromMicros(s.samMicros)) },
                { name: 'SOM', values: segments.map((s) => fromMicros(s.somMicros)) },
                { name: t('market.observedRevenue'), values: segments.map((s) => fromMicros(s.observedRevenueMicros)) },
              ]}
              height={260}
              label={t('market.sizing')}
            />
            {sizingWarnings.length > 0 ? (
              <div className="warning-box" role="alert" data-testid="sizing-warnings">
                <strong>{t('market.sizingWarningTitle')}</strong>
                <ul>{sizingWarnings.map((w) => <li key={w.key}>{w.text}</li>)}</ul>
              </div>
            ) : null}
            <p className="muted small" data-testid="share-basis">{t('market.shareBasis')}</p>
            <DataTable
              testId="market-size-table"
              rows={segments}
              rowKey={(r) => r.id}
              columns={[
                { header: t('market.segment'), cell: (r) => r.name || r.id },
                { header: 'SOM', cell: (r) => formatMoney(r.somMicros), numeric: true },
                { header: t('market.observedCustomers'), cell: (r) => formatNumber(r.observedCustomers), numeric: true },
                { header: t('market.shareOfSam'), cell: (r) => share(r, 'observedShareOfSam'), numeric: true },
                { header: t('market.shareOfSom'), cell: (r) => share(r, 'observedShareOfSom'), numeric: true },
              ]}
            />
          </div>
        );
      }}
    </ResourceView>
  );
}
