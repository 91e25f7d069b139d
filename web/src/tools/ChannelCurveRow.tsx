import { useI18n } from '../i18n/context.js';
import type { ChannelRow } from './budgetInputs.js';

/** One editable promotion channel of the budget allocator. */
export function ChannelCurveRow({ row, onChange, onRemove }: { row: ChannelRow; onChange: (row: ChannelRow) => void; onRemove: () => void }) {
  const { t } = useI18n();
  const num = (key: keyof ChannelRow, value: string) => onChange({ ...row, [key]: value === '' && key === 'maxSpend' ? null : Number(value) });
  return (
    <tr>
      <td>
        <input value={row.channelId} onChange={(e) => onChange({ ...row, channelId: e.target.value })} aria-label={t('allocator.channel')} />
      </td>
      <td>
        <select value={row.model} onChange={(e) => onChange({ ...row, model: e.target.value === 'hill' ? 'hill' : 'negativeExponential' })} aria-label={t('allocator.curve')}>
          <option value="negativeExponential">{t('allocator.negExp')}</option>
          <option value="hill">{t('allocator.hill')}</option>
        </select>
      </td>
      <td>
        <input type="number" value={row.saturation} onChange={(e) => num('saturation', e.target.value)} aria-label={t('allocator.saturation')} />
      </td>
      <td>
        <input type="number" value={row.halfSaturationSpend} onChange={(e) => num('halfSaturationSpend', e.target.value)} aria-label={t('allocator.halfSpend')} />
      </td>
      <td>
        <input type="number" step={0.1} value={row.shape} disabled={row.model !== 'hill'} onChange={(e) => num('shape', e.target.value)} aria-label={t('allocator.shape')} />
      </td>
      <td>
        <input type="number" value={row.marginPerOutcome} onChange={(e) => num('marginPerOutcome', e.target.value)} aria-label={t('allocator.margin')} />
      </td>
      <td>
        <input type="number" value={row.minSpend} onChange={(e) => num('minSpend', e.target.value)} aria-label={t('allocator.min')} />
      </td>
      <td>
        <input type="number" value={row.maxSpend ?? ''} placeholder="—" onChange={(e) => num('maxSpend', e.target.value)} aria-label={t('allocator.max')} />
      </td>
      <td>
        <button type="button" className="link-button" onClick={onRemove} aria-label={t('common.remove')}>
          ✕
        </button>
      </td>
    </tr>
  );
}
