import { listFrom } from '../api/client.js';
import { endpoints } from '../api/endpoints.js';
import { idOf, num, text, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { BarChart } from '../charts/BarChart.js';
import { DataTable } from '../components/DataTable.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import type { MessageKey } from '../i18n/en.js';
import { fromMicros } from '../money.js';

/** An observed share of SAM or SOM as sent (src/strategy/methods/observedShare.ts, ObservedShare). */
interface ObservedShareWire {
  basis: 'accounts';
  observed: number;
  sized: number;
  share: number | null;
  exceedsSizing: { input: SizingInput; ratio: number | null } | null;
}

type SizingInput = 'accounts' | 'serviceableShare' | 'adoptionRate';

/** How each sizing input is named on screen. */
const inputLabels: Record<SizingInput, MessageKey> = { accounts: 'market.input.accounts', serviceableShare: 'market.input.serviceableShare', adoptionRate: 'market.input.adoptionRate' };

const shareOf = (row: Row, field: 'observedShareOfSam' | 'observedShareOfSom'): ObservedShareWire | null => {
  const v = row[field];
  return v !== null && typeof v === 'object' ? (v as ObservedShareWire) : null;
};

/**
 * TAM/SAM/SOM of the workspace's segments with the reach observed in the ledger (GET /api/market/size). Not
 * asked while there are no segments (the server refuses to size an empty market).
 */
export function MarketSizeReport({ hasSegments }: { hasSegments: boolean }) {
  const { t, formatNumber, formatMoney } = useI18n();
  const report = useResource<Row>(hasSegments ? endpoints.marketSize : null);
  const money = (r: Row, field: string) => formatMoney(num(r, field) ?? 0);
  const inputName = (input: SizingInput) => t(inputLabels[input] ?? 'market.input.accounts');
  /** A share as a percentage; a share the sizing cannot hold is a warning naming the input, never a percentage. */
  const share = (r: Row, field: 'observedShareOfSam' | 'observedShareOfSom') => {
    const s = shareOf(r, field);
    if (s?.exceedsSizing) return <span className="warning" data-testid="share-exceeds-sizing" data-input={s.exceedsSizing.input}>{t('market.exceedsSizing', { input: inputName(s.exceedsSizing.input) })}</span>;
    return <span data-testid="observed-share">{s?.share === null || s?.share === undefined ? '—' : `${formatNumber(s.share * 100, 1)}%`}</span>;
  };
  /** One line per segment and market whose observed customers exceed the sizing. */
  const warnings = (segments: readonly Row[]) =>
    segments.flatMap((r) => (['observedShareOfSam', 'observedShareOfSom'] as const).flatMap((field) => {
      const s = shareOf(r, field);
      if (!s?.exceedsSizing) return [];
      const ratio = s.exceedsSizing.ratio === null ? '—' : `${formatNumber(s.exceedsSizing.ratio * 100, 0)}%`;
      return [{ key: `${idOf(r, 0)}-${field}`, text: t('market.sizingWarning', { segment: text(r, 'name', 'id'), observed: formatNumber(s.observed), market: field === 'observedShareOfSam' ? 'SAM' : 'SOM', sized: formatNumber(s.sized, 1), ratio, input: inputName(s.exceedsSizing.input) }) }];
    }));
  if (!hasSegments) return <p className="muted">{t('market.noSegments')}</p>;
  return (
    <ResourceView resource={report} path={endpoints.marketSize}>
      {(data) => {
        const segments = listFrom<Row>(data.segments ?? []);
        if (segments.length === 0) return <p className="muted">{t('market.noSegments')}</p>;
        const sizingWarnings = warnings(segments);
        return (
          <div data-testid="market-size-report">
            <div className="kpis">
              <div><span className="muted">TAM</span><strong>{money(data, 'tamMicros')}</strong></div>
              <div><span className="muted">SAM</span><strong>{money(data, 'samMicros')}</strong></div>
              <div><span className="muted">SOM</span><strong>{money(data, 'somMicros')}</strong></div>
              <div><span className="muted">{t('market.observedRevenue')}</span><strong>{money(data, 'observedRevenueMicros')}</strong></div>
              <div><span className="muted">{t('market.observedCustomers')}</span><strong>{formatNumber(num(data, 'observedCustomers') ?? 0)}</strong></div>
            </div>
            <BarChart
              categories={segments.map((s) => text(s, 'name', 'id'))}
              series={[
                { name: 'TAM', values: segments.map((s) => fromMicros(num(s, 'tamMicros') ?? 0)) },
                { name: 'SAM', values: segments.map((s) => fromMicros(num(s, 'samMicros') ?? 0)) },
                { name: 'SOM', values: segments.map((s) => fromMicros(num(s, 'somMicros') ?? 0)) },
                { name: t('market.observedRevenue'), values: segments.map((s) => fromMicros(num(s, 'observedRevenueMicros') ?? 0)) },
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
              rowKey={idOf}
              columns={[
                { header: t('market.segment'), cell: (r) => text(r, 'name', 'id') },
                { header: 'SOM', cell: (r) => money(r, 'somMicros'), numeric: true },
                { header: t('market.observedCustomers'), cell: (r) => formatNumber(num(r, 'observedCustomers') ?? 0), numeric: true },
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
