/** A 'YYYY-MM' month as the reader's language writes it ("November 2026", "2026年11月"). */
export function monthName(month: string, lang: 'en' | 'zh'): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-US', { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)));
}
