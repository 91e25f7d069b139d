import { sql, type SQL } from 'drizzle-orm';
import type { Store } from '../../store/index.js';
import { cubeColumns, cubeSelect, partnerMonthsSelect, rollupCustomerMonths, totalsColumns, totalsSelect } from './cube.js';
import { remainingGaps, type SeqGap } from './gaps.js';

/** The watermark name of the analytics rollups. */
export const ROLLUP_NAME = 'analytics';

/** A transaction handle (Drizzle) the refresh steps run in. */
type Tx = Parameters<Parameters<Store['db']['transaction']>[0]>[0];

/** Options of {@link refreshRollups}. */
export interface RefreshOptions {
  /** Most ledger rows read per transaction (default 1,000,000); the first build reads the whole ledger at once. */
  readonly batchSize?: number;
  /** How long a seq gap is re-checked before it is taken for a rolled-back write (default 1 hour). */
  readonly gapRetentionMs?: number;
  /** Clock in ms (tests). */
  readonly now?: () => number;
  /** Called after every batch with the rows counted so far. */
  readonly onBatch?: (rowsSoFar: number, watermark: number) => void;
}

/** What a refresh did. */
export interface RefreshResult {
  /** Ledger rows counted into the rollups. */
  readonly rows: number;
  /** The watermark after the refresh. */
  readonly watermark: number;
  /** Open seq gaps after the refresh. */
  readonly openGaps: number;
  /** True when another refresher held the watermark; nothing was done. */
  readonly busy: boolean;
}

/** Rows of a raw query on either driver. */
function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

async function one<T>(tx: Tx, query: SQL): Promise<T | undefined> {
  return rowsOf<T>(await tx.execute(query))[0];
}

/** Locks this rollup's watermark row (a concurrent refresher fails with a serialization error). */
async function claimWatermark(tx: Tx): Promise<number> {
  const row = await one<{ seq: string | number }>(tx, sql`UPDATE rollup_watermarks SET updated_at = now() WHERE name = ${ROLLUP_NAME} RETURNING seq`);
  return Number(row!.seq);
}

async function loadGaps(tx: Tx): Promise<SeqGap[]> {
  const rows = rowsOf<{ from_seq: string; to_seq: string; noted_at: Date | string }>(
    await tx.execute(sql`SELECT from_seq, to_seq, noted_at FROM rollup_gaps WHERE name = ${ROLLUP_NAME} ORDER BY from_seq`),
  );
  return rows.map((r) => ({ fromSeq: Number(r.from_seq), toSeq: Number(r.to_seq), notedAtMs: new Date(r.noted_at).getTime() }));
}

/** Seqs of rows that have appeared inside open gaps since they were noted. */
async function seqsInGaps(tx: Tx): Promise<number[]> {
  const rows = rowsOf<{ seq: string }>(
    await tx.execute(sql`SELECT e.seq FROM usage_events e JOIN rollup_gaps g ON g.name = ${ROLLUP_NAME} AND e.seq BETWEEN g.from_seq AND g.to_seq`),
  );
  return rows.map((r) => Number(r.seq));
}

/** The highest seq of the next batch after the watermark, or undefined when the ledger has no newer row. */
async function batchUpper(tx: Tx, watermark: number, batchSize: number): Promise<number | undefined> {
  const row = await one<{ upper: string | null }>(
    tx,
    batchSize >= Number.MAX_SAFE_INTEGER
      ? sql`SELECT max(seq) AS upper FROM usage_events WHERE seq > ${watermark}`
      : sql`SELECT max(seq) AS upper FROM (SELECT seq FROM usage_events WHERE seq > ${watermark} ORDER BY seq LIMIT ${batchSize}) s`,
  );
  return row?.upper == null ? undefined : Number(row.upper);
}

