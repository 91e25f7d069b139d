import { sql, type SQL } from 'drizzle-orm';

/*
 * The KPI cube's SELECT, written once and run over two sources: the `customer_months` rollup (to maintain
 * `kpi_monthly`) and the raw ledger (the reference the benchmark and the tests compare against). Months are
 * UTC; `$from`/`$to` are first days of months, inclusive.
 */

/**
 * Per UTC month × customer usage straight from the ledger, the same columns as `customer_months`.
 * Guardrail lines (endpoint `guardrail`) add their cost only: they are no request and no active day.
 */
export function ledgerCustomerMonths(fromMonth: string, toMonth: string): SQL {
  return sql`
    SELECT (date_trunc('month', occurred_at AT TIME ZONE 'UTC'))::date AS month,
           coalesce(customer_id, '') AS customer_id,
           count(*) FILTER (WHERE endpoint <> 'guardrail')::bigint AS requests,
           count(*) FILTER (WHERE status = 'ok')::bigint AS ok_requests,
           sum(prompt_tokens)::bigint AS prompt_tokens,
           sum(completion_tokens)::bigint AS completion_tokens,
           sum(cost_micros)::bigint AS cost_micros,
           sum(price_micros)::bigint AS price_micros,
           coalesce(sum(price_micros) FILTER (WHERE coalesce(partner_id, '') <> ''), 0)::bigint AS partner_price_micros,
           (count(DISTINCT (occurred_at AT TIME ZONE 'UTC')::date) FILTER (WHERE endpoint <> 'guardrail'))::int AS active_days
      FROM usage_events
     WHERE occurred_at >= (${fromMonth}::date - interval '1 month') AT TIME ZONE 'UTC'
       AND occurred_at < (${toMonth}::date + interval '1 month') AT TIME ZONE 'UTC'
     GROUP BY 1, 2`;
}

/** The `customer_months` rollup rows the cube of months `fromMonth..toMonth` needs (and the month before). */
export function rollupCustomerMonths(fromMonth: string, toMonth: string): SQL {
  return sql`SELECT * FROM customer_months WHERE month >= (${fromMonth}::date - interval '1 month')::date AND month <= ${toMonth}::date`;
}

/** Column list of `kpi_monthly`, in the order {@link cubeSelect} produces them. */
export const cubeColumns = sql.raw(
  'month, cohort_month, channel_id, partner_id, campaign_id, segment_id, region, active_customers, active_days, retained_customers, prev_active_customers, requests, tokens, cost_micros, price_micros, partner_price_micros, retained_price_micros, prev_price_micros',
);

/**
 * Cube rows for months `fromMonth..toMonth` from a customer-months source: one row per month and cell of
 * the customers' acquisition attributes. A customer appears in a month when it has usage in that month or
 * the month before (so churned customers are counted as `prev_active_customers`). Usage without a known
 * customer falls into the cell of empty attributes with its own month as cohort: its money
 * counts, but it is no customer (never active, retained or churned).
 */
export function cubeSelect(customerMonths: SQL, fromMonth: string, toMonth: string): SQL {
  return sql`
    WITH cm AS MATERIALIZED (${customerMonths}),
    pairs AS (
      SELECT month, customer_id FROM cm WHERE month BETWEEN ${fromMonth}::date AND ${toMonth}::date
      UNION
      SELECT (month + interval '1 month')::date, customer_id FROM cm
       WHERE (month + interval '1 month')::date BETWEEN ${fromMonth}::date AND ${toMonth}::date
    )
    SELECT p.month,
           coalesce((date_trunc('month', c.acquired_at AT TIME ZONE 'UTC'))::date, p.month) AS cohort_month,
           coalesce(c.acquired_channel_id, '') AS channel_id,
           coalesce(c.acquired_partner_id, '') AS partner_id,
           coalesce(c.acquired_campaign_id, '') AS campaign_id,
           coalesce(c.segment_id, '') AS segment_id,
           coalesce(c.region, '') AS region,
           (count(*) FILTER (WHERE cur.active_days > 0 AND c.id IS NOT NULL))::int AS active_customers,
           coalesce(sum(cur.active_days) FILTER (WHERE c.id IS NOT NULL), 0)::int AS active_days,
           (count(*) FILTER (WHERE cur.active_days > 0 AND prev.active_days > 0 AND c.id IS NOT NULL))::int AS retained_customers,
           (count(*) FILTER (WHERE prev.active_days > 0 AND c.id IS NOT NULL))::int AS prev_active_customers,
           coalesce(sum(cur.requests), 0)::bigint AS requests,
           coalesce(sum(cur.prompt_tokens + cur.completion_tokens), 0)::bigint AS tokens,
           coalesce(sum(cur.cost_micros), 0)::bigint AS cost_micros,
           coalesce(sum(cur.price_micros), 0)::bigint AS price_micros,
           coalesce(sum(cur.partner_price_micros), 0)::bigint AS partner_price_micros,
           coalesce(sum(cur.price_micros) FILTER (WHERE prev.price_micros > 0), 0)::bigint AS retained_price_micros,
           coalesce(sum(prev.price_micros) FILTER (WHERE prev.price_micros > 0), 0)::bigint AS prev_price_micros
      FROM pairs p
      LEFT JOIN cm cur ON cur.month = p.month AND cur.customer_id = p.customer_id
      LEFT JOIN cm prev ON prev.month = (p.month - interval '1 month')::date AND prev.customer_id = p.customer_id
      LEFT JOIN customers c ON c.id = p.customer_id
     GROUP BY 1, 2, 3, 4, 5, 6, 7`;
}

/** Column list of `kpi_month_totals`, in the order {@link totalsSelect} produces them. */
export const totalsColumns = sql.raw(
  'month, active_customers, active_days, retained_customers, prev_active_customers, requests, tokens, cost_micros, price_micros, partner_influenced_micros, retained_price_micros, prev_price_micros, segments_reached, regions_reached',
);

/**
 * Month totals over a cube relation (a table name or a subquery with `kpi_monthly`'s columns). Partner-
 * influenced revenue is the revenue of partner-acquired customers plus partner-carried revenue of others.
 */
export function totalsSelect(cube: SQL): SQL {
  return sql`
    SELECT month, sum(active_customers)::int, sum(active_days)::int, sum(retained_customers)::int, sum(prev_active_customers)::int,
           sum(requests)::bigint, sum(tokens)::bigint, sum(cost_micros)::bigint, sum(price_micros)::bigint,
           (coalesce(sum(price_micros) FILTER (WHERE partner_id <> ''), 0) + coalesce(sum(partner_price_micros) FILTER (WHERE partner_id = ''), 0))::bigint,
           sum(retained_price_micros)::bigint, sum(prev_price_micros)::bigint,
           (count(DISTINCT segment_id) FILTER (WHERE active_customers > 0))::int, (count(DISTINCT region) FILTER (WHERE active_customers > 0))::int
      FROM ${cube} k GROUP BY month`;
}

/** Revenue of partner-acquired customers by month × channel × partner × campaign, over a cube relation. */
export function partnerMonthsSelect(cube: SQL): SQL {
  return sql`
    SELECT month, channel_id, partner_id, campaign_id, sum(price_micros)::bigint
      FROM ${cube} k WHERE partner_id <> '' GROUP BY 1, 2, 3, 4`;
}
