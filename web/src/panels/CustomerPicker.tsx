import { useEffect, useState } from 'react';
import { customerRoutes, type Customer } from '../../../src/shared/contract/customers.js';
import { useRoute } from '../api/useResource.js';
import { useI18n } from '../i18n/context.js';

/** How many matches one search shows; the server counts the rest (a workspace has thousands of customers). */
const MATCHES = 20;

/** `GET /api/customers?q=…` for the picker: newest first, active and paused customers alike. */
export function customerSearch(query: string): { query: { q?: string; limit: number } } {
  const q = query.trim();
  return { query: { ...(q ? { q } : {}), limit: MATCHES } };
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
  const found = useRoute(customerRoutes.list, customerSearch(debounced));
  const [chosen, setChosen] = useState<Customer | null>(null);
  if (found.status === 'unavailable') return <input value={value} onChange={(e) => onChange(e.target.value)} required data-testid={testId} />;
  const matches = found.data?.data ?? [];
  const total = found.data?.total ?? matches.length;
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
          <option key={r.id} value={r.id} title={r.id}>
            {r.name}
            {r.email ? ` · ${r.email}` : ''}
          </option>
        ))}
      </select>
    </div>
  );
}