/** Missing seq ranges in (watermark, upper]: rows not (yet) visible in this snapshot. */
async function newGaps(tx: Tx, watermark: number, upper: number, notedAtMs: number): Promise<SeqGap[]> {
  const rows = rowsOf<{ from_seq: string; to_seq: string }>(
    await tx.execute(sql`
      SELECT seq + 1 AS from_seq, nxt - 1 AS to_seq FROM (
        SELECT seq, lead(seq) OVER (ORDER BY seq) AS nxt FROM (
          SELECT ${watermark}::bigint AS seq
          UNION ALL SELECT seq FROM usage_events WHERE seq > ${watermark} AND seq <= ${upper}) s) x
       WHERE nxt > seq + 1`),
  );
  return rows.map((r) => ({ fromSeq: Number(r.from_seq), toSeq: Number(r.to_seq), notedAtMs }));
}

async function saveGaps(tx: Tx, gaps: readonly SeqGap[]): Promise<void> {
  await tx.execute(sql`DELETE FROM rollup_gaps WHERE name = ${ROLLUP_NAME}`);
  for (const g of gaps) {
    await tx.execute(sql`INSERT INTO rollup_gaps (name, from_seq, to_seq, noted_at) VALUES (${ROLLUP_NAME}, ${g.fromSeq}, ${g.toSeq}, ${new Date(g.notedAtMs).toISOString()})`);
  }
}

/**
 * Aggregates the batch's ledger rows (seq in (watermark, upper] plus late rows found in gaps) into a
 * temporary table by day × customer × channel × partner × campaign × model; returns its row count.
 */
async function stageBatch(tx: Tx, watermark: number, upper: number, found: readonly number[]): Promise<number> {
  await tx.execute(sql`
    CREATE TEMP TABLE rollup_batch ON COMMIT DROP AS
    SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day, coalesce(customer_id, '') AS customer_id,
           coalesce(channel_id, '') AS channel_id, coalesce(partner_id, '') AS partner_id,
           coalesce(campaign_id, '') AS campaign_id, model,
           (count(*) FILTER (WHERE endpoint <> 'guardrail'))::bigint AS requests, (count(*) FILTER (WHERE status = 'ok'))::bigint AS ok_requests,
           sum(prompt_tokens)::bigint AS prompt_tokens, sum(completion_tokens)::bigint AS completion_tokens,
           sum(cost_micros)::bigint AS cost_micros, sum(price_micros)::bigint AS price_micros
      FROM usage_events
     WHERE (seq > ${watermark} AND seq <= ${upper})
        OR seq = ANY (string_to_array(${found.join(',')}, ',')::bigint[])
     GROUP BY 1, 2, 3, 4, 5, 6`);
  const row = await one<{ n: string }>(tx, sql`SELECT coalesce(sum(requests), 0) AS n FROM rollup_batch`);
  return Number(row?.n ?? 0);
}

const ADDITIVE = ['requests', 'ok_requests', 'prompt_tokens', 'completion_tokens', 'cost_micros', 'price_micros'];

/**
 * Adds the staged batch into `usage_daily` (late rows land in their own, older day), in key order so the
 * B-tree inserts stay local. Into an empty table (the first build) a plain INSERT skips the conflict checks.
 */
async function applyDaily(tx: Tx, empty: boolean): Promise<void> {
  const key = 'day, customer_id, channel_id, partner_id, campaign_id, model';
  const set = ADDITIVE.map((c) => `${c} = u.${c} + excluded.${c}`).join(', ');
  await tx.execute(sql.raw(`
    INSERT INTO usage_daily AS u (${key}, ${ADDITIVE.join(', ')})
    SELECT ${key}, ${ADDITIVE.join(', ')} FROM rollup_batch ORDER BY ${key}
    ${empty ? '' : `ON CONFLICT (${key}) DO UPDATE SET ${set}`}`));
}

/** True when `usage_daily` holds no row: the first build, which reads the whole ledger in one batch. */
async function dailyIsEmpty(tx: Tx): Promise<boolean> {
  const row = await one<{ any: boolean }>(tx, sql`SELECT EXISTS (SELECT 1 FROM usage_daily) AS any`);
  return row?.any !== true;
}

