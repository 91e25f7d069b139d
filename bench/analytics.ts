/**
 * Analytics benchmark: the overview of the four channel advantages on a ledger of 10 million usage events
 * in PostgreSQL, answered from the rollups, against the same overview computed from the raw ledger in the
 * same run (the reference), with the ratio and peak RSS.
 *
 *   npm run bench:analytics [-- --events 10000000 --customers 20000 --runs 30 --database-url postgres://…]
 *
 * It fills a temporary database (dropped at the end) with SQL only — generate_series, no client round
 * trips — then builds the rollups through the same incremental refresh the server runs.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { AnalyticsService, refreshRollups } from '../src/analytics/index.js';
import { migrate, openPostgres, type Store } from '../src/store/index.js';

const { values: flags } = parseArgs({
  options: {
    events: { type: 'string', default: '10000000' },
    customers: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '30' },
    'reference-runs': { type: 'string', default: '3' },
    'database-url': { type: 'string', default: process.env.QUDAO_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const EVENTS = Number(flags.events);
const CUSTOMERS = Number(flags.customers);
const FROM = '2025-11';
const TO = '2026-10';

async function withAdmin<T>(f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: flags['database-url'] });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

/** Channels, partners with agreements, segments, campaigns, spend and customers, all in SQL. */
async function fillCrm(store: Store): Promise<void> {
  await store.execRaw(`
    INSERT INTO segments (id, name, industry, region, company_size, accounts, serviceable_share, adoption_rate)
      SELECT 'seg_' || g, 'Segment ' || g, 'ind' || (g % 6), 'reg' || (g % 4), 'size' || (g % 3), 500 + g * 37 % 4000, 0.6, 0.05 FROM generate_series(1, 72) g;
    INSERT INTO partners (id, name, type, region) SELECT 'par_' || g, 'Partner ' || g, 'referral', 'reg' || (g % 4) FROM generate_series(1, 20) g;
    INSERT INTO agreements (id, partner_id, revenue_share_bps, starts_at) SELECT 'agr_' || g, 'par_' || g, 1000 + 100 * g, '2025-01-01' FROM generate_series(1, 20) g;
    INSERT INTO channels (id, name, type, owner_partner_id) VALUES ('ch_web', 'Web', 'direct', NULL), ('ch_sales', 'Sales', 'direct', NULL);
    INSERT INTO channels (id, name, type, owner_partner_id) SELECT 'ch_p' || g, 'Partner channel ' || g, 'referral', 'par_' || g FROM generate_series(1, 20) g;
    INSERT INTO campaigns (id, name, goal, starts_at) SELECT 'cmp_' || g, 'Campaign ' || g, 'signups', '2025-11-01' FROM generate_series(1, 12) g;
    INSERT INTO spend (id, campaign_id, promotion_channel, spent_on, amount_micros)
      SELECT 'sp_' || c || '_' || d, 'cmp_' || c, 'search_ads', timestamptz '2025-11-01' + d * interval '1 day', 100000000 + (c * 7919 + d * 104729) % 50000000
        FROM generate_series(1, 12) c, generate_series(0, 364) d;
    SELECT setseed(0.42);
    INSERT INTO customers (id, name, segment_id, region, acquired_channel_id, acquired_partner_id, acquired_campaign_id, acquired_at)
      SELECT 'cus_' || g, 'Customer ' || g, 'seg_' || (1 + g % 72), 'reg' || (g % 4),
             CASE WHEN g % 5 = 0 THEN 'ch_p' || (1 + g % 20) WHEN g % 11 = 0 THEN 'ch_sales' ELSE 'ch_web' END,
             CASE WHEN g % 5 = 0 THEN 'par_' || (1 + g % 20) END,
             CASE WHEN g % 3 = 0 THEN 'cmp_' || (1 + g % 12) END,
             timestamptz '2025-11-01' + (random() * 330) * interval '1 day'
        FROM generate_series(1, ${CUSTOMERS}) g;`);
}

/**
 * `count` usage events of random customers at random times after their acquisition (or, for `recent`, in
 * the last month: the steady-state traffic an incremental refresh sees), one SQL statement.
 */
async function fillLedger(store: Store, first: number, count: number, recent = false): Promise<void> {
  const at = recent ? `timestamptz '2026-10-01' + random() * interval '31 days'` : `c.acquired_at + random() * (timestamptz '2026-11-01' - c.acquired_at)`;
  await store.execRaw(`
    INSERT INTO usage_events (request_id, occurred_at, key_id, customer_id, channel_id, partner_id, campaign_id, model, endpoint,
                              prompt_tokens, completion_tokens, latency_ms, status, http_status, cost_micros, price_micros)
    SELECT 'req_' || g, ${at}, 'key_' || c.id, c.id, c.acquired_channel_id,
           c.acquired_partner_id, c.acquired_campaign_id, (ARRAY['qudao-small', 'qudao-base', 'qudao-large'])[1 + g % 3], 'chat',
           t.p, t.c, 200 + t.c, CASE WHEN g % 100 = 0 THEN 'error' ELSE 'ok' END, CASE WHEN g % 100 = 0 THEN 502 ELSE 200 END,
           (t.p * 40 + t.c * 120) / 1000, CASE WHEN g % 100 = 0 THEN 0 ELSE (t.p * 500 + t.c * 1500) / 1000 END
      FROM generate_series(${first}, ${first + count - 1}) g
      CROSS JOIN LATERAL (SELECT 100 + (g::bigint * 7919) % 1500 AS p, 20 + (g::bigint * 104729) % 600 AS c) t
      JOIN customers c ON c.id = 'cus_' || (1 + (hashint4(g::int) & 2147483647) % ${CUSTOMERS});`);
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function timeOverview(analytics: AnalyticsService, source: 'rollups' | 'ledger', runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await analytics.overview({ from: FROM, to: TO }, source);
    times.push(performance.now() - t0);
  }
  return times;
}

