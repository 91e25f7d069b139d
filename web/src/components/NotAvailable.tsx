import { useI18n } from '../i18n/context.js';

/** The honest state of a panel whose server feature is not built yet: no numbers, just what is missing. */
export function NotAvailable({ path }: { path: string }) {
  const { t } = useI18n();
  return (
    <div className="not-available" data-testid="not-available">
      <strong>{t('common.notAvailable')}</strong>
      <span>{t('common.notAvailableHint', { path })}</span>
    </div>
  );
}
