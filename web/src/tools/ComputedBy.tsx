import { useI18n } from '../i18n/context.js';
import type { ComputedWhere } from './computeTool.js';

/** A small note saying whether the server's strategy tool or the browser computed a result. */
export function ComputedBy({ where }: { where: ComputedWhere | null }) {
  const { t } = useI18n();
  if (!where) return null;
  return (
    <p className="muted small" data-testid="computed-by">
      {where === 'server' ? t('common.computedServer') : t('common.computedBrowser')}
    </p>
  );
}
