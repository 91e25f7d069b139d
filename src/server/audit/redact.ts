/** What a redacted secret reads as in an audit diff. */
export const REDACTED = '[redacted]';

/**
 * Field names that hold secrets: passwords, tokens, API key secrets and key material, hashes of them,
 * session ids. Matched on the whole name, case-insensitively, so `keyPrefix` or `tokenCount` stay.
 */
const SECRET_FIELD = /^(password\w*|\w*Password|passwordHash|token|\w*Token|tokenHash|secret|\w*Secret|key|apiKey|\w*KeyHash|keyHash|privateKey|session\w*Id|sessionId|cookie|authorization)$/i;

/** True when a field of this name must never appear in an audit diff. */
export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name);
}

/** A copy of a JSON value with every secret field's value replaced by {@link REDACTED}, at any depth. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isSecretField(k) ? REDACTED : redactSecrets(v)]));
}

/** What a customer's personal field reads as in an audit diff: set, or changed by this mutation. */
export const PERSONAL = '[personal]';
export const PERSONAL_CHANGED = '[personal, changed]';

/**
 * The personal fields of the audit targets that hold a customer's data, by target type: what erasure
 * removes (see customers/privacy) — a customer's name, e-mail and meta, and the names of its API keys.
 */
const PERSONAL_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  customers: new Set(['name', 'email', 'meta']),
  keys: new Set(['name']),
};

/**
 * Targets whose answers carry a customer's name at any depth: an invoice names its customer (`customerName`,
 * and `billTo.name` when the customer is billed directly), and finalising answers a list of them.
 */
const NESTED_PERSONAL_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  invoices: new Set(['customerName', 'name']),
};

/** True when audit rows of this target type hold a customer's personal fields. */
export function holdsPersonalData(targetType: string): boolean {
  return targetType in PERSONAL_FIELDS || targetType in NESTED_PERSONAL_FIELDS;
}

/** `value` with every string field named in `fields`, at any depth, replaced by {@link PERSONAL}. */
function maskNested(value: unknown, fields: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => maskNested(v, fields));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fields.has(k) && typeof v === 'string' ? PERSONAL : maskNested(v, fields)]));
}

/**
 * A target's before and after with a customer's personal fields (name, e-mail, free-text meta, key names) replaced by
 * {@link PERSONAL} — {@link PERSONAL_CHANGED} on the side that changed — so the trail says that a customer's
 * e-mail was changed, never to what. Why not the values: the trail is hash-chained and never edited, and a
 * customer's erasure must leave none of their personal data anywhere (README "Privacy"); so it never holds it.
 */
export function redactPersonalPair(before: unknown, after: unknown, targetType = 'customers'): [unknown, unknown] {
  const nested = NESTED_PERSONAL_FIELDS[targetType];
  if (nested) return [maskNested(before, nested), maskNested(after, nested)];
  const fields = PERSONAL_FIELDS[targetType] ?? new Set<string>();
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  const b = isObject(before) ? before : {};
  const mask = (value: unknown, other: Record<string, unknown>, isAfter: boolean): unknown => {
    if (!isObject(value)) return value;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        if (!fields.has(k) || v === null) return [k, v];
        const changed = isAfter && JSON.stringify(other[k] ?? null) !== JSON.stringify(v);
        return [k, changed ? PERSONAL_CHANGED : PERSONAL];
      }),
    );
  };
  return [mask(before, {}, false), mask(after, b, true)];
}
