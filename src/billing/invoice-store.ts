import { sql, type SQL } from 'drizzle-orm';
import { monthEnd, type Month } from '../shared/month.js';
import { QudaoError } from '../errors/index.js';
import { idOrNull, num, rowsOf, type Database } from '../store/index.js';
import type { BillingUsageGroup, PlanPeriod, PlanTerms } from './invoice.js';

/**
 * What the invoice computation reads from the store, in a few grouped queries for every customer of a month
 * at once (a month of the demo's 600 customers is one pass over the ledger, not 600).
 */


/** Statuses whose invoice settles the rows it covers (a void invoice gives its rows back). */
export const SETTLING_STATUSES = ['final', 'paid'] as const;

/** SQL: the ledger row `u` is covered by a final (or paid) invoice of its month or a later one. */
export function invoicedSql(): SQL {
  return sql`EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = u.customer_id AND i.status IN ('final', 'paid')
    AND i.month >= to_char(u.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM') AND i.covered_seq >= u.seq)`;
}

/** SQL: the billable rows — a customer's, not a guardrail line (guardrail lines carry cost only, never a price). */
export const billableSql = sql`u.customer_id IS NOT NULL AND u.endpoint <> 'guardrail'`;

/** The ledger's highest seq now. */
export async function ledgerTop(db: Database): Promise<number> {
  const [r] = rowsOf<{ seq: unknown }>(await db.execute(sql`SELECT coalesce(max(seq), 0) AS seq FROM usage_events`));
  return num(r?.seq);
}

/** A customer's usage groups, and the part of its price prepaid credit already paid. */
export interface CustomerUsage {
  groups: BillingUsageGroup[];
  prepaidMicros: number;
}

/**
 * Unsettled usage up to `cutoffSeq` of `month` and earlier months, grouped per customer × month × plan in force
 * (the plan history's, else the key's) × model × channel × partner × reseller agreement in force.
 */
export async function loadUsage(db: Database, month: Month, cutoffSeq: number, customerIds?: readonly string[]): Promise<Map<string, CustomerUsage>> {
  const only = customerIds ? sql`AND u.customer_id IN (${sql.join(customerIds.map((c) => sql`${c}`), sql`, `)})` : sql``;
  if (customerIds && customerIds.length === 0) return new Map();
  const rows = rowsOf<Record<string, unknown>>(await db.execute(sql`
    SELECT u.customer_id, to_char(u.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
           coalesce((SELECT cp.plan_id FROM customer_plans cp WHERE cp.customer_id = u.customer_id AND cp.starts_at <= u.occurred_at ORDER BY cp.starts_at DESC LIMIT 1),
                    (SELECT k.plan_id FROM api_keys k WHERE k.id = u.key_id)) AS plan_id,
           u.model, u.channel_id, u.partner_id, a.id AS agreement_id, coalesce(a.discount_bps, 0) AS discount_bps,
           (c.billing_mode = 'prepaid' AND c.prepaid_since IS NOT NULL AND u.occurred_at >= c.prepaid_since) AS prepaid,
           count(*) AS requests, sum(u.prompt_tokens) AS prompt, sum(u.completion_tokens) AS completion, sum(u.price_micros) AS price,
           sum(u.training_tokens) AS training, coalesce(sum(u.price_micros) FILTER (WHERE u.training_tokens > 0), 0) AS training_price
      FROM usage_events u
      JOIN customers c ON c.id = u.customer_id
      LEFT JOIN LATERAL (
        SELECT x.id, x.discount_bps FROM (
          SELECT ag.id, ag.discount_bps, ag.revenue_share_bps FROM agreements ag
           WHERE ag.partner_id = u.partner_id AND ag.starts_at <= u.occurred_at AND (ag.ends_at IS NULL OR u.occurred_at < ag.ends_at)
           ORDER BY ag.starts_at DESC, ag.created_at DESC LIMIT 1) x
         WHERE x.revenue_share_bps = 0 AND x.discount_bps > 0) a ON true
     WHERE ${billableSql} AND u.seq <= ${cutoffSeq} AND u.occurred_at < ${monthEnd(month).toISOString()} ${only}
       AND NOT ${invoicedSql()}
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`));
  const out = new Map<string, CustomerUsage>();
  for (const r of rows) {
    const id = String(r.customer_id);
    const usage = out.get(id) ?? { groups: [], prepaidMicros: 0 };
    const price = num(r.price);
    usage.groups.push({
      month: String(r.month), planId: idOrNull(r.plan_id), model: String(r.model), channelId: idOrNull(r.channel_id), partnerId: idOrNull(r.partner_id),
      agreementId: idOrNull(r.agreement_id), discountBps: num(r.discount_bps), requests: num(r.requests), promptTokens: num(r.prompt), completionTokens: num(r.completion), trainingTokens: num(r.training), priceMicros: price, trainingPriceMicros: num(r.training_price),
    });
    if (r.prepaid === true || r.prepaid === 't') usage.prepaidMicros += price;
    out.set(id, usage);
  }
  return out;
}

