import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { I18nContext, type I18n, type Language } from './context.js';
import { en, type MessageKey } from './en.js';
import { translateEnum } from './enums.js';
import { zh } from './zh.js';
import { formatMoney } from '../money.js';

const dictionaries: Record<Language, Record<MessageKey, string>> = { en, zh };
const storageKey = 'qudao.lang';

function initialLanguage(): Language {
  const saved = localStorage.getItem(storageKey);
  if (saved === 'en' || saved === 'zh') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** Holds the chosen language (remembered in localStorage) and translates every visible string. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Language>(initialLanguage);
  const setLang = useCallback((next: Language) => {
    localStorage.setItem(storageKey, next);
    document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const dictionary = dictionaries[lang];
    const locale = lang === 'zh' ? 'zh-CN' : 'en-US';
    return {
      lang,
      setLang,
      t: (key, vars) => {
        const template = dictionary[key] ?? en[key] ?? key;
        return vars ? template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : template;
      },
      tEnum: (kind, value) => translateEnum(dictionary, kind, value),
      formatNumber: (value, digits = 0) => value.toLocaleString(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 }),
      formatMoney: (micros) => formatMoney(micros, { locale }),
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}
