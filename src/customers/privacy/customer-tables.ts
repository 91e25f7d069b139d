/**
 * Every table with a `customer_id` column, and what erasure does to its rows. This is the one list the
 * export (which section holds the table's rows) and the erasure (what happens to them) are built from; a
 * test lists the tables with a `customer_id` column from information_schema and fails on any not here, so
 * a new table naming customers cannot be forgotten by either.
 *
 * - `kept`: ids, amounts and counts only (the ledger, its rollups, plan history, credits, final invoices —
 *   an invoice names its customer by id; its name is read at display time, so it shows the pseudonym): kept
 *   exactly, so usage totals, rollups, invoices and partner statements still reconcile after an erasure.
 * - `pseudonymised`: personal fields replaced or removed, the row kept (the customer, attribution touches,
 *   fine-tuning jobs, whose free-text `metadata` goes).
 * - `revoked`: the customer's API keys stop working; their free-text names are removed.
 * - `deleted`: request logs hold (redacted) request text, fine-tuning files the customer's training text: they go.
 */
export const customerTables = {
  api_keys: { section: 'apiKeys', erasure: 'revoked' },
  usage_events: { section: 'usage', erasure: 'kept' },
  usage_daily: { section: 'rollups.usageDaily', erasure: 'kept' },
  customer_months: { section: 'rollups.customerMonths', erasure: 'kept' },
  touchpoints: { section: 'touchpoints', erasure: 'pseudonymised' },
  request_logs: { section: 'requestLogs', erasure: 'deleted' },
  customer_plans: { section: 'billing.planHistory', erasure: 'kept' },
  credit_entries: { section: 'billing.credits', erasure: 'kept' },
  invoices: { section: 'billing.invoices', erasure: 'kept' },
  fine_tuning_files: { section: 'fineTuning.files', erasure: 'deleted' },
  fine_tuning_jobs: { section: 'fineTuning.jobs', erasure: 'pseudonymised' },
} as const satisfies Record<string, { section: string; erasure: 'kept' | 'pseudonymised' | 'revoked' | 'deleted' }>;

/** A table of {@link customerTables}. */
export type CustomerTable = keyof typeof customerTables;

/** The stable pseudonym an erased customer (and its visitor ids) is known by: ids and totals still join on it. */
export function pseudonymOf(customerId: string): string {
  return `erased-${customerId}`;
}