async function main(): Promise<void> {
  const name = `qudao_bench_${randomBytes(4).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(flags['database-url']);
  url.pathname = `/${name}`;
  const store = await openPostgres(url.toString(), 8);
  try {
    await migrate(store);
    console.log(`analytics bench: ${EVENTS.toLocaleString('en')} usage events, ${CUSTOMERS.toLocaleString('en')} customers, PostgreSQL (temporary database ${name})`);
    let t0 = performance.now();
    await fillCrm(store);
    // Bulk load without the ledger's secondary indexes, then build them once (the same final state, faster).
    await store.execRaw(`DROP INDEX usage_events_occurred_at, usage_events_customer, usage_events_partner, usage_events_channel;
      ALTER TABLE usage_events DROP CONSTRAINT usage_events_request_id_unique`);
    const chunk = 1_000_000;
    for (let first = 1; first <= EVENTS; first += chunk) {
      await fillLedger(store, first, Math.min(chunk, EVENTS - first + 1));
      process.stderr.write(`\rfilling the ledger: ${Math.min(EVENTS, first + chunk - 1).toLocaleString('en')} rows`);
    }
    await store.execRaw(`SET maintenance_work_mem = '256MB';
      ALTER TABLE usage_events ADD CONSTRAINT usage_events_request_id_unique UNIQUE (request_id);
      CREATE INDEX usage_events_occurred_at ON usage_events (occurred_at);
      CREATE INDEX usage_events_customer ON usage_events (customer_id, occurred_at);
      CREATE INDEX usage_events_partner ON usage_events (partner_id, occurred_at);
      CREATE INDEX usage_events_channel ON usage_events (channel_id, occurred_at)`);
    await store.execRaw('VACUUM ANALYZE usage_events');
    await store.execRaw('VACUUM ANALYZE customers');
    console.log(`\nledger filled in ${secs(performance.now() - t0)}`);

    t0 = performance.now();
    const built = await refreshRollups(store, { onBatch: (rows) => process.stderr.write(`\rbuilding rollups: ${rows.toLocaleString('en')} rows`) });
    const buildMs = performance.now() - t0;
    await store.execRaw('ANALYZE usage_daily; ANALYZE customer_months; ANALYZE kpi_monthly');
    const [sizes] = await store.query<Record<string, string>>(`SELECT (SELECT count(*) FROM usage_daily) AS daily, (SELECT count(*) FROM customer_months) AS cm, (SELECT count(*) FROM kpi_monthly) AS cube`);
    console.log(`\nrollups built from the ledger in ${secs(buildMs)} (${Math.round(built.rows / (buildMs / 1000)).toLocaleString('en')} rows/s): usage_daily ${sizes!.daily} rows, customer_months ${sizes!.cm}, kpi_monthly ${sizes!.cube}`);

    await fillLedger(store, EVENTS + 1, 10_000, true);
    t0 = performance.now();
    const incremental = await refreshRollups(store);
    console.log(`incremental refresh of ${incremental.rows.toLocaleString('en')} new rows of the current month: ${(performance.now() - t0).toFixed(0)} ms`);

    const analytics = new AnalyticsService(store);
    const fromRollups = await analytics.overview({ from: FROM, to: TO });
    const fromLedger = await analytics.overview({ from: FROM, to: TO }, 'ledger');
    const same = JSON.stringify(fromRollups.months) === JSON.stringify(fromLedger.months);
    await timeOverview(analytics, 'rollups', 3);
    const ours = await timeOverview(analytics, 'rollups', Number(flags.runs));
    const reference = await timeOverview(analytics, 'ledger', Number(flags['reference-runs']));
    const p50 = percentile(ours, 0.5);
    const p95 = percentile(ours, 0.95);
    const ref50 = percentile(reference, 0.5);
    console.log(`overview ${FROM}..${TO} from the rollups: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (${ours.length} runs)`);
    console.log(`reference, the same overview from the raw ledger: p50 ${ref50.toFixed(0)} ms (${reference.length} runs)`);
    console.log(`ratio (reference / rollups, p50): ${(ref50 / p50).toFixed(0)}x; results identical: ${same ? 'yes' : 'NO'}`);
    console.log(`peak RSS of the bench process: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
    if (!same) process.exitCode = 1;
  } finally {
    await store.close();
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

await main();
