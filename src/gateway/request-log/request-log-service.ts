import { count, desc, eq, sql } from 'drizzle-orm';
import type { Store } from '../../store/index.js';
import { schema } from '../../store/index.js';

/** A stored (redacted) request log row. */
export type RequestLogRow = typeof schema.requestLogs.$inferSelect;

/**
 * Reads, deletes and expires request logs. Retention is per deployment (`request_log_retention_days`):
 * {@link purgeExpired} deletes every row older than its own deployment's period, as of the given time, so
 * the job is exact for any clock a test injects.
 */
export class RequestLogService {
  private purging: Promise<number> | undefined;

  constructor(private readonly store: Store) {}

  /** One page of a deployment's request logs, newest first, and how many it has. */
  async list(deploymentId: string, page: { limit: number; offset: number }): Promise<{ data: RequestLogRow[]; total: number }> {
    const r = schema.requestLogs;
    const where = eq(r.deploymentId, deploymentId);
    const [data, [total]] = await Promise.all([
      this.store.db.select().from(r).where(where).orderBy(desc(r.createdAt), desc(r.requestId)).limit(page.limit).offset(page.offset),
      this.store.db.select({ n: count() }).from(r).where(where),
    ]);
    return { data, total: total?.n ?? 0 };
  }

  /** Deletes every request log of a deployment; returns how many. */
  async deleteAll(deploymentId: string): Promise<number> {
    const gone = await this.store.db.delete(schema.requestLogs).where(eq(schema.requestLogs.deploymentId, deploymentId)).returning({ id: schema.requestLogs.requestId });
    return gone.length;
  }

  /** Deletes the rows older than their deployment's retention as of `now`; returns how many. */
  async purgeExpired(now: Date): Promise<number> {
    const r = schema.requestLogs;
    const d = schema.deployments;
    const expired = sql`${r.createdAt} < ${now.toISOString()}::timestamptz - make_interval(days => (SELECT ${d.requestLogRetentionDays} FROM ${d} WHERE ${d.id} = ${r.deploymentId}))`;
    // A row whose deployment is gone has no retention to keep it by: it goes too.
    const orphan = sql`NOT EXISTS (SELECT 1 FROM ${d} WHERE ${d.id} = ${r.deploymentId})`;
    const gone = await this.store.db.delete(r).where(sql`(${expired}) OR (${orphan})`).returning({ id: r.requestId });
    return gone.length;
  }

  /**
   * Starts the retention job: a purge now and every `intervalMs` (the `requestLogRetentionIntervalMs`
   * setting), with the clock given (tests inject one). Returns the stop function, which waits for a purge
   * in flight.
   */
  startRetention(intervalMs: number, now: () => Date, onError: (err: unknown) => void): () => Promise<void> {
    const run = () => {
      if (this.purging) return;
      this.purging = this.purgeExpired(now()).finally(() => (this.purging = undefined));
      this.purging.catch(onError);
    };
    run();
    const timer = setInterval(run, intervalMs);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await this.purging?.catch(() => {});
    };
  }
}

