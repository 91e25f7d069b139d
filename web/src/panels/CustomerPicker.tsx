import { useEffect, useState } from 'react';
import { listFrom } from '../api/client.js';
import { endpoints } from '../api/endpoints.js';
import { text, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { useI18n } from '../i18n/context.js';

/** How many matches one search shows; the server counts the rest (a workspace has thousands of customers). */
const MATCHES = 20;

/** `GET /api/customers?q=…` for the picker: newest first, active and paused customers alike. */
export function customerSearchPath(query: string): string {
  const q = query.trim();
  return `${endpoints.customers}?${new URLSearchParams({ ...(q ? { q } : {}), limit: String(MATCHES) }).toString()}`;
}

/**
 * A customer picker that searches the server by name, email or id as the person types (debounced), so
 * every customer can be found, not only the first page: a search box and a select over its matches.
 */
export function CustomerPicker({ value, onChange, testId }: { value: string; onChange: (id: string) => void; testId: string }) {
  const { t, formatNumber } = useI18n();
  const [query, setQuery] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(query), 250);
    return () => clearTimeout(timer);
  }, [query]);
  const found = useResource<unknown>(customerSearchPath(debounced));
  const [chosen, setChosen] = useState<Row | null>(null);
  if (found.status === 'unavailable') return <input value={value} onChange={(e) => onChange(e.target.value)} required data-testid={testId} />;
  const matches = listFrom<Row>(found.data);
  const total = typeof (found.data as Row | null)?.total === 'number' ? ((found.data as Row).total as number) : matches.length;
  // The chosen customer stays selectable while the person searches for something else.
  const options = chosen && !matches.some((m) => m.id === chosen.id) ? [chosen, ...matches] : matches;
  return (
    <div className="picker">
      <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('keys.customerSearch')} aria-label={t('keys.customerSearch')} data-testid={`${testId}-search`} />
      <select
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
          setChosen(options.find((o) => o.id === e.target.value) ?? null);
        }}
        required
        data-testid={testId}
      >
        <option value="">{found.status === 'loading' ? t('common.loading') : t('keys.customerMatches', { shown: formatNumber(matches.length), total: formatNumber(total) })}</option>
        {options.map((r) => (
          <option key={text(r, 'id')} value={text(r, 'id')} title={text(r, 'id')}>
            {text(r, 'name')}
            {r.email ? ` · ${text(r, 'email')}` : ''}
          </option>
        ))}
      </select>
    </div>
  );
}