/**
 * Notes the customer-days of the staged batch that `usage_daily` does not hold yet: each is one more active
 * day for its customer-month (a count of distinct days is not additive, but "new days" are). Only days with
 * requests count: a day holding only guardrail lines (their cost, no request) makes no one active. Runs
 * before the batch is added to `usage_daily`.
 */
async function stageNewDays(tx: Tx): Promise<void> {
  await tx.execute(sql`
    CREATE TEMP TABLE rollup_new_days ON COMMIT DROP AS
    SELECT (date_trunc('month', b.day))::date AS month, b.customer_id, count(*)::int AS days
      FROM (SELECT DISTINCT customer_id, day FROM rollup_batch WHERE requests > 0) b
     WHERE NOT EXISTS (SELECT 1 FROM usage_daily u WHERE u.customer_id = b.customer_id AND u.day = b.day AND u.requests > 0)
     GROUP BY 1, 2`);
}

/** Adds the staged batch and its new active days into `customer_months`; returns the earliest touched month. */
async function applyCustomerMonths(tx: Tx): Promise<string | undefined> {
  const cols = [...ADDITIVE, 'partner_price_micros', 'active_days'];
  const set = cols.map((c) => `${c} = m.${c} + excluded.${c}`).join(', ');
  await tx.execute(sql.raw(`
    CREATE TEMP TABLE rollup_touched ON COMMIT DROP AS
    SELECT s.*, coalesce(n.days, 0) AS active_days FROM (
      SELECT (date_trunc('month', day))::date AS month, customer_id, ${ADDITIVE.map((c) => `sum(${c})::bigint AS ${c}`).join(', ')},
             coalesce(sum(price_micros) FILTER (WHERE partner_id <> ''), 0)::bigint AS partner_price_micros
        FROM rollup_batch GROUP BY 1, 2) s
    LEFT JOIN rollup_new_days n ON n.month = s.month AND n.customer_id = s.customer_id`));
  await tx.execute(sql.raw(`
    INSERT INTO customer_months AS m (month, customer_id, ${cols.join(', ')})
    SELECT month, customer_id, ${cols.join(', ')} FROM rollup_touched
    ON CONFLICT (month, customer_id) DO UPDATE SET ${set}`));
  const row = await one<{ first: string | null }>(tx, sql`SELECT min(month)::text AS first FROM rollup_touched`);
  return row?.first ?? undefined;
}

/** Rebuilds the cube for every month from `fromMonth` to the last month with usage. */
async function rebuildCube(tx: Tx, fromMonth: string): Promise<void> {
  const row = await one<{ last: string | null }>(tx, sql`SELECT max(month)::text AS last FROM customer_months`);
  const toMonth = row?.last;
  if (!toMonth) return;
  const range = sql`month BETWEEN ${fromMonth}::date AND ${toMonth}::date`;
  await tx.execute(sql`DELETE FROM kpi_monthly WHERE ${range}`);
  await tx.execute(sql`INSERT INTO kpi_monthly (${cubeColumns}) ${cubeSelect(rollupCustomerMonths(fromMonth, toMonth), fromMonth, toMonth)}`);
  const cube = sql`(SELECT * FROM kpi_monthly WHERE ${range})`;
  await tx.execute(sql`DELETE FROM kpi_month_totals WHERE ${range}`);
  await tx.execute(sql`INSERT INTO kpi_month_totals (${totalsColumns}) ${totalsSelect(cube)}`);
  await tx.execute(sql`DELETE FROM kpi_partner_months WHERE ${range}`);
  await tx.execute(sql`INSERT INTO kpi_partner_months (month, channel_id, partner_id, campaign_id, price_micros) ${partnerMonthsSelect(cube)}`);
}