/** Every price plan's terms. */
export async function loadPlans(db: Database): Promise<Map<string, PlanTerms>> {
  const rows = rowsOf<Record<string, unknown>>(await db.execute(sql`SELECT id, name, input_per_1m_micros, output_per_1m_micros, training_per_1m_micros, monthly_fee_micros, included_tokens FROM price_plans`));
  return new Map(rows.map((r) => [String(r.id), {
    id: String(r.id), name: String(r.name), inputPer1mMicros: num(r.input_per_1m_micros), outputPer1mMicros: num(r.output_per_1m_micros), trainingPer1mMicros: num(r.training_per_1m_micros),
    monthlyFeeMicros: num(r.monthly_fee_micros), includedTokens: num(r.included_tokens),
  }]));
}

/** Plan histories of the customers whose plans were in force at some point of `month` or before. */
export async function loadHistories(db: Database, month: Month, customerIds?: readonly string[]): Promise<Map<string, PlanPeriod[]>> {
  if (customerIds && customerIds.length === 0) return new Map();
  const only = customerIds ? sql`AND customer_id IN (${sql.join(customerIds.map((c) => sql`${c}`), sql`, `)})` : sql``;
  const rows = rowsOf<Record<string, unknown>>(await db.execute(sql`SELECT customer_id, plan_id, starts_at FROM customer_plans WHERE starts_at < ${monthEnd(month).toISOString()} ${only} ORDER BY customer_id, starts_at`));
  const out = new Map<string, PlanPeriod[]>();
  for (const r of rows) {
    const id = String(r.customer_id);
    const list = out.get(id) ?? [];
    list.push({ planId: String(r.plan_id), startsAt: new Date(String(r.starts_at)) });
    out.set(id, list);
  }
  return out;
}

/** The customer facts an invoice is addressed with. */
export interface BillingCustomer {
  id: string;
  name: string;
  region: string | null;
  status: string;
  acquiredAt: Date;
  acquiredChannelId: string | null;
  acquiredPartnerId: string | null;
  /** The reseller that is invoiced for this customer, when its acquisition channel resells. */
  resellerId: string | null;
  resellerName: string | null;
  taxRateBps: number;
}

/** Customers (all, or the ones named) with their bill-to reseller and tax rate. */
export async function loadCustomers(db: Database, customerIds?: readonly string[]): Promise<Map<string, BillingCustomer>> {
  if (customerIds && customerIds.length === 0) return new Map();
  const only = customerIds ? sql`WHERE c.id IN (${sql.join(customerIds.map((c) => sql`${c}`), sql`, `)})` : sql``;
  const rows = rowsOf<Record<string, unknown>>(await db.execute(sql`
    SELECT c.id, c.name, c.region, c.status, c.acquired_at, c.acquired_channel_id, c.acquired_partner_id,
           CASE WHEN ch.margin_kind = 'wholesale_discount' THEN ch.owner_partner_id END AS reseller_id, p.name AS reseller_name,
           coalesce(t.rate_bps, 0) AS tax_rate_bps
      FROM customers c
      LEFT JOIN channels ch ON ch.id = c.acquired_channel_id
      LEFT JOIN partners p ON p.id = ch.owner_partner_id AND ch.margin_kind = 'wholesale_discount'
      LEFT JOIN tax_rates t ON t.region = c.region
      ${only}`));
  return new Map(rows.map((r) => [String(r.id), {
    id: String(r.id), name: String(r.name), region: idOrNull(r.region), status: String(r.status), acquiredAt: new Date(String(r.acquired_at)),
    acquiredChannelId: idOrNull(r.acquired_channel_id), acquiredPartnerId: idOrNull(r.acquired_partner_id),
    resellerId: idOrNull(r.reseller_id), resellerName: r.reseller_name == null ? null : String(r.reseller_name), taxRateBps: num(r.tax_rate_bps),
  }]));
}

/** The workspace currency (workspace setting `currency`, USD by default). */
export async function workspaceCurrency(db: Database): Promise<string> {
  const [r] = rowsOf<{ value: unknown }>(await db.execute(sql`SELECT value FROM workspace_settings WHERE key = 'currency'`));
  return typeof r?.value === 'string' ? r.value : 'USD';
}

/** The name invoices are issued under (workspace setting `name`, "Qudao" by default). */
export async function workspaceName(db: Database): Promise<string> {
  const [r] = rowsOf<{ value: unknown }>(await db.execute(sql`SELECT value FROM workspace_settings WHERE key = 'name'`));
  return typeof r?.value === 'string' && r.value.length > 0 ? r.value : 'Qudao';
}

/** QD_NOT_FOUND (naming `param`) unless the customer exists. */
export async function requireCustomer(db: Database, id: string, param: string): Promise<void> {
  const [c] = rowsOf<{ id: string }>(await db.execute(sql`SELECT id FROM customers WHERE id = ${id}`));
  if (!c) throw new QudaoError('QD_NOT_FOUND', `no customer ${id}`, { param });
}
