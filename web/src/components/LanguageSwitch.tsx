import { useI18n } from '../i18n/context.js';

/** EN / 中文 toggle in the header; the choice is remembered in localStorage. */
export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label={t('header.language')}>
      <button type="button" className={lang === 'en' ? 'active' : ''} aria-pressed={lang === 'en'} onClick={() => setLang('en')} data-testid="lang-en">
        EN
      </button>
      <button type="button" className={lang === 'zh' ? 'active' : ''} aria-pressed={lang === 'zh'} onClick={() => setLang('zh')} data-testid="lang-zh">
        中文
      </button>
    </div>
  );
}