/** One batch in one repeatable-read transaction: every read sees the same snapshot of the ledger. */
async function refreshBatch(store: Store, batchSize: number, retentionMs: number, nowMs: number): Promise<{ rows: number; watermark: number; openGaps: number; more: boolean }> {
  return store.db.transaction(
    async (tx) => {
      const watermark = await claimWatermark(tx);
      // Aggregating a million rows in memory instead of spilling to disk halves the batch time.
      await tx.execute(sql`SET LOCAL work_mem = '64MB'`);
      const gaps = await loadGaps(tx);
      const found = gaps.length > 0 ? await seqsInGaps(tx) : [];
      const empty = watermark === 0 && gaps.length === 0 && (await dailyIsEmpty(tx));
      const upper = (await batchUpper(tx, watermark, empty ? Number.MAX_SAFE_INTEGER : batchSize)) ?? watermark;
      const kept = remainingGaps(gaps, found, nowMs, retentionMs);
      const fresh = upper > watermark ? await newGaps(tx, watermark, upper, nowMs) : [];
      const open = [...kept, ...fresh];
      if (upper === watermark && found.length === 0) {
        if (open.length !== gaps.length) await saveGaps(tx, open);
        return { rows: 0, watermark, openGaps: open.length, more: false };
      }
      const rows = await stageBatch(tx, watermark, upper, found);
      await stageNewDays(tx);
      await applyDaily(tx, empty);
      const firstMonth = await applyCustomerMonths(tx);
      if (firstMonth) await rebuildCube(tx, firstMonth);
      await saveGaps(tx, open);
      await tx.execute(sql`UPDATE rollup_watermarks SET seq = ${upper}, updated_at = now() WHERE name = ${ROLLUP_NAME}`);
      return { rows, watermark: upper, openGaps: open.length, more: upper > watermark };
    },
    { isolationLevel: 'repeatable read' },
  );
}

/** PostgreSQL's "could not serialize access": another refresher moved the watermark first. */
function isSerializationFailure(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '40001') return true;
  }
  return false;
}

/**
 * Brings the analytics rollups up to date with the ledger, incrementally: reads only rows past the `seq`
 * watermark (in batches, one transaction each) plus rows that appeared in earlier seq gaps, and adds them to
 * `usage_daily`, `customer_months` and the `kpi_monthly` cube. Rows that arrive late — an old `occurred_at`,
 * or a lower `seq` committed after higher ones — are counted into their own day and month. Safe to call
 * from several processes: one refresher wins, the others return `busy`.
 */
export async function refreshRollups(store: Store, options: RefreshOptions = {}): Promise<RefreshResult> {
  const batchSize = options.batchSize ?? 1_000_000;
  const retentionMs = options.gapRetentionMs ?? 3_600_000;
  const now = options.now ?? Date.now;
  await store.query(`INSERT INTO rollup_watermarks (name, seq) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING`, [ROLLUP_NAME]);
  let rows = 0;
  for (;;) {
    let batch: Awaited<ReturnType<typeof refreshBatch>>;
    try {
      batch = await refreshBatch(store, batchSize, retentionMs, now());
    } catch (err) {
      if (!isSerializationFailure(err)) throw err;
      return { rows, watermark: -1, openGaps: -1, busy: true };
    }
    rows += batch.rows;
    options.onBatch?.(rows, batch.watermark);
    if (!batch.more) return { rows, watermark: batch.watermark, openGaps: batch.openGaps, busy: false };
  }
}

/** Empties every rollup and its watermark, so the next refresh recounts the whole ledger. */
export async function resetRollups(store: Store): Promise<void> {
  await store.execRaw(`
    TRUNCATE usage_daily, customer_months, kpi_monthly, kpi_month_totals, kpi_partner_months;
    DELETE FROM rollup_gaps WHERE name = '${ROLLUP_NAME}';
    DELETE FROM rollup_watermarks WHERE name = '${ROLLUP_NAME}';`);
}
