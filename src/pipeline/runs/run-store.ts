import { and, desc, eq, type SQL } from 'drizzle-orm';
import { QudaoError } from '../../errors/index.js';
import { runKinds, runStatuses, type RunKindName } from '../../shared/contract/pipeline.js';
import { newId, schema, type Store } from '../../store/index.js';

/** A pipeline run row. */
export type RunRow = typeof schema.runs.$inferSelect;
/** The steps a run can be. */
export type RunKind = RunKindName;
/** Where a run is. */
export type RunStatus = (typeof runStatuses)[number];

/** The kinds of run, for validation. */
export const RUN_KINDS: readonly RunKind[] = runKinds;

/** A change to a run: any of these fields. */
export interface RunPatch {
  readonly status?: RunStatus;
  readonly metrics?: Record<string, unknown>;
  readonly artifacts?: Record<string, unknown>;
  readonly resumable?: boolean;
  readonly error?: string | null;
  readonly startedAt?: Date;
  readonly finishedAt?: Date | null;
}

/** The `runs` table: one row per pipeline step run, written as it progresses. */
export class RunStore {
  constructor(private readonly store: Store) {}

  /** Records a new run in `queued`. */
  async create(kind: RunKind, params: Record<string, unknown>, parentRunId: string | null = null): Promise<RunRow> {
    const [row] = await this.store.db.insert(schema.runs).values({ id: newId('run'), kind, params, parentRunId }).returning();
    return row!;
  }

  /** Applies a patch and returns the row. */
  async update(id: string, patch: RunPatch): Promise<RunRow> {
    const [row] = await this.store.db.update(schema.runs).set({ ...patch, updatedAt: new Date() }).where(eq(schema.runs.id, id)).returning();
    if (!row) throw new QudaoError('QD_NOT_FOUND', `no run ${id}`);
    return row;
  }

  /** One run; QD_NOT_FOUND when absent. */
  async get(id: string): Promise<RunRow> {
    const [row] = await this.store.db.select().from(schema.runs).where(eq(schema.runs.id, id));
    if (!row) throw new QudaoError('QD_NOT_FOUND', `no run ${id}; see npx qudao runs list`);
    return row;
  }

  /** Runs, newest first, optionally of one kind or status. */
  async list(filter: { kind?: RunKind; status?: RunStatus; limit?: number } = {}): Promise<RunRow[]> {
    const where: SQL[] = [];
    if (filter.kind) where.push(eq(schema.runs.kind, filter.kind));
    if (filter.status) where.push(eq(schema.runs.status, filter.status));
    return this.store.db.select().from(schema.runs).where(where.length ? and(...where) : undefined).orderBy(desc(schema.runs.createdAt)).limit(filter.limit ?? 100);
  }

  /** Marks runs left `running` by a process that died (e.g. the server was killed) as stopped. */
  async markInterrupted(): Promise<number> {
    const rows = await this.store.db.update(schema.runs).set({ status: 'stopped', updatedAt: new Date(), error: 'the process running it ended; resume it' })
      .where(eq(schema.runs.status, 'running')).returning({ id: schema.runs.id });
    return rows.length;
  }
}
