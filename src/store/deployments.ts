/**
 * The one owner of the `deployments` table and its trail, `deployment_history`: every read and write of a
 * deployment goes through {@link DeploymentStore}, and every change reaches the caches through one hook
 * (by default a NOTIFY on {@link CACHE_CHANNEL}). The gateway's admin service and the pipeline's deploy /
 * rollback are its callers; they validate and phrase errors, this module owns the rows.
 */
import { asc, desc, eq } from 'drizzle-orm';
import { QudaoError } from '../errors/index.js';
import { CACHE_CHANNEL } from './cache-channel.js';
import type { Store } from './database.js';
import { newId } from './ids.js';
import * as schema from './schema/index.js';

/** A deployment row. */
export type DeploymentRow = typeof schema.deployments.$inferSelect;
/** One entry of a deployment's trail. */
export type DeploymentHistoryRow = typeof schema.deploymentHistory.$inferSelect;
/** The fields of a new deployment (its id and times are set here; the others default as the table says). */
export type NewDeployment = Omit<typeof schema.deployments.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;
/** Changes to a deployment. */
export type DeploymentChanges = Partial<NewDeployment>;

/** When an update appends to the trail: only when the target (version or URL) changed, or always (deploy, rollback). */
export type TrailEntry = 'if-retargeted' | 'always';

/** Options of {@link DeploymentStore}. */
export interface DeploymentStoreOptions {
  /**
   * Called after every change. Default: NOTIFY on {@link CACHE_CHANNEL}, so every replica's cache reloads;
   * the gateway passes its catalog's `changed`, which reloads its own cache first and then notifies.
   */
  readonly changed?: () => Promise<void>;
}

/** Reads and writes deployments and their trail; see the module comment. */
export class DeploymentStore {
  private readonly changed: () => Promise<void>;

  constructor(
    private readonly store: Store,
    options: DeploymentStoreOptions = {},
  ) {
    this.changed = options.changed ?? (() => store.notify(CACHE_CHANNEL, 'deployments'));
  }

  /** Every deployment (local and upstream, active and archived), by name or oldest first. */
  async list(order: 'name' | 'created' = 'name'): Promise<DeploymentRow[]> {
    return this.store.db.select().from(schema.deployments).orderBy(order === 'name' ? asc(schema.deployments.name) : asc(schema.deployments.createdAt));
  }

  /** A deployment by id (`dep_…`) or name; undefined when absent. */
  async find(idOrName: string): Promise<DeploymentRow | undefined> {
    const where = idOrName.startsWith('dep_') ? eq(schema.deployments.id, idOrName) : eq(schema.deployments.name, idOrName);
    const [row] = await this.store.db.select().from(schema.deployments).where(where);
    return row;
  }

  /** A deployment by name only; undefined when absent. */
  async byName(name: string): Promise<DeploymentRow | undefined> {
    const [row] = await this.store.db.select().from(schema.deployments).where(eq(schema.deployments.name, name));
    return row;
  }

  /** A deployment's trail, oldest first. */
  async history(deploymentId: string): Promise<DeploymentHistoryRow[]> {
    return this.store.db.select().from(schema.deploymentHistory).where(eq(schema.deploymentHistory.deploymentId, deploymentId)).orderBy(asc(schema.deploymentHistory.changedAt));
  }

  /** Creates a deployment with the first entry of its trail. */
  async create(values: NewDeployment): Promise<DeploymentRow> {
    const id = newId('dep');
    const changedAt = await this.nextChangeTime(id);
    const row = await this.store.db.transaction(async (tx) => {
      const [d] = await tx.insert(schema.deployments).values({ ...values, id }).returning();
      await tx.insert(schema.deploymentHistory).values(trailEntry(d!, changedAt));
      return d!;
    });
    await this.changed();
    return row;
  }

  /** Changes a deployment (QD_NOT_FOUND when there is none with this id) and appends to its trail per `trail`. */
  async update(id: string, changes: DeploymentChanges, trail: TrailEntry = 'if-retargeted'): Promise<DeploymentRow> {
    // Read before the transaction: PGlite has one connection, so a query outside `tx` would wait forever.
    const [current] = await this.store.db.select().from(schema.deployments).where(eq(schema.deployments.id, id));
    if (!current) throw new QudaoError('QD_NOT_FOUND', `no deployment ${id}`);
    const changedAt = await this.nextChangeTime(id);
    const row = await this.store.db.transaction(async (tx) => {
      const [d] = await tx.update(schema.deployments).set({ ...changes, updatedAt: new Date() }).where(eq(schema.deployments.id, id)).returning();
      if (trail === 'always' || d!.modelVersionId !== current.modelVersionId || d!.upstreamUrl !== current.upstreamUrl) {
        await tx.insert(schema.deploymentHistory).values(trailEntry(d!, changedAt));
      }
      return d!;
    });
    await this.changed();
    return row;
  }

  /** Strictly after the newest entry, so the trail's order never depends on clock resolution. */
  private async nextChangeTime(deploymentId: string): Promise<Date> {
    const [last] = await this.store.db.select({ at: schema.deploymentHistory.changedAt }).from(schema.deploymentHistory)
      .where(eq(schema.deploymentHistory.deploymentId, deploymentId)).orderBy(desc(schema.deploymentHistory.changedAt)).limit(1);
    return new Date(Math.max(Date.now(), (last?.at.getTime() ?? 0) + 1));
  }
}

function trailEntry(d: DeploymentRow, changedAt: Date): typeof schema.deploymentHistory.$inferInsert {
  return { id: newId('dph'), deploymentId: d.id, modelVersionId: d.modelVersionId, upstreamUrl: d.upstreamUrl, changedAt };
}
