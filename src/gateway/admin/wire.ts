/** Converts a row (camelCase keys, Dates) to the `/api` wire format (snake_case keys, ISO strings). */
export function toWire(row: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    const snake = k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/([a-z])(\d)/g, '$1_$2');
    out[snake] = v instanceof Date ? v.toISOString() : v;
  }
  return out;
}

/** Converts validated snake_case input to camelCase, dropping absent fields. */
export function fromWire<T>(input: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (v !== undefined) out[k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = v;
  }
  return out as T;
}
