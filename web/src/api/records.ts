/**
 * Reading fields out of server rows whose exact shape is owned by other modules: camelCase or
 * snake_case, numbers that may arrive as strings (bigint columns). Used only to display.
 */
export type Row = Readonly<Record<string, unknown>>;

/** The first present field among `names`, as display text ('—' when absent). */
export function text(row: Row, ...names: string[]): string {
  for (const name of names) {
    const v = row[name];
    if (v === null || v === undefined || v === '') continue;
    if (Array.isArray(v)) return v.length === 0 ? '—' : v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ');
    if (typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      return entries.length === 0 ? '—' : entries.map(([k, x]) => `${k}: ${typeof x === 'object' ? JSON.stringify(x) : String(x)}`).join(', ');
    }
    return String(v);
  }
  return '—';
}

/** The first numeric field among `names`, or null. */
export function num(row: Row, ...names: string[]): number | null {
  for (const name of names) {
    const v = row[name];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  }
  return null;
}

/** A row's id for React keys. */
export function idOf(row: Row, index: number): string {
  const id = row.id ?? row.name ?? row.prefix;
  return typeof id === 'string' ? id : String(index);
}
