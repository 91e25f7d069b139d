import { createContext, useContext } from 'react';
import type { MessageKey } from './en.js';
import type { EnumKind } from './enums.js';

/** The dashboard's languages. */
export type Language = 'en' | 'zh';

/** What {@link useI18n} gives a component. */
export interface I18n {
  lang: Language;
  setLang(lang: Language): void;
  /** The message for `key` in the current language, `{name}` placeholders filled from `vars`. */
  t(key: MessageKey, vars?: Readonly<Record<string, string | number>>): string;
  /** An enum value the server sent (a status, a channel type …) in the current language; unknown values as sent. */
  tEnum(kind: EnumKind, value: string): string;
  /** Numbers in the current locale. */
  formatNumber(value: number, digits?: number): string;
  /**
   * Money given in micro-units, in currency units through the one formatter (web/src/money.ts): two
   * decimals in the locale's form, `< 0.01` for a non-zero amount under half a cent.
   */
  formatMoney(micros: number): string;
}

export const I18nContext = createContext<I18n | null>(null);

/** The current language and its translator; throws outside {@link I18nProvider}. */
export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
