import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import { QudaoError } from '../errors/index.js';
import { schema, type Store } from '../store/index.js';
import type { Owner } from './file-service.js';
import type { CheckpointRow, EventRow, JobRow } from './views.js';

/**
 * The reads of fine-tuning jobs, their events and checkpoints, always through their owner: another
 * customer's id is QD_NOT_FOUND, as if it did not exist. Lists page OpenAI's way (`after` an id, `limit`).
 */

/** A page of a list, OpenAI's way: the rows and whether more follow. */
export interface Page<T> {
  readonly rows: readonly T[];
  readonly hasMore: boolean;
}

/** OpenAI's paging of a list: up to `limit` items after the one whose id is `after`. */
export interface PageQuery {
  readonly after?: string | undefined;
  readonly limit: number;
}

/** The owner's jobs, newest first. */
export async function listJobs(store: Store, owner: Owner, page: PageQuery): Promise<Page<JobRow>> {
  const j = schema.fineTuningJobs;
  let after: SQL | undefined;
  if (page.after) {
    const anchor = await jobOf(store, owner, page.after, 'after');
    after = or(lt(j.createdAt, anchor.createdAt), and(eq(j.createdAt, anchor.createdAt), lt(j.id, anchor.id)));
  }
  const rows = await store.db.select().from(j).where(and(eq(j.customerId, owner.customerId), after)).orderBy(desc(j.createdAt), desc(j.id)).limit(page.limit + 1);
  return { rows: rows.slice(0, page.limit), hasMore: rows.length > page.limit };
}

/** Every customer's jobs, newest first, with the customer's name (the admin API's view). */
export async function listAllJobs(store: Store, filter: { status?: string | undefined; customerId?: string | undefined; limit: number }): Promise<(JobRow & { customerName: string | null })[]> {
  const j = schema.fineTuningJobs;
  const rows = await store.db
    .select({ job: j, customerName: schema.customers.name })
    .from(j)
    .leftJoin(schema.customers, eq(schema.customers.id, j.customerId))
    .where(and(filter.status ? eq(j.status, filter.status) : undefined, filter.customerId ? eq(j.customerId, filter.customerId) : undefined))
    .orderBy(desc(j.createdAt), desc(j.id))
    .limit(filter.limit);
  return rows.map((r) => ({ ...r.job, customerName: r.customerName }));
}

/** One of the owner's jobs; QD_NOT_FOUND (naming `param`) for any other id. */
export async function jobOf(store: Store, owner: Owner, id: string, param = 'fine_tuning_job_id'): Promise<JobRow> {
  const j = schema.fineTuningJobs;
  const [row] = await store.db.select().from(j).where(and(eq(j.id, id), eq(j.customerId, owner.customerId)));
  if (!row) throw new QudaoError('QD_NOT_FOUND', `no fine-tuning job ${id}; GET /v1/fine_tuning/jobs lists yours`, { param });
  return row;
}

/** A job's events, newest first. */
export async function listJobEvents(store: Store, owner: Owner, jobId: string, page: PageQuery): Promise<Page<EventRow>> {
  await jobOf(store, owner, jobId);
  const e = schema.fineTuningEvents;
  let after: SQL | undefined;
  if (page.after) {
    const [anchor] = await store.db.select({ seq: e.seq }).from(e).where(and(eq(e.id, page.after), eq(e.jobId, jobId)));
    if (!anchor) throw new QudaoError('QD_NOT_FOUND', `no event ${page.after} of job ${jobId}`, { param: 'after' });
    after = lt(e.seq, anchor.seq);
  }
  const rows = await store.db.select().from(e).where(and(eq(e.jobId, jobId), after)).orderBy(desc(e.seq)).limit(page.limit + 1);
  return { rows: rows.slice(0, page.limit), hasMore: rows.length > page.limit };
}

/** A job's checkpoints, newest (highest step) first. */
export async function listJobCheckpoints(store: Store, owner: Owner, jobId: string, page: PageQuery): Promise<Page<CheckpointRow>> {
  await jobOf(store, owner, jobId);
  const c = schema.fineTuningCheckpoints;
  const all = await store.db.select().from(c).where(eq(c.jobId, jobId)).orderBy(desc(c.stepNumber), desc(c.id));
  const from = page.after ? all.findIndex((r) => r.id === page.after) + 1 : 0;
  if (page.after && from === 0) throw new QudaoError('QD_NOT_FOUND', `no checkpoint ${page.after} of job ${jobId}`, { param: 'after' });
  return { rows: all.slice(from, from + page.limit), hasMore: all.length > from + page.limit };
}
